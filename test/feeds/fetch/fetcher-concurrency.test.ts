import { afterEach, describe, expect, it } from 'vitest';
import { createFeedFetcher } from '../../../src/feeds/fetch/index.js';
import { createHostLimiter } from '../../../src/feeds/fetch/host-limiter.js';
import { RSS, UA, startServer } from './test-server.js';
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

function slow(ms: number): Handler {
  return (_req, res) => {
    const timer = setTimeout(() => res.end(RSS), ms);
    res.on('close', () => clearTimeout(timer));
  };
}

describe('feed fetcher: concurrency', () => {
  it('never has more than two requests in flight to one host', async () => {
    const server = await serve(slow(150));
    const fetcher = createFeedFetcher({ userAgent: UA, allowPrivate: [server.hostPort] });
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => fetcher.fetch(server.url(`/f${i}`))));
    expect(outcomes.map((o) => o.kind)).toEqual(Array(6).fill('fetched'));
    expect(server.stats.requests).toHaveLength(6);
    expect(server.stats.maxInFlight).toBe(2);
  });

  it('bounds global concurrency across hosts', async () => {
    const a = await serve(slow(150));
    const b = await serve(slow(150));
    const fetcher = createFeedFetcher({ userAgent: UA, allowPrivate: [a.hostPort, b.hostPort], concurrency: 1, perHostConcurrency: 5 });
    // 127.0.0.1 is one host for the limiter; use the global limit of 1 to see it bite.
    await Promise.all([a, b, a, b].map((s, i) => fetcher.fetch(s.url(`/g${i}`))));
    expect(a.stats.maxInFlight + b.stats.maxInFlight).toBe(2);
    expect(a.stats.maxInFlight).toBe(1);
    expect(b.stats.maxInFlight).toBe(1);
  });

  it('releases the slot when a fetch times out', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/hang') return; // never answers
      res.end(RSS);
    });
    const fetcher = createFeedFetcher({
      userAgent: UA,
      allowPrivate: [server.hostPort],
      perHostConcurrency: 1,
      deadlineMs: 400,
    });
    const hung = fetcher.fetch(server.url('/hang'));
    const next = fetcher.fetch(server.url('/ok'));
    const [first, second] = await Promise.all([hung, next]);
    expect(first.kind === 'failed' && ['timeout', 'connect_timeout'].includes(first.error.code)).toBe(true);
    expect(second.kind).toBe('fetched');
  });

  it('lets a caller cancel a fetch that is still queued', async () => {
    const server = await serve(slow(300));
    const fetcher = createFeedFetcher({ userAgent: UA, allowPrivate: [server.hostPort], perHostConcurrency: 1 });
    const running = fetcher.fetch(server.url('/a'));
    const controller = new AbortController();
    const queued = fetcher.fetch(server.url('/b'), undefined, controller.signal);
    controller.abort();
    expect(await queued).toMatchObject({ kind: 'failed', error: { code: 'network_error' } });
    expect((await running).kind).toBe('fetched');
    expect(server.stats.requests.map((r) => r.url)).toEqual(['/a']);
  });
});

describe('host limiter', () => {
  it('serves waiters of a free host while another host is full', async () => {
    const limiter = createHostLimiter(1, 4);
    const first = await limiter.acquire('a');
    const blocked = limiter.acquire('a');
    const other = await limiter.acquire('b');
    let granted = false;
    void blocked.then(() => {
      granted = true;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    first();
    (await blocked)();
    other();
    first(); // releasing twice must not free a second slot
    const again = await limiter.acquire('a');
    let secondGranted = false;
    void limiter.acquire('a').then(() => {
      secondGranted = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondGranted).toBe(false);
    again();
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondGranted).toBe(true);
  });
});
