import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/main.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** A port nothing listens on right now (WIREWATCH_HTTP_PORT must be a real port, not 0). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function signed(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/**
 * Slack in HTTP mode and the observability endpoints share WIREWATCH_HTTP_PORT: one port to publish,
 * one probe. Before, a Slack (or Discord interactions) endpoint took the port and /healthz and
 * /metrics were not served at all.
 */
describe('one HTTP port: /healthz, /metrics and POST /slack/events', () => {
  let api: FakeSlackApi;
  let app: App;
  let base: string;

  beforeAll(async () => {
    api = await startFakeSlackApi();
    const dir = writeTestConfig('').dir;
    const { env } = writeTestConfig(`
store: { path: ${JSON.stringify(path.join(dir, 'store.sqlite'))} }
profiles: { dir: ${JSON.stringify(path.join(REPO_ROOT, 'config/profiles'))} }
feeds: []
destinations:
  - { id: newsroom, platform: slack, channel: CAAAA, profiles: [azerbaijan-russia] }
`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await openApp({
      cwd: REPO_ROOT,
      env: { ...env, WIREWATCH_HTTP_PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, WIREWATCH_SLACK_API_URL: api.apiUrl },
      stdout: new PassThrough(),
      live: true,
    });
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('answers /healthz with the store status', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', pending: 0 });
  });

  it('serves Prometheus text on /metrics', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('wirewatch_outbox_depth 0');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('hands a signed Slack request to the Slack endpoint on the same port, and refuses an unsigned one', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'one-port-challenge', type: 'url_verification' });
    const response = await fetch(`${base}/slack/events`, { method: 'POST', body, headers: signed(body) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'one-port-challenge' });
    const forged = await fetch(`${base}/slack/events`, { method: 'POST', body, headers: { ...signed(body), 'x-slack-signature': 'v0=00' } });
    expect(forged.status).toBe(401);
  });

  it('keeps /healthz read-only and names the endpoints it has on a 404', async () => {
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    const missing = await fetch(`${base}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/slack/events');
  });
});
