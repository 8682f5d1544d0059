/**
 * The demo's loopback feed server: serves fixtures/feeds as a dozen news sites would over a year
 * of the crisis, squeezed into `replaySeconds` of real time, so `npm start` runs the real fetch
 * path (SSRF allowlist, conditional GET, charset sniffing) against local files. It writes nothing
 * to stdout: that belongs to the alerts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { entityTag, httpDate, isNotModified } from './conditional-get.js';
import { feedAt, sliceFeed, type FeedFile } from './feed-slices.js';
import { createVirtualClock } from './replay-clock.js';

export interface FixtureServerOptions {
  /** Folder of feed files (fixtures/feeds); only its *.xml, *.atom and *.rss files are served. */
  readonly dir: string;
  /** Virtual-time window of the replay. */
  readonly from: Date;
  readonly to: Date;
  /** Real seconds to replay [from, to]; 0 serves everything at once (virtual now = to). */
  readonly replaySeconds: number;
  /** Real clock in epoch ms, injectable for tests. */
  readonly now?: () => number;
}

export interface FixtureServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  virtualNow(): Date;
}

const FEED_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(xml|atom|rss)$/;

/**
 * Reads every feed file once, at start. Requests are answered from this map by exact name, so no
 * path a client sends (`..`, encoded slashes, absolute paths) can ever reach the file system.
 */
/**
 * A replay squeezes a year into seconds, so a feed's <ttl> ("poll me again in 15 minutes") would
 * stop the demo's polling for the rest of the replay: while replaying, the hint is taken out.
 * Served all at once (replaySeconds 0), the files keep it.
 */
function withoutTtl(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/<ttl>\s*\d+\s*<\/ttl>\s*/g, ''), 'latin1');
}

function loadFeeds(dir: string, replaying: boolean): Map<string, FeedFile> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new AppError('config_invalid', `demo fixture folder cannot be read: ${dir}`, { cause, context: { dir } });
  }
  const feeds = new Map<string, FeedFile>();
  for (const name of names.filter((candidate) => FEED_FILE.test(candidate)).sort()) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    feeds.set(name, sliceFeed(name, replaying ? withoutTtl(bytes) : bytes));
  }
  return feeds;
}

function contentType(feed: FeedFile): string {
  const type = feed.format === 'atom' ? 'application/atom+xml' : 'application/rss+xml';
  // Legacy-charset files declare themselves in the prolog only, like the old Russian sites they
  // imitate: the fetcher must sniff the prolog rather than trust a header.
  return feed.charset === 'utf-8' ? `${type}; charset=utf-8` : type;
}

function requestedName(req: IncomingMessage): string | null {
  const rawPath = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (!rawPath.startsWith('/')) return null;
  const name = rawPath.slice(1);
  return FEED_FILE.test(name) ? name : null;
}

function plain(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(`${message}\n`);
}

function answer(req: IncomingMessage, res: ServerResponse, feeds: ReadonlyMap<string, FeedFile>, virtualNowMs: number): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    plain(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    return;
  }
  const name = requestedName(req);
  const feed = name === null ? undefined : feeds.get(name);
  if (feed === undefined) {
    plain(res, 404, 'no such feed');
    return;
  }
  const snapshot = feedAt(feed, virtualNowMs);
  const etag = entityTag(snapshot.bytes);
  const headers: Record<string, string> = { etag, 'cache-control': 'no-cache' };
  if (snapshot.newest !== null) headers['last-modified'] = httpDate(snapshot.newest);
  if (isNotModified(req.headers, etag, snapshot.newest)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': contentType(feed), 'content-length': String(snapshot.bytes.length) });
  res.end(req.method === 'HEAD' ? undefined : snapshot.bytes);
}

export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const now = options.now ?? Date.now;
  const virtualNow = createVirtualClock(options, now);
  const feeds = loadFeeds(options.dir, options.replaySeconds > 0);
  const server = createServer((req, res) => {
    try {
      answer(req, res, feeds, virtualNow().getTime());
    } catch {
      if (!res.headersSent) plain(res, 500, 'fixture server error');
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    virtualNow,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
