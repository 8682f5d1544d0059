/**
 * The Discord gateway path end to end (DISCORD_TOKEN, issue #5): the app's own composition
 * (createChatPlatforms with connect) on a real SQLite store, the real discord.js client logging in to
 * the loopback fake gateway (test/support/fake-discord-gateway.ts), and interactions sent to it as
 * INTERACTION_CREATE dispatches built from Discord's documented payload (the shared corpus). Answers
 * are read where Discord would get them: the interaction callback, and the edit of the original.
 * Not covered here: a real Discord network, and resume/reconnect after a dropped socket.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatPlatforms, type ChatPlatforms } from '../../src/chat-platforms.js';
import { loadAppConfig } from '../../src/config/load.js';
import type { Destination } from '../../src/core/alert.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { fakeChatSecrets } from '../faults/bot-process.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { capturingLogger, openTempStores } from './delivery-harness.js';
import { commandDepsFor, until } from './inbound-harness.js';
import { PNG_SIGNATURE, seedSocarStories } from './story-harness.js';

const PAYLOADS = path.resolve(REPO_ROOT, '../shared/corpus/payloads/discord');
const CHANNEL = '645027906669510667';
const APPLICATION = '100000000000000002';
const CONFIGURE_ROLE = '111222333444555666';
const MANAGE_CHANNELS = String(1 << 4);

type Payload = Record<string, unknown>;

function corpus(name: string): Payload {
  return JSON.parse(readFileSync(path.join(PAYLOADS, name), 'utf8')) as Payload;
}

describe.skipIf(!existsSync(PAYLOADS))('Discord gateway: interactions over a loopback gateway, as the app composes it', () => {
  let api: FakeDiscordApi;
  let stores: SqliteStores;
  let chat: ChatPlatforms;
  let configDir: string;
  const secrets = fakeChatSecrets();
  const logs = capturingLogger();
  /** Every interaction token handed out, to check that none reaches a log line. */
  const tokens: string[] = [];

  /**
   * Discord's documented chat-input interaction, re-aimed at our command, channel and member. The
   * docs' example predates fields every gateway dispatch now carries and discord.js reads
   * (`entitlements`, `authorizing_integration_owners`, `context`): without them discord.js's own
   * INTERACTION_CREATE handler throws, unhandled, after ours has run.
   */
  const command = (name: string, options: Payload[], member: { permissions?: string; roles?: string[] } = {}): Payload => {
    const base = corpus('docs/interaction.application_command.chat_input.json');
    const token = `aW50ZXJhY3Rpb24${randomBytes(24).toString('base64url')}`;
    tokens.push(token);
    const baseMember = base.member as Payload;
    return {
      ...base,
      id: String(1_300_000_000_000_000_000n + BigInt(tokens.length)),
      token,
      application_id: APPLICATION,
      version: 1,
      entitlements: [],
      authorizing_integration_owners: { '0': base.guild_id },
      context: 0,
      attachment_size_limit: 10_485_760,
      channel_id: CHANNEL,
      member: { ...baseMember, permissions: member.permissions ?? '0', roles: member.roles ?? [] },
      data: { type: 1, id: '771825006014889984', name, options },
    };
  };
  const watch = (action: string, term: string, member?: { permissions?: string; roles?: string[] }): Payload =>
    command('watch', [{ type: 3, name: 'action', value: action }, { type: 3, name: 'term', value: term }], member);
  const callbackPath = (interaction: Payload): string => `/api/v10/interactions/${String(interaction.id)}/${String(interaction.token)}/callback`;

  /** Dispatches INTERACTION_CREATE to the bot's session and waits for its initial response. */
  const deliver = async (interaction: Payload): Promise<{ type: number; data?: Payload }> => {
    expect(api.gateway.dispatch('INTERACTION_CREATE', interaction)).toBe(1);
    const request = await api.awaitRequest((received) => decodeURIComponent(received.path) === callbackPath(interaction));
    expect(request.authorization, 'an interaction callback is authorised by its token, not the bot token').toBeUndefined();
    return request.body as { type: number; data?: Payload };
  };
  const terms = async (): Promise<string[]> => (await stores.watchTerms.list('ops-discord')).map((term) => term.term.toLowerCase()).sort();

  beforeAll(async () => {
    api = await startFakeDiscordApi();
    stores = openTempStores();
    await seedSocarStories(stores.stories);
    const written = writeTestConfig(`
profiles: { dir: ${JSON.stringify(path.join(REPO_ROOT, 'config/profiles'))} }
destinations:
  - { id: ops-discord, platform: discord, channel: "${CHANNEL}", profiles: [azerbaijan-russia], configureRole: "${CONFIGURE_ROLE}" }
`);
    configDir = written.dir;
    const loaded = loadAppConfig({ ...written.env, DISCORD_TOKEN: secrets.discordToken, WIREWATCH_DISCORD_API_URL: api.apiUrl }, REPO_ROOT);
    const destinations: Destination[] = loaded.config.destinations.map((entry) => ({ ...entry, platform: 'discord' as const }));
    chat = createChatPlatforms({
      env: loaded.env,
      config: loaded.config,
      destinations,
      commandDeps: { ...commandDepsFor(stores), stories: stores.stories, pauses: stores.outbox },
      outbox: stores.outbox,
      logger: logs.logger,
      connect: true,
    });
    // discord.js resolves login once the fake gateway has answered IDENTIFY with READY.
    await chat.start();
  });
  afterAll(async () => {
    await chat?.stop();
    await api?.close();
    await stores?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('logs in with the bot token: GET /gateway/bot, one IDENTIFY', () => {
    expect(api.gateway.identified()).toBe(1);
    expect(api.requests.find((request) => request.path === '/api/v10/gateway/bot')?.authorization).toBe(`Bot ${secrets.discordToken}`);
  });

  it('answers /timeline query:socar in the interaction callback, escaped, with mentions off', async () => {
    const answer = await deliver(command('timeline', [{ type: 3, name: 'query', value: 'socar' }]));
    expect(answer.type).toBe(4);
    expect(String(answer.data?.content)).toContain('SOCAR depot hit');
    expect(String(answer.data?.content)).not.toMatch(/@everyone|<!channel>/);
    expect(answer.data?.allowed_mentions).toEqual({ parse: [] });
    expect(answer.data?.flags).toBeUndefined();
  });

  it('/wirewatch help is answered the same way', async () => {
    const answer = await deliver(command('wirewatch', [{ type: 3, name: 'action', value: 'help' }]));
    expect(answer.type).toBe(4);
    expect(String(answer.data?.content)).toMatch(/\/timeline/);
    expect(answer.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it('/timeline with chart is deferred (type 5), then the original is edited with the text and a PNG', async () => {
    const interaction = command('timeline', [{ type: 3, name: 'query', value: 'socar' }, { type: 5, name: 'chart', value: true }]);
    expect(await deliver(interaction)).toEqual({ type: 5, data: {} });
    const original = `/api/v10/webhooks/${APPLICATION}/${String(interaction.token)}/messages/@original`;
    const edit = await api.awaitRequest((request) => request.method === 'PATCH' && decodeURIComponent(request.path) === original);
    expect(edit.authorization).toBeUndefined();
    expect(edit.files[0]?.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(String((edit.body as Payload).content)).toContain('SOCAR depot hit');
  });

  it('a Timeline button (component interaction) is answered ephemerally', async () => {
    // A component interaction carries the message whose button was pressed: here, an alert the bot posted.
    const bot = { id: '100000000000000001', username: 'wirewatch', discriminator: '0', global_name: null, avatar: null, bot: true };
    const message = {
      id: '1200000000000000001', channel_id: CHANNEL, type: 0, author: bot, content: '', embeds: [], attachments: [], components: [], mentions: [], mention_roles: [],
      mention_everyone: false, pinned: false, tts: false, flags: 0, timestamp: new Date().toISOString(), edited_timestamp: null,
    };
    const interaction = { ...command('timeline', []), type: 3, message, data: { component_type: 2, custom_id: 'ww:tl:socar' } };
    const answer = await deliver(interaction);
    expect(answer.type).toBe(4);
    expect(answer.data).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    expect(String(answer.data?.content)).toContain('SOCAR');
  });

  it('/watch add: refused ephemerally without permission (nothing stored); Manage Channels or the configured role may', async () => {
    const refused = await deliver(watch('add', 'Gazprom', { permissions: '0', roles: ['539082325061836999'] }));
    expect(refused.type).toBe(4);
    expect(refused.data).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    expect(String(refused.data?.content)).toContain('Nothing was changed');
    expect(await terms()).toEqual([]);

    const byManager = await deliver(watch('add', 'Gazprom', { permissions: MANAGE_CHANNELS }));
    expect(String(byManager.data?.content)).toContain('Now watching');
    expect(await terms()).toEqual(['gazprom']);

    const byRole = await deliver(watch('add', 'Rosneft', { roles: [CONFIGURE_ROLE] }));
    expect(String(byRole.data?.content)).toContain('Now watching');
    expect(await terms()).toEqual(['gazprom', 'rosneft']);
    await deliver(watch('remove', 'Gazprom', { permissions: MANAGE_CHANNELS }));
    await deliver(watch('remove', 'Rosneft', { permissions: MANAGE_CHANNELS }));
    expect(await terms()).toEqual([]);
  });

  it('the same interaction delivered twice has one effect and one answer', async () => {
    const add = watch('add', 'Kvarnovo', { permissions: MANAGE_CHANNELS });
    await deliver(add);
    expect(await terms()).toEqual(['kvarnovo']);
    await deliver(watch('remove', 'Kvarnovo', { permissions: MANAGE_CHANNELS }));
    expect(await terms()).toEqual([]);

    expect(api.gateway.dispatch('INTERACTION_CREATE', add)).toBe(1);
    // Dispatches are handled in order: once the next interaction is answered, the replay has been seen.
    const list = await deliver(watch('list', '', { permissions: MANAGE_CHANNELS }));
    expect(String(list.data?.content)).toMatch(/Channel watch terms \\\(0 of/);
    expect(String(list.data?.content)).not.toMatch(/kvarnovo/i);
    expect(await terms()).toEqual([]);
    // Discord accepts one initial response per interaction; the replay must not try a second.
    expect(api.requests.filter((request) => decodeURIComponent(request.path) === callbackPath(add))).toHaveLength(1);
    expect(api.followUps).toEqual([]);
    expect(logs.text()).toContain('replayed interaction ignored');
  });

  it('a failed callback is logged without the bot token or the interaction token', async () => {
    api.scriptCallbacks({ status: 404, body: corpus('issues/error.10062.unknown-interaction.body.json') });
    await deliver(command('wirewatch', [{ type: 3, name: 'action', value: 'help' }]));
    await until(() => logs.text().includes('Unknown interaction'));
    // Every line logged since login: the replay note, this failure, and anything discord.js made us log.
    const lines = logs.text().trim().split('\n');
    expect(lines.some((entry) => entry.includes('"error":"Unknown interaction"'))).toBe(true);
    for (const entry of lines) for (const secret of [secrets.discordToken, ...tokens]) expect(entry).not.toContain(secret);
  });
});
