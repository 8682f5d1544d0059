import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/main.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import { rss, startTestFeedServer, type TestFeedServer } from '../support/feed-server.js';

/**
 * Hostile feeds and a hostile network in one poll cycle (reliability.md §3 A–B at the pipeline
 * level): each bad feed gets a typed error on its own record, the good feed is unaffected, the
 * process keeps running, and nothing is alerted from the bad ones.
 */
describe('hostile feeds in one cycle', () => {
  let server: TestFeedServer;
  let secret: Server;
  let app: App;
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));

  beforeAll(async () => {
    server = await startTestFeedServer();
    // A second loopback server that is NOT allowlisted: a redirect to it must be refused.
    secret = createServer((_request, response) => response.end('<rss><channel><item><title>SECRET</title></item></channel></rss>'));
    await new Promise<void>((resolve) => secret.listen(0, '127.0.0.1', resolve));
    const secretPort = (secret.address() as AddressInfo).port;

    const good = rss('Good', [{ title: 'Weather is mild', link: 'https://good.example/1', description: 'Calm.', pubDate: '2025-01-01T00:00:00Z' }]);
    server.set('/good.xml', { body: good });
    server.set('/html.xml', { body: '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>', contentType: 'text/html' });
    server.set('/empty.xml', { body: '' });
    server.set('/laughs.xml', {
      body: '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><title>&lol2;</title></channel></rss>',
    });
    server.set('/xxe.xml', { body: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>' });
    server.set('/gone.xml', { status: 410, body: 'gone' });
    const bombServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      response.end(gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20)));
    });
    await new Promise<void>((resolve) => bombServer.listen(0, '127.0.0.1', resolve));
    const bombPort = (bombServer.address() as AddressInfo).port;
    const redirect = createServer((_request, response) => {
      response.writeHead(302, { location: `http://127.0.0.1:${secretPort}/secret.xml` }).end();
    });
    await new Promise<void>((resolve) => redirect.listen(0, '127.0.0.1', resolve));
    const redirectPort = (redirect.address() as AddressInfo).port;

    const dir = writeTestConfig('').dir;
    const { env } = writeTestConfig(`
store: { path: ${JSON.stringify(path.join(dir, 'store.sqlite'))} }
fetch: { allowPrivate: ["127.0.0.1:${server.port}", "127.0.0.1:${bombPort}", "127.0.0.1:${redirectPort}"], maxBytes: 1048576 }
feeds:
  - { id: good, name: Good, url: "${server.url}/good.xml" }
  - { id: html, name: Html, url: "${server.url}/html.xml" }
  - { id: empty, name: Empty, url: "${server.url}/empty.xml" }
  - { id: laughs, name: Laughs, url: "${server.url}/laughs.xml" }
  - { id: xxe, name: Xxe, url: "${server.url}/xxe.xml" }
  - { id: bomb, name: Bomb, url: "http://127.0.0.1:${bombPort}/bomb.xml" }
  - { id: gone, name: Gone, url: "${server.url}/gone.xml" }
  - { id: redirect, name: Redirect, url: "http://127.0.0.1:${redirectPort}/feed.xml" }
  - { id: literal, name: Literal, url: "http://2130706433:${secretPort}/secret.xml" }
destinations:
  - { id: terminal, platform: console, channel: terminal, profiles: [azerbaijan-russia] }
`);
    app = await openApp({ cwd: REPO_ROOT, env, stdout: out, json: true, live: true });
    await app.runCycle({ all: true });
    // Keep the helper servers for teardown.
    (app as App & { extra?: Server[] }).extra = [bombServer, redirect];
  });

  afterAll(async () => {
    const extra = (app as App & { extra?: Server[] }).extra ?? [];
    await app.close();
    await server.close();
    for (const other of [secret, ...extra]) await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  const errorOf = async (id: string): Promise<string | undefined> => (await app.stores.feeds.get(id))?.lastError?.code;

  it('records a typed error on each bad feed', async () => {
    expect(await errorOf('html')).toBe('not_a_feed');
    expect(await errorOf('empty')).toBe('empty_body');
    expect(await errorOf('laughs')).toBe('invalid_xml');
    expect(await errorOf('xxe')).toBe('invalid_xml');
    expect(await errorOf('bomb')).toBe('too_large');
    expect(await errorOf('redirect')).toBe('blocked_address');
    expect(await errorOf('literal')).toBe('blocked_address');
  });

  it('disables a feed that is gone (410) at once, and backs off the others', async () => {
    const gone = await app.stores.feeds.get('gone');
    expect(gone?.disabledAt).not.toBeNull();
    expect(gone?.disabledReason).toMatch(/410/);
    const html = await app.stores.feeds.get('html');
    expect(html?.disabledAt).toBeNull();
    expect(Date.parse(html?.nextCheckAt ?? '') - Date.now()).toBeGreaterThan(3 * 60_000);
  });

  it('keeps the good feed working and never leaks what the guard blocked', async () => {
    const good = await app.stores.feeds.get('good');
    expect(good?.lastError).toBeNull();
    expect(good?.seeded).toBe(true);
    expect(printed).not.toContain('SECRET');
    expect(printed).not.toContain('root:');
    const again = await app.runCycle({ all: true });
    expect(again.poll.polled).toBeGreaterThan(0);
  });
});
