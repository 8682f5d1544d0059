import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryFollowUp } from '../../src/pipeline/ports.js';
import { DiscordNotifier } from '../../src/platforms/discord/discord-notifier.js';
import { createDiscordRest } from '../../src/platforms/discord/rest.js';
import { SlackNotifier } from '../../src/platforms/slack/slack-notifier.js';
import { createSlackWebClient } from '../../src/platforms/slack/web-client.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { capturingLogger, destination } from './delivery-harness.js';

function followUp(platform: 'slack' | 'discord', channel: string, receipt: string): StoryFollowUp {
  return {
    destination: destination('d', platform, channel),
    storyId: 3,
    alertReceipt: receipt,
    deliveryKey: 'ww-story-3-17',
    headline: 'Drone strike on SOCAR depot',
    sources: 4,
    items: 5,
    added: [{ title: '@everyone <!channel> More details', source: 'Wire <@U1>', link: 'https://news.example/more', published: '2025-10-25T10:00:00Z' }],
    more: 2,
  };
}

describe('story follow-ups in the alert’s thread', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  const logger = capturingLogger().logger;
  const noAttempts = {};

  beforeEach(async () => {
    slack = await startFakeSlackApi();
    discord = await startFakeDiscordApi();
  });
  afterEach(async () => {
    await slack.close();
    await discord.close();
  });

  it('Slack: a thread reply on the alert’s ts, escaped', async () => {
    const notifier = new SlackNotifier({ client: createSlackWebClient({ token: 'xoxb-t', apiUrl: slack.apiUrl, logger }), attempts: noAttempts, logger, spacingMs: 0 });
    expect(await notifier.followUp(followUp('slack', 'CAAAA', 'CAAAA/1700000000.000100'))).toMatchObject({ kind: 'sent' });
    expect(slack.posted[0]?.thread_ts).toBe('1700000000.000100');
    expect(slack.posted[0]?.text).toContain('*+3 new reports* · 4 sources');
    expect(slack.posted[0]?.text).not.toMatch(/<!channel>|<@U1>/);
  });

  it('Discord: a reply to the alert message with a nonce, pinging nobody, once even when retried', async () => {
    const notifier = new DiscordNotifier({ rest: createDiscordRest({ token: 't', apiUrl: discord.apiUrl }), attempts: noAttempts, logger });
    const message = followUp('discord', '111111111111111111', '111111111111111111/1200000000000000099');
    expect(await notifier.followUp(message)).toMatchObject({ kind: 'sent' });
    expect(await notifier.followUp(message)).toMatchObject({ kind: 'sent' });
    expect(discord.messages).toHaveLength(1);
    expect(discord.messages[0]?.body).toMatchObject({
      nonce: 'ww-story-3-17',
      enforce_nonce: true,
      allowed_mentions: { parse: [], replied_user: false },
      message_reference: { message_id: '1200000000000000099', fail_if_not_exists: false },
    });
    expect(String(discord.messages[0]?.body.content)).not.toMatch(/@everyone|<!channel>|<@U1>/);
    expect(String(discord.messages[0]?.body.content)).toContain('[everyone !channel More details](<https://news.example/more>)');
  });
});
