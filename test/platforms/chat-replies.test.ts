import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduledDigests } from '../../src/commands/digest.js';
import type { Destination } from '../../src/core/alert.js';
import type { Reply } from '../../src/core/reply.js';
import { line, reply, text } from '../../src/core/reply.js';
import type { Notifier } from '../../src/pipeline/ports.js';
import { DiscordNotifier } from '../../src/platforms/discord/discord-notifier.js';
import { createDiscordRest } from '../../src/platforms/discord/rest.js';
import { SlackNotifier } from '../../src/platforms/slack/slack-notifier.js';
import { createSlackWebClient } from '../../src/platforms/slack/web-client.js';
import { storiesPerDayPng } from '../../src/stories/chart.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { capturingLogger, openTempStores } from './delivery-harness.js';
import { PNG_SIGNATURE, seedSocarStories } from './story-harness.js';

// A fake bot token, assembled at run time so no token-shaped literal sits in the repository.
const SLACK_TOKEN = ['xoxb', '1111', '2222', 'SECRETslacktoken'].join('-');
const SLACK: Destination = { id: 'news-slack', platform: 'slack', channel: 'CAAAA', profiles: ['azerbaijan-russia'], threshold: null, maxAlertsPerCycle: 10 };
const DISCORD: Destination = { id: 'news-discord', platform: 'discord', channel: '645027906669510667', profiles: ['azerbaijan-russia'], threshold: null, maxAlertsPerCycle: 10 };
const DIGEST = { cron: '0 8 * * *', window: 86_400, quietHours: null };

const charted = (alt = 'Stories per day for SOCAR: 3 stories'): Reply => ({
  ...reply([line(text('Timeline: SOCAR <!channel> @everyone'))]),
  images: [{ kind: 'image', png: storiesPerDayPng([{ day: '2025-10-12', count: 2 }, { day: '2025-10-13', count: 1 }]), alt }],
});

/** Runs the scheduler's digest jobs (as `run` would at their cron time) through these notifiers. */
async function runDigests(stores: SqliteStores, notifiers: Notifier[], destinations: Destination[]): Promise<unknown[]> {
  const jobs = scheduledDigests(destinations.map((destination) => ({ id: destination.id, digest: DIGEST })), destinations, stores.stories, new Map(notifiers.map((notifier) => [notifier.platform, notifier])));
  return Promise.all(jobs.map((job) => job.run()));
}

