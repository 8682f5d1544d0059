import { afterEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { createFeedFetcher } from '../../../src/feeds/fetch/index.js';
import { RSS, UA, startServer, text } from './test-server.js';
import type { Handler, TestServer } from './test-server.js';

const servers: TestServer[] = [];
async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function fetcherFor(...allowed: TestServer[]) {
  return createFeedFetcher({ userAgent: UA, allowPrivate: allowed.map((s) => s.hostPort), deadlineMs: 5000 });
}

describe('feed fetcher: conditional GET and headers', () => {
  it('returns the body, validators and final URL of a 200, sending identifying headers', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      res.end(RSS);
    });
    const outcome = await fetcherFor(server).fetch(server.url());
    expect(outcome.kind).toBe('fetched');
    if (outcome.kind !== 'fetched') return;
    expect(text(outcome.body)).toBe(RSS);
    expect(outcome.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(outcome.etag).toBe('"v1"');
    expect(outcome.lastModified).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(outcome.finalUrl).toBe(server.url());
    const req = server.stats.requests[0];
    expect(req?.headers['user-agent']).toBe(UA);
    expect(req?.headers.accept).toBe('application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5');
    expect(req?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(req?.headers['if-none-match']).toBeUndefined();
  });

  it('sends stored validators verbatim and maps 304 to not-modified', async () => {
    const server = await serve((req, res) => {
      const fresh = req.headers['if-none-match'] === 'W/"abc"' && req.headers['if-modified-since'] === 'Wed, 21 Oct 2015 07:28:00 GMT';
      res.writeHead(fresh ? 304 : 200, { 'cache-control': 'max-age=600' });
      res.end(fresh ? undefined : RSS);
    });
    const outcome = await fetcherFor(server).fetch(server.url(), { etag: 'W/"abc"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    expect(outcome).toEqual({ kind: 'not-modified', hints: { retryAfterSeconds: null, maxAgeSeconds: 600, ttlMinutes: null } });
  });

  it('drops a corrupt stored validator instead of failing the request', async () => {
    const server = await serve((_req, res) => res.end(RSS));
    const outcome = await fetcherFor(server).fetch(server.url(), { etag: '"a"\r\nX-Evil: 1', lastModified: null });
    expect(outcome.kind).toBe('fetched');
    expect(server.stats.requests[0]?.headers['x-evil']).toBeUndefined();
  });

  it('returns no validators when the server says no-store or Expires: 0', async () => {
    const server = await serve((req, res) => {
      const headers: Record<string, string> = { etag: '"v2"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' };
      if (req.url === '/no-store') headers['cache-control'] = 'no-store';
      else headers.expires = '0';
      res.writeHead(200, headers);
      res.end(RSS);
    });
    const fetcher = fetcherFor(server);
    for (const path of ['/no-store', '/expires']) {
      const outcome = await fetcher.fetch(server.url(path));
      expect(outcome.kind === 'fetched' && [outcome.etag, outcome.lastModified]).toEqual([null, null]);
    }
  });

  it('returns an empty 200 body as fetched with an empty body', async () => {
    const server = await serve((_req, res) => res.end());
    const outcome = await fetcherFor(server).fetch(server.url());
    expect(outcome.kind === 'fetched' && outcome.body.length).toBe(0);
  });

  it('decodes gzip, deflate, br and two stacked layers', async () => {
    const { deflateSync, brotliCompressSync } = await import('node:zlib');
    const bodies: Record<string, [string, Buffer]> = {
      '/gzip': ['gzip', gzipSync(RSS)],
      '/deflate': ['deflate', deflateSync(RSS)],
      '/br': ['br', brotliCompressSync(RSS)],
      '/two': ['gzip, br', brotliCompressSync(gzipSync(RSS))],
      '/identity': ['identity', Buffer.from(RSS)],
    };
    const server = await serve((req, res) => {
      const [encoding, body] = bodies[req.url ?? ''] ?? ['', Buffer.alloc(0)];
      res.writeHead(200, { 'content-encoding': encoding });
      res.end(body);
    });
    const fetcher = fetcherFor(server);
    for (const path of Object.keys(bodies)) {
      const outcome = await fetcher.fetch(server.url(path));
      expect(outcome.kind === 'fetched' && text(outcome.body), path).toBe(RSS);
    }
  });
});

describe('feed fetcher: statuses and freshness hints', () => {
  it('returns non-2xx statuses as http-error values with Retry-After and max-age hints', async () => {
    const retryAt = new Date(Date.now() + 120_000).toUTCString();
    const server = await serve((req, res) => {
      const status = Number(req.url?.slice(1).split('-')[0]);
      const headers: Record<string, string> = {};
      if (req.url === '/429') headers['retry-after'] = '3600';
      if (req.url === '/503') headers['retry-after'] = retryAt;
      if (req.url === '/503-absurd') headers['retry-after'] = '1000000000';
      if (req.url === '/404') headers['cache-control'] = 'public, max-age=86400';
      res.writeHead(status, headers);
      res.end('<html>secret error page</html>');
    });
    const fetcher = fetcherFor(server);
    const at = async (path: string) => fetcher.fetch(server.url(path));
    expect(await at('/410')).toEqual({ kind: 'http-error', status: 410, hints: { retryAfterSeconds: null, maxAgeSeconds: null, ttlMinutes: null } });
    expect(await at('/429')).toMatchObject({ kind: 'http-error', status: 429, hints: { retryAfterSeconds: 3600 } });
    const dated = await at('/503');
    expect(dated.kind === 'http-error' && dated.hints.retryAfterSeconds).toBeGreaterThanOrEqual(100);
    expect(dated.kind === 'http-error' && dated.hints.retryAfterSeconds).toBeLessThanOrEqual(121);
    expect(await at('/503-absurd')).toMatchObject({ hints: { retryAfterSeconds: 1_000_000_000 } });
    expect(await at('/404')).toMatchObject({ status: 404, hints: { maxAgeSeconds: 86400 } });
    expect(await at('/500')).toMatchObject({ kind: 'http-error', status: 500 });
    expect(await at('/300')).toMatchObject({ kind: 'http-error', status: 300 });
    expect(JSON.stringify(await at('/401'))).not.toContain('secret');
  });

  it('fails with network_error when the server resets the connection', async () => {
    const server = await serve((req) => req.socket.destroy());
    const outcome = await fetcherFor(server).fetch(server.url());
    expect(outcome.kind === 'failed' && outcome.error.code).toBe('network_error');
  });

  it('never throws, even for garbage input', async () => {
    const fetcher = createFeedFetcher({ userAgent: UA });
    for (const url of ['', 'not a url', 'http://', 'file:///etc/passwd']) {
      const outcome = await fetcher.fetch(url);
      expect(outcome.kind).toBe('failed');
    }
  });
});
