/**
 * Both platforms configured, one of them unable to connect: the other still connects and answers
 * commands, start() never rejects (the app starts it in the background, src/main.ts), and the
 * failure is logged with the platform's name and no token.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatPlatforms, type ChatPlatforms } from '../../src/chat-platforms.js';
import { loadAppConfig } from '../../src/config/load.js';
import type { Destination } from '../../src/core/alert.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { fakeChatSecrets } from '../faults/bot-process.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { capturingLogger, openTempStores } from './delivery-harness.js';
import { commandDepsFor } from './inbound-harness.js';

const APP_TOKEN = ['xapp', '1', 'A0FAKESOCK', '4343', 'startapp'].join('-');

describe('chat platforms start side by side', () => {
  const secrets = fakeChatSecrets();
  const logs = capturingLogger();
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let stores: SqliteStores;
  let chat: ChatPlatforms | null = null;
  let configDir: string | null = null;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    discord = await startFakeDiscordApi();
    stores = openTempStores();
    // Slack refuses the app token: Socket Mode cannot connect.
    slack.scriptMethod('apps.connections.open', { body: { ok: false, error: 'invalid_auth' } });
    const written = writeTestConfig(`
profiles: { dir: ${JSON.stringify(path.join(REPO_ROOT, 'config/profiles'))} }
destinations:
  - { id: ops-slack, platform: slack, channel: "C0123456789", profiles: [azerbaijan-russia] }
  - { id: ops-discord, platform: discord, channel: "222222222222222222", profiles: [azerbaijan-russia] }
`);
    configDir = written.dir;
    const env = {
      ...written.env,
      SLACK_BOT_TOKEN: secrets.slackToken,
      SLACK_APP_TOKEN: APP_TOKEN,
      WIREWATCH_SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: secrets.discordToken,
      WIREWATCH_DISCORD_API_URL: discord.apiUrl,
    };
    const loaded = loadAppConfig(env, REPO_ROOT);
    const destinations: Destination[] = loaded.config.destinations.map((entry) => ({ ...entry }));
    chat = createChatPlatforms({ env: loaded.env, config: loaded.config, destinations, commandDeps: commandDepsFor(stores), outbox: stores.outbox, logger: logs.logger, connect: true });
  });
  afterAll(async () => {
    await chat?.stop();
    await slack?.close();
    await discord?.close();
    await stores?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('Slack cannot connect; Discord logs in all the same, and start resolves', async () => {
    await expect(chat?.start()).resolves.toBeUndefined();
    expect(discord.gateway.identified()).toBe(1);
    const text = logs.text();
    expect(text).toMatch(/"platform":"slack".*chat platform could not connect/);
    for (const secret of [secrets.slackToken, APP_TOKEN, secrets.discordToken]) expect(text).not.toContain(secret);
  });
});
