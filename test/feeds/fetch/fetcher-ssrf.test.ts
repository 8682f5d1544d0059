import { afterEach, describe, expect, it } from 'vitest';
import { createFeedFetcher } from '../../../src/feeds/fetch/index.js';
import { isBlockedAddress } from '../../../src/feeds/fetch/address-guard.js';
import { resolveTarget } from '../../../src/feeds/fetch/target.js';
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

const secretHandler: Handler = (_req, res) => res.end('SECRET');

function codeOf(outcome: Awaited<ReturnType<ReturnType<typeof createFeedFetcher>['fetch']>>): string {
  return outcome.kind === 'failed' ? outcome.error.code : outcome.kind;
}

describe('feed fetcher: SSRF guard', () => {
  it('blocks a redirect from an allowlisted server to a private port that is not allowlisted', async () => {
    const secret = await serve(secretHandler);
    const front = await serve((_req, res) => {
      res.writeHead(302, { location: secret.url('/secret') });
      res.end();
    });
    const outcome = await createFeedFetcher({ userAgent: UA, allowPrivate: [front.hostPort] }).fetch(front.url());
    expect(codeOf(outcome)).toBe('blocked_address');
    expect(JSON.stringify(outcome)).not.toContain('SECRET');
    expect(secret.stats.connections).toBe(0);
    expect(front.stats.requests).toHaveLength(1);
  });

  it.each([
    (port: number) => `http://127.0.0.1:${port}/`,
    (port: number) => `http://127.1:${port}/`,
    (port: number) => `http://2130706433:${port}/`,
    (port: number) => `http://0x7f.1:${port}/`,
    (port: number) => `http://017700000001:${port}/`,
    (port: number) => `http://0177.0.0.1:${port}/`,
    (port: number) => `http://0:${port}/`,
    (port: number) => `http://0.0.0.0:${port}/`,
    (port: number) => `http://[::ffff:127.0.0.1]:${port}/`,
    (port: number) => `http://[::ffff:7f00:1]:${port}/`,
    (port: number) => `http://[::1]:${port}/`,
    (port: number) => `http://localhost:${port}/`,
  ])('blocks encoding #%# of loopback with zero connections made', async (urlFor) => {
    const secret = await serve(secretHandler);
    const fetcher = createFeedFetcher({ userAgent: UA });
    const outcome = await fetcher.fetch(urlFor(secret.port));
    expect(codeOf(outcome)).toBe('blocked_address');
    expect(secret.stats.connections).toBe(0);
  });

  it('blocks a redirect hop to localhost on another port', async () => {
    const secret = await serve(secretHandler);
    const front = await serve((_req, res) => {
      res.writeHead(301, { location: `http://localhost:${secret.port}/` });
      res.end();
    });
    const outcome = await createFeedFetcher({ userAgent: UA, allowPrivate: [front.hostPort] }).fetch(front.url());
    expect(codeOf(outcome)).toBe('blocked_address');
    expect(secret.stats.connections).toBe(0);
  });

  it('checks every address a hostname resolves to, not just its name', async () => {
    const controller = new AbortController();
    // The static check knows 'localhost'; resolveTarget must block it by what it resolves to.
    await expect(resolveTarget(new URL('http://localhost:8080/'), new Set(), controller.signal)).rejects.toMatchObject({
      code: 'blocked_address',
    });
    const allowed = await resolveTarget(new URL('http://localhost:8080/'), new Set(['localhost:8080']), controller.signal);
    expect(isBlockedAddress(allowed.address)).toBe(true);
    await expect(resolveTarget(new URL('http://no-such-host.invalid/'), new Set(), controller.signal)).rejects.toMatchObject({
      code: 'network_error',
    });
  });

  it('lets an allowlisted hostname:port through when it resolves to loopback', async () => {
    const server = await serve((_req, res) => res.end(RSS));
    const fetcher = createFeedFetcher({ userAgent: UA, allowPrivate: [`localhost:${server.port}`] });
    // localhost may resolve to ::1 first, where nothing listens; what matters is that it is not blocked.
    const outcome = await fetcher.fetch(`http://localhost:${server.port}/feed.xml`);
    expect(codeOf(outcome)).not.toBe('blocked_address');
  });

  it('does not honour HTTP_PROXY / HTTPS_PROXY', async () => {
    const proxy = await serve(secretHandler);
    const server = await serve((_req, res) => res.end(RSS));
    const saved = { http: process.env.HTTP_PROXY, https: process.env.HTTPS_PROXY, lower: process.env.http_proxy };
    process.env.HTTP_PROXY = proxy.url('/');
    process.env.HTTPS_PROXY = proxy.url('/');
    process.env.http_proxy = proxy.url('/');
    try {
      const outcome = await createFeedFetcher({ userAgent: UA, allowPrivate: [server.hostPort] }).fetch(server.url());
      expect(outcome.kind === 'fetched' && text(outcome.body)).toBe(RSS);
      expect(proxy.stats.connections).toBe(0);
    } finally {
      for (const [key, value] of [['HTTP_PROXY', saved.http], ['HTTPS_PROXY', saved.https], ['http_proxy', saved.lower]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('feed fetcher: redirects', () => {
  it('follows up to five redirects and reports the final URL', async () => {
    const server = await serve((req, res) => {
      const hop = Number(req.url?.slice(1));
      if (hop < 5) {
        res.writeHead(hop % 2 === 0 ? 301 : 307, { location: `/${hop + 1}` });
        res.end();
      } else res.end(RSS);
    });
    const outcome = await createFeedFetcher({ userAgent: UA, allowPrivate: [server.hostPort] }).fetch(server.url('/0'));
    expect(outcome.kind === 'fetched' && outcome.finalUrl).toBe(server.url('/5'));
  });

  it('fails the sixth redirect with too_many_redirects, and a loop the same way', async () => {
    const server = await serve((req, res) => {
      const hop = Number(req.url?.slice(1));
      res.writeHead(302, { location: req.url === '/loop' ? '/loop' : `/${hop + 1}` });
      res.end();
    });
    const fetcher = createFeedFetcher({ userAgent: UA, allowPrivate: [server.hostPort] });
    expect(codeOf(await fetcher.fetch(server.url('/0')))).toBe('too_many_redirects');
    expect(server.stats.requests).toHaveLength(6);
    expect(codeOf(await fetcher.fetch(server.url('/loop')))).toBe('too_many_redirects');
  });

  it('refuses redirects to file: and gopher: with bad_scheme', async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url === '/file' ? 'file:///etc/passwd' : 'gopher://127.0.0.1:70/_SECRET' });
      res.end();
    });
    const fetcher = createFeedFetcher({ userAgent: UA, allowPrivate: [server.hostPort] });
    expect(codeOf(await fetcher.fetch(server.url('/file')))).toBe('bad_scheme');
    expect(codeOf(await fetcher.fetch(server.url('/gopher')))).toBe('bad_scheme');
  });

  it('never forwards Cookie or Authorization to another origin', async () => {
    const other = await serve((_req, res) => res.end(RSS));
    const front = await serve((_req, res) => {
      res.writeHead(302, { location: other.url(), 'set-cookie': 'session=abc; Path=/', 'www-authenticate': 'Basic' });
      res.end();
    });
    const fetcher = createFeedFetcher({ userAgent: UA, allowPrivate: [front.hostPort, other.hostPort] });
    const outcome = await fetcher.fetch(front.url());
    expect(outcome.kind === 'fetched' && outcome.finalUrl).toBe(other.url());
    const headers = other.stats.requests[0]?.headers ?? {};
    expect(headers.cookie).toBeUndefined();
    expect(headers.authorization).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
  });
});