describe('replies posted unprompted (postReply): the scheduled digest and pictures', () => {
  let slackApi: FakeSlackApi;
  let discordApi: FakeDiscordApi;
  let stores: SqliteStores;
  let logs: ReturnType<typeof capturingLogger>;
  let slack: SlackNotifier;
  let discord: DiscordNotifier;

  beforeEach(async () => {
    slackApi = await startFakeSlackApi();
    discordApi = await startFakeDiscordApi();
    stores = openTempStores();
    logs = capturingLogger();
    slack = new SlackNotifier({ client: createSlackWebClient({ token: SLACK_TOKEN, apiUrl: slackApi.apiUrl, logger: logs.logger, timeoutMs: 2_000 }), attempts: {}, logger: logs.logger, spacingMs: 0 });
    discord = new DiscordNotifier({ rest: createDiscordRest({ token: 'discord-token', apiUrl: discordApi.apiUrl, timeoutMs: 2_000 }), attempts: {}, logger: logs.logger });
  });
  afterEach(async () => {
    await slackApi.close();
    await discordApi.close();
    await stores.close();
    expect(logs.text()).not.toContain(SLACK_TOKEN);
  });

  it('posts the scheduled digest on Slack and Discord, with feed text that cannot ping anyone', async () => {
    await seedSocarStories(stores.stories);
    expect(await runDigests(stores, [slack, discord], [SLACK, DISCORD])).toEqual(['posted', 'posted']);

    expect(slackApi.posted).toHaveLength(1);
    const [posted] = slackApi.posted;
    expect(posted?.channel).toBe('CAAAA');
    // Only the story of the last day: the window is one day.
    expect(posted?.text).toMatch(/^\*Digest: 1 top story, since the last digest\*\n1\. \*SOCAR depot hit/);
    expect(posted?.text).toContain('SOCAR depot hit &lt;!channel&gt; @everyone &lt;@U024BE7LH&gt;');
    expect(JSON.stringify(posted?.blocks)).toContain('SOCAR depot hit &lt;!channel&gt;');
    const slackWire = JSON.stringify(posted?.raw);
    expect(slackWire).not.toMatch(/<!channel>|<!here>|<@U024BE7LH>/);
    expect(posted?.raw.unfurl_links).toBe('false');

    expect(discordApi.messages).toHaveLength(1);
    const [message] = discordApi.messages;
    expect(message?.channel).toBe(DISCORD.channel);
    expect(message?.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true, nonce: expect.stringMatching(/^wwr-[\w-]{21}$/) });
    expect(message?.body.flags).toBeUndefined();
    const discordWire = JSON.stringify(message?.body);
    expect(discordWire).toContain('SOCAR depot hit');
    expect(discordWire).not.toMatch(/(?<!\\)<!channel|@everyone|@here|(?<!\\)<@U024BE7LH/);

    // Recorded: the next run covers only what happened since, and nothing happened.
    expect(await stores.stories.lastDigestAt(SLACK.id)).not.toBeNull();
    expect(await runDigests(stores, [slack, discord], [SLACK, DISCORD])).toEqual(['empty', 'empty']);
  });

  it('Discord: the same reply sent twice (a retried post) is one message, by its nonce', async () => {
    const answer = reply([line(text('Digest: 1 top story'))]);
    expect(await discord.postReply(DISCORD, answer)).toMatchObject({ kind: 'sent' });
    expect(await discord.postReply(DISCORD, answer)).toMatchObject({ kind: 'sent' });
    expect(discordApi.messages).toHaveLength(1);
    await discord.postReply({ ...DISCORD, id: 'other' }, answer);
    expect(discordApi.messages).toHaveLength(2);
    // A caller's stable key, when given, is the nonce.
    await discord.postReply(DISCORD, { ...answer, deliveryKey: 'ww-digest-7-2025-10-13' } as Reply);
    expect(discordApi.messages[2]?.body.nonce).toBe('ww-digest-7-2025-10-13');
    await discord.postReply(DISCORD, { ...answer, deliveryKey: 'ww-digest-news-discord-2025-10-13' } as Reply);
    expect(discordApi.messages[3]?.body.nonce).toMatch(/^wwk-[\w-]{21}$/);
  });

  it('Slack: a 429 holds that channel for its Retry-After; a lost channel is unreachable; refused blocks fall back to text', async () => {
    slackApi.script('CAAAA', { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
    expect(await slack.postReply(SLACK, reply([line(text('one'))]))).toEqual({ kind: 'retry', error: 'rate limited', retryAfterMs: 30_000 });
    expect(await slack.postReply(SLACK, reply([line(text('two'))]))).toMatchObject({ kind: 'retry', error: 'channel rate limited' });
    expect(slackApi.calls).toHaveLength(1);

    const other = { ...SLACK, id: 'b', channel: 'CBBBB' };
    slackApi.script('CBBBB', { body: { ok: false, error: 'invalid_blocks' } });
    expect(await slack.postReply(other, reply([line(text('three'))]))).toMatchObject({ kind: 'sent' });
    expect(slackApi.posted.at(-1)).toMatchObject({ channel: 'CBBBB', text: 'three', blocks: null });

    slackApi.script('CBBBB', { body: { ok: false, error: 'channel_not_found' } });
    // Unreachable, not "this message is bad": the relay pauses such a destination in the store.
    expect(await slack.postReply(other, reply([line(text('four'))]))).toEqual({ kind: 'unreachable', error: 'channel_not_found' });
  });

  it('Slack: pictures are uploaded and shared in the channel after the text, alt text kept, without the token', async () => {
    expect(await slack.postReply(SLACK, charted())).toMatchObject({ kind: 'sent' });
    expect(slackApi.posted).toHaveLength(1);
    expect(slackApi.uploads).toHaveLength(1);
    const [upload] = slackApi.uploads;
    expect(upload?.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(upload).toMatchObject({ filename: 'chart-1.png', altText: 'Stories per day for SOCAR: 3 stories', sharedIn: { channel: 'CAAAA', threadTs: null } });
    expect(upload?.length).toBe(upload?.bytes?.length);
    expect(upload?.uploadAuthorization).toBeUndefined();
    expect(slackApi.calls.map((call) => call.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
  });

  it('Slack: when the upload fails, the text stands and a note in its thread says so', async () => {
    slackApi.scriptUpload(500);
    expect(await slack.postReply(SLACK, charted())).toMatchObject({ kind: 'sent' });
    expect(slackApi.uploads[0]?.sharedIn).toBeNull();
    expect(slackApi.posted).toHaveLength(2);
    expect(slackApi.posted[1]).toMatchObject({ channel: 'CAAAA', thread_ts: slackApi.posted[0]?.ts, text: expect.stringMatching(/chart could not be attached \(upload answered HTTP 500\)/) });

    // A missing upload scope does not make the channel unreachable (nothing to pause): the text got through.
    slackApi.scriptMethod('files.getUploadURLExternal', { body: { ok: false, error: 'missing_scope' } });
    expect(await slack.postReply(SLACK, charted())).toMatchObject({ kind: 'sent' });
    expect(slackApi.posted.at(-1)?.text).toMatch(/could not be attached \(missing_scope\)/);

    // An upload URL that is neither Slack's files host nor the configured API origin gets no bytes.
    slackApi.scriptMethod('files.getUploadURLExternal', { body: { ok: true, upload_url: 'https://files.evil.example/upload/F1', file_id: 'F1' } });
    expect(await slack.postReply(SLACK, charted())).toMatchObject({ kind: 'sent' });
    expect(slackApi.posted.at(-1)?.text).toMatch(/could not be attached \(upload URL is not Slack’s\)/);
  });

  it('Discord: pictures go as files[0] with an attachments entry; refused, the text goes alone with a note', async () => {
    expect(await discord.postReply(DISCORD, charted())).toMatchObject({ kind: 'sent' });
    const [message] = discordApi.messages;
    expect(message?.files).toHaveLength(1);
    expect(message?.files[0]).toMatchObject({ key: 'files[0]', name: 'chart-1.png', contentType: 'image/png' });
    expect(message?.files[0]?.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(message?.body).toMatchObject({ attachments: [{ id: 0, filename: 'chart-1.png', description: 'Stories per day for SOCAR: 3 stories' }], allowed_mentions: { parse: [] }, enforce_nonce: true });

    discordApi.script(DISCORD.channel, { status: 413, body: { message: 'Request entity too large', code: 40005 } });
    expect(await discord.postReply(DISCORD, charted('another chart'))).toMatchObject({ kind: 'sent' });
    const last = discordApi.messages.at(-1);
    expect(last?.files).toEqual([]);
    expect(last?.body.attachments).toBeUndefined();
    expect(String(last?.body.content)).toMatch(/^Timeline: SOCAR .*\n\*The chart could not be attached \(Discord 413 code 40005\); the text is complete\.\*$/);
    expect(String(last?.body.content)).not.toMatch(/@everyone/);
  });
});
