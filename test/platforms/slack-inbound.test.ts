import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackHttpHandler } from '../../src/platforms/slack/http-endpoint.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { capturingLogger, destination, openTempStores, queueAlerts } from './delivery-harness.js';
import { commandDepsFor, serve, until } from './inbound-harness.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const ADMIN = 'UADMIN1';

function sign(body: string, timestamp: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function commandBody(text: string, trigger: string, user = ADMIN, command = '/watch', responseUrl = ''): string {
  return new URLSearchParams({ token: 'legacy', team_id: 'T1', channel_id: 'CAAAA', user_id: user, user_name: 'ann', command, text, response_url: responseUrl, trigger_id: trigger }).toString();
}

describe('Slack HTTP mode: POST /slack/events', () => {
  let stores: SqliteStores;
  let api: FakeSlackApi;
  let server: Awaited<ReturnType<typeof serve>>;
  let logs: ReturnType<typeof capturingLogger>;
  let inlineWithinMs: number;

  const send = (body: string, headers: Record<string, string> = {}, timestamp = Math.floor(Date.now() / 1000)) =>
    server.post(body, { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(body, timestamp), ...headers });

  beforeEach(async () => {
    stores = openTempStores();
    api = await startFakeSlackApi();
    logs = capturingLogger();
    inlineWithinMs = 2_000;
    const handler = createSlackHttpHandler({
      signingSecret: SECRET,
      answer: {
        destinations: [destination('a', 'slack', 'CAAAA')],
        commandDeps: commandDepsFor(stores),
        configureUsers: new Map([['a', ['UALLOWED']]]),
        isWorkspaceAdmin: async (user) => user === ADMIN,
        feedback: stores.outbox,
        logger: logs.logger,
        now: () => new Date(),
      },
      respond: async (url, body) => {
        await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      },
      responseUrlAllowed: (url) => url.startsWith(api.url),
      get inlineWithinMs() {
        return inlineWithinMs;
      },
    });
    server = await serve(handler);
  });
  afterEach(async () => {
    await server.close();
    await api.close();
    await stores.close();
    expect(logs.text()).not.toContain(SECRET);
  });

  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    const response = await send(body, { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('runs a configuration command for an admin; an echoed mention comes back escaped (§3 C42)', async () => {
    const added = await send(commandBody('add SOCAR', 't0'));
    expect(JSON.parse(added.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('SOCAR') });
    expect((await stores.watchTerms.list('a')).map((term) => term.term)).toEqual(['SOCAR']);
    const response = await send(commandBody('add <!channel> <@U024BE7LH>', 't1'));
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('&lt;!channel&gt;');
    expect(response.text).not.toMatch(/<!channel>|<@U024BE7LH>/);
    expect(await stores.watchTerms.list('a')).toHaveLength(1);
  });

  it('refuses configuration politely for others, server-side, and changes nothing', async () => {
    const response = await send(commandBody('add SOCAR', 't2', 'UNOBODY'));
    expect(JSON.parse(response.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Nothing was changed') });
    expect(await stores.watchTerms.list('a')).toEqual([]);
    await send(commandBody('add SOCAR', 't3', 'UALLOWED'));
    expect(await stores.watchTerms.list('a')).toHaveLength(1);
  });

  it('a retried delivery (same trigger_id, X-Slack-Retry-Num) has one effect', async () => {
    await send(commandBody('add SOCAR', 't4'));
    await send(commandBody('remove SOCAR', 't5'));
    const replay = await send(commandBody('add SOCAR', 't4'), { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(replay.status).toBe(200);
    expect(await stores.watchTerms.list('a')).toEqual([]);
  });

  describe('signature failures → 401, no side effects (reliability.md §3 D45)', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: [string, (body: string) => Record<string, string>][] = [
      ['missing headers', () => ({ 'x-slack-request-timestamp': '', 'x-slack-signature': '' })],
      ['non-numeric timestamp', (body) => ({ 'x-slack-request-timestamp': 'abc', 'x-slack-signature': sign(body, now()) })],
      ['timestamp now − 301 s', (body) => ({ 'x-slack-request-timestamp': String(now() - 301), 'x-slack-signature': sign(body, now() - 301) })],
      ['timestamp now + 301 s', (body) => ({ 'x-slack-request-timestamp': String(now() + 301), 'x-slack-signature': sign(body, now() + 301) })],
      ['v1= version', (body) => ({ 'x-slack-signature': sign(body, now()).replace('v0=', 'v1=') })],
      ['wrong secret', (body) => ({ 'x-slack-signature': sign(body, now(), 'another-secret') })],
      ['different-length signature', (body) => ({ 'x-slack-signature': `${sign(body, now())}00` })],
      ['short signature', () => ({ 'x-slack-signature': 'v0=abcd' })],
    ];
    it.each(cases)('%s', async (_name, headers) => {
      const body = commandBody('add SOCAR', `sig-${_name}`);
      const response = await send(body, headers(body));
      expect(response.status).toBe(401);
      expect(await stores.watchTerms.list('a')).toEqual([]);
    });

    it('a 1-byte body change', async () => {
      const body = commandBody('add SOCAR', 'sig-body');
      const timestamp = now();
      const response = await server.post(body.replace('SOCAR', 'SOCAS'), { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(body, timestamp) });
      expect(response.status).toBe(401);
      expect(await stores.watchTerms.list('a')).toEqual([]);
    });

    it('now − 299 s is still accepted (the window is 5 minutes)', async () => {
      const response = await send(commandBody('add SOCAR', 'sig-299'), {}, now() - 299);
      expect(response.status).toBe(200);
      expect(await stores.watchTerms.list('a')).toHaveLength(1);
    });
  });

  it('acks a slow command at once and answers through response_url', async () => {
    inlineWithinMs = 0;
    const response = await send(commandBody('list', 't6', 'UNOBODY', '/watch', `${api.url}/hooks/commands/T1/1/abc`));
    expect(JSON.parse(response.text)).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
    await until(() => api.responses.length === 1);
    expect(api.responses[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('Watching in CAAAA') });
  });

  it('stores 👍 from an alert button once, and drops a response_url that is not Slack’s', async () => {
    await queueAlerts(stores, ['a']);
    const payload = { type: 'block_actions', trigger_id: 'tr-1', user: { id: 'U9' }, channel: { id: 'CAAAA' }, response_url: `${api.url}/hooks/actions/1`, actions: [{ action_id: 'ww_up', value: 'ww:up:1', action_ts: '1' }] };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    expect((await send(body)).status).toBe(200);
    expect((await send(body)).status).toBe(200);
    await until(() => api.responses.length === 1);
    expect(api.responses[0]?.body.text).toContain('👍');
    const evil = new URLSearchParams({ payload: JSON.stringify({ ...payload, trigger_id: 'tr-2', response_url: 'https://evil.example/steal' }) }).toString();
    expect((await send(evil)).status).toBe(200);
    await until(() => logs.text().includes('follow-up dropped'));
  });
});
