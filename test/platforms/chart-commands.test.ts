import { createHmac, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../src/commands/context.js';
import { editOriginal } from '../../src/platforms/discord/gateway.js';
import { createDiscordHttpHandler } from '../../src/platforms/discord/http-endpoint.js';
import { createDiscordRest } from '../../src/platforms/discord/rest.js';
import { discordPublicKey } from '../../src/platforms/discord/signature.js';
import { createSlackHttpHandler } from '../../src/platforms/slack/http-endpoint.js';
import { createImageSharer } from '../../src/platforms/slack/share-images.js';
import { createSlackWebClient } from '../../src/platforms/slack/web-client.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { capturingLogger, destination, openTempStores } from './delivery-harness.js';
import { commandDepsFor, serve, until } from './inbound-harness.js';
import { PNG_SIGNATURE, seedSocarStories } from './story-harness.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const CHANNEL = '645027906669510667';

function withStories(stores: SqliteStores): CommandDeps {
  return { ...commandDepsFor(stores), stories: stores.stories };
}

describe('/timeline socar --chart over a Slack command attaches one PNG', () => {
  let stores: SqliteStores;
  let api: FakeSlackApi;
  let server: Awaited<ReturnType<typeof serve>>;
  let logs: ReturnType<typeof capturingLogger>;

  const command = (text: string, trigger: string): Promise<{ status: number; text: string }> => {
    const body = new URLSearchParams({ team_id: 'T1', channel_id: 'CAAAA', user_id: 'U1', user_name: 'ann', command: '/timeline', text, response_url: `${api.url}/hooks/commands/T1/1/abc`, trigger_id: trigger }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return server.post(body, { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature });
  };

  beforeEach(async () => {
    stores = openTempStores();
    await seedSocarStories(stores.stories);
    api = await startFakeSlackApi();
    logs = capturingLogger();
    const client = createSlackWebClient({ token: 'xoxb-test', apiUrl: api.apiUrl, logger: logs.logger, timeoutMs: 2_000 });
    server = await serve(
      createSlackHttpHandler({
        signingSecret: SECRET,
        answer: { destinations: [destination('a', 'slack', 'CAAAA')], commandDeps: withStories(stores), configureUsers: new Map(), isWorkspaceAdmin: async () => false, feedback: stores.outbox, logger: logs.logger, now: () => new Date() },
        respond: async (url, body) => {
          await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        },
        responseUrlAllowed: (url) => url.startsWith(api.url),
        shareImages: createImageSharer(client),
      }),
    );
  });
  afterEach(async () => {
    await server.close();
    await api.close();
    await stores.close();
  });

  it('answers with the timeline text, then shares the chart in the channel', async () => {
    const response = await command('socar --chart', 'c1');
    const answer = JSON.parse(response.text) as { response_type: string; text: string };
    expect(answer.response_type).toBe('in_channel');
    expect(answer.text).toContain('SOCAR depot hit &lt;!channel&gt;');
    await until(() => api.uploads[0]?.sharedIn !== null && api.uploads.length > 0);
    expect(api.uploads).toHaveLength(1);
    expect(api.uploads[0]?.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(api.uploads[0]).toMatchObject({ sharedIn: { channel: 'CAAAA' }, altText: expect.stringMatching(/^Stories per day for SOCAR: 3 stories/) });
    expect(api.responses).toEqual([]);
  });

  it('without --chart nothing is uploaded; a failed upload leaves the answer and tells the asker', async () => {
    await command('socar', 'c2');
    expect(api.calls.filter((call) => call.method.startsWith('files.'))).toEqual([]);
    api.scriptMethod('files.completeUploadExternal', { body: { ok: false, error: 'not_in_channel' } });
    const response = await command('socar --chart', 'c3');
    expect(JSON.parse(response.text)).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('SOCAR') });
    await until(() => api.responses.length === 1);
    expect(api.responses[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('could not be attached (not_in_channel)') });
  });
});

describe('/timeline socar with chart over a Discord interaction attaches one PNG', () => {
  let stores: SqliteStores;
  let api: FakeDiscordApi;
  let server: Awaited<ReturnType<typeof serve>>;
  let privateKey: KeyObject;

  const interaction = (id: string, chart: boolean): Record<string, unknown> => ({
    id,
    type: 2,
    token: `token-${id}`,
    application_id: '111111111111111111',
    channel_id: CHANNEL,
    guild_id: '222222222222222222',
    member: { user: { id: '333333333333333333', username: 'ann' }, roles: [], permissions: '0' },
    data: { name: 'timeline', type: 1, options: [{ type: 3, name: 'query', value: 'socar' }, ...(chart ? [{ type: 5, name: 'chart', value: true }] : [])] },
  });
  const send = (payload: unknown) => {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return server.post(body, { 'content-type': 'application/json', 'x-signature-timestamp': timestamp, 'x-signature-ed25519': edSign(null, Buffer.from(timestamp + body), privateKey).toString('hex') });
  };

  beforeEach(async () => {
    stores = openTempStores();
    await seedSocarStories(stores.stories);
    api = await startFakeDiscordApi();
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    const publicHex = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    const rest = createDiscordRest({ token: 'discord-token', apiUrl: api.apiUrl, timeoutMs: 2_000 });
    const logger = capturingLogger().logger;
    server = await serve(
      createDiscordHttpHandler({
        publicKey: discordPublicKey(publicHex),
        answer: { destinations: [destination('d', 'discord', CHANNEL)], commandDeps: withStories(stores), configure: new Map(), feedback: stores.outbox, logger, now: () => new Date() },
        editOriginal: (received, message) => editOriginal(rest, received, message, logger),
      }),
    );
  });
  afterEach(async () => {
    await server.close();
    await api.close();
    await stores.close();
  });

  it('defers, then edits the original with the text and files[0] (a PNG) named by an attachments entry', async () => {
    const initial = JSON.parse((await send(interaction('5001', true))).text) as unknown;
    expect(initial).toEqual({ type: 5, data: {} });
    await until(() => api.edits.length === 1);
    const [edit] = api.edits;
    expect(decodeURIComponent(edit?.path ?? '')).toBe('/api/v10/webhooks/111111111111111111/token-5001/messages/@original');
    expect(edit?.files).toHaveLength(1);
    expect(edit?.files[0]).toMatchObject({ key: 'files[0]', name: 'chart-1.png', contentType: 'image/png' });
    expect(edit?.files[0]?.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(edit?.body).toMatchObject({ attachments: [{ id: 0, filename: 'chart-1.png', description: expect.stringMatching(/^Stories per day for SOCAR/) }], allowed_mentions: { parse: [] } });
    expect(String(edit?.body.content)).toContain('SOCAR depot hit');
    expect(String(edit?.body.content)).not.toMatch(/@everyone/);
  });

  it('without the chart option the answer is inline text; a refused picture leaves the text with a note', async () => {
    const inline = JSON.parse((await send(interaction('5002', false))).text) as { type: number; data: { content: string } };
    expect(inline.type).toBe(4);
    expect(inline.data.content).toContain('SOCAR depot hit');
    api.scriptEdits({ status: 400, body: { code: 50035, message: 'Invalid Form Body' } });
    await send(interaction('5003', true));
    await until(() => api.edits.length === 1);
    expect(api.edits[0]?.files).toEqual([]);
    expect(api.edits[0]?.body.attachments).toBeUndefined();
    expect(String(api.edits[0]?.body.content)).toMatch(/SOCAR depot hit[\s\S]*\n\*The chart could not be attached \(Discord 400 code 50035\); the text is complete\.\*$/);
  });
});
