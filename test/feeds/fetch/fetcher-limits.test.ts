import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBrotliCompress, createGzip, constants, gzipSync } from 'node:zlib';
import type { Transform } from 'node:stream';
import { createFeedFetcher } from '../../../src/feeds/fetch/index.js';
import type { FetcherOptions } from '../../../src/feeds/fetch/index.js';
import { RSS, UA, startServer } from './test-server.js';
import type { Handler, TestServer } from './test-server.js';

const MiB = 1024 * 1024;
const servers: TestServer[] = [];
async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function fetcherFor(server: TestServer, options: Partial<FetcherOptions> = {}) {
  return createFeedFetcher({ userAgent: UA, allowPrivate: [server.hostPort], deadlineMs: 5000, ...options });
}

/** Compresses `total` zero bytes by streaming, without holding them in memory. */
async function bomb(compressor: Transform, total: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  compressor.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => compressor.on('end', resolve));
  const zeros = Buffer.alloc(MiB);
  for (let written = 0; written < total; written += MiB) {
    if (!compressor.write(zeros)) await new Promise((resolve) => compressor.once('drain', resolve));
  }
  compressor.end();
  await done;
  return Buffer.concat(chunks);
}

function failedCode(outcome: Awaited<ReturnType<ReturnType<typeof createFeedFetcher>['fetch']>>): string {
  return outcome.kind === 'failed' ? outcome.error.code : outcome.kind;
}

describe('feed fetcher: deadlines', () => {
  it('aborts a drip-fed body at the total deadline and closes the socket', async () => {
    let bytesAfterDeadline = 0;
    let deadlinePassed = false;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const drip = setInterval(() => {
        if (deadlinePassed) bytesAfterDeadline += 1;
        res.write('<');
      }, 500);
      res.on('close', () => clearInterval(drip));
    });
    const outcome = await fetcherFor(server, { deadlineMs: 1500 }).fetch(server.url());
    deadlinePassed = true;
    expect(outcome.kind === 'failed' && outcome.error.code).toBe('timeout');
    expect(JSON.stringify(outcome)).not.toContain('<');
    // The server sees its socket closed: nothing keeps reading after the deadline.
    await expect.poll(() => server.stats.closedSockets, { timeout: 2000 }).toBe(1);
    expect(server.stats.inFlight).toBe(0);
    expect(bytesAfterDeadline).toBeLessThanOrEqual(1);
  });

  it('fails with connect_timeout when a server accepts but never sends headers', async () => {
    // A real SYN blackhole cannot be built on loopback: the header deadline stands in for it.
    const server = await serve(() => undefined);
    const outcome = await fetcherFor(server, { connectTimeoutMs: 400, deadlineMs: 5000 }).fetch(server.url());
    expect(failedCode(outcome)).toBe('connect_timeout');
    await expect.poll(() => server.stats.closedSockets, { timeout: 2000 }).toBe(1);
  });
});

describe('feed fetcher: body caps', () => {
  let gzipBomb: Buffer;
  let brotliBomb: Buffer;
  beforeAll(async () => {
    gzipBomb = await bomb(createGzip({ level: 9 }), 200 * MiB);
    brotliBomb = await bomb(createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }), 200 * MiB);
  });

  it('stops a gzip bomb (≈200 KB → 200 MiB) at the decoded-byte cap', async () => {
    expect(gzipBomb.length).toBeLessThan(400 * 1024);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipBomb);
    });
    expect(failedCode(await fetcherFor(server).fetch(server.url()))).toBe('too_large');
  });

  it('stops a brotli bomb at the cap', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'br' });
      res.end(brotliBomb);
    });
    expect(failedCode(await fetcherFor(server, { maxBytes: 2 * MiB }).fetch(server.url()))).toBe('too_large');
  });

  it('rejects a declared Content-Length above the cap before reading the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(100 * MiB) });
      res.write(RSS); // then hangs: only the early check can end this quickly
    });
    expect(failedCode(await fetcherFor(server, { maxBytes: MiB, deadlineMs: 20_000 }).fetch(server.url()))).toBe('too_large');
  });

  it('counts the bytes actually sent when Content-Length lies low', async () => {
    const server = await serve((req, res) => {
      // Declares 10 bytes, then pushes 3 MiB straight onto the socket.
      req.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n');
      req.socket.end(Buffer.alloc(3 * MiB, 0x41));
      res.on('error', () => undefined);
    });
    const outcome = await fetcherFor(server, { maxBytes: MiB }).fetch(server.url());
    if (outcome.kind === 'fetched') expect(outcome.body.length).toBe(10);
    else expect(outcome.kind).toBe('failed');
  });

  it('counts decoded bytes when a gzip body declares a small Content-Length', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(gzipBomb.length) });
      res.end(gzipBomb);
    });
    expect(failedCode(await fetcherFor(server, { maxBytes: MiB }).fetch(server.url()))).toBe('too_large');
  });

  it('aborts an endless body at the cap', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const outcome = await fetcherFor(server, { maxBytes: 2 * MiB }).fetch(server.url());
    expect(failedCode(outcome)).toBe('too_large');
    await expect.poll(() => server.stats.closedSockets, { timeout: 2000 }).toBe(1);
  });

  it('refuses more than two Content-Encoding layers and unknown encodings with bad_encoding', async () => {
    const server = await serve((req, res) => {
      const encoding = req.url === '/three' ? 'gzip, gzip, gzip' : req.url === '/many' ? Array(1000).fill('gzip').join(',') : 'compress';
      res.writeHead(200, { 'content-encoding': encoding });
      res.end(gzipSync(gzipSync(gzipSync(RSS))));
    });
    const fetcher = fetcherFor(server);
    for (const path of ['/three', '/many', '/unknown']) {
      const outcome = await fetcher.fetch(server.url(path));
      expect(failedCode(outcome), path).toBe('bad_encoding');
    }
  });

  it('reports a corrupt gzip body as bad_encoding', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end('this is not gzip at all');
    });
    expect(failedCode(await fetcherFor(server).fetch(server.url()))).toBe('bad_encoding');
  });
});
