/**
 * Three real `wirewatch worker` processes on one Postgres schema, a loopback feed server and the
 * console notifier (--json, one line per alert on each worker's stdout) as the chat sink. One worker
 * is SIGKILLed in the middle of a fetch, the relay in the middle of a delivery, and every worker's
 * database connections are terminated during a cycle. Then: every matching item is stored and
 * alerted (each item is its own story: one alert each), at most twice (console cannot dedupe: a
 * row printed and not yet marked sent is sent again by the next relay) and exactly once for every
 * row the killed relay did not hold; no feed waits
 * more than a lease period past its due time; no lease stays with a dead worker past its expiry.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, leaseSnapshot } from '../../src/storage/postgres/admin.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import { rss, type RssItem } from '../support/feed-server.js';
import { POSTGRES_URL } from '../storage/postgres-url.js';
import { pidOfOwner, spawnWorker } from './worker-process.js';

const FEEDS = 8;
const LEASE = 3;
const INTERVAL = 2;
const schema = `wwf_${process.pid}_${randomBytes(3).toString('hex')}`;
const url = `${POSTGRES_URL}?schema=${schema}`;

interface Worker {
  readonly child: ReturnType<typeof spawnWorker>;
  stdout: string;
  stderr: string;
  dead: boolean;
}

const items = new Map<string, RssItem[]>();
const requests: { feed: string; at: number }[] = [];
let slowFeed: string | null = null;
let server: Server;
let port = 0;
const workers: Worker[] = [];
let db: pg.Pool;
let published = 0;

const LETTERS = 'bcdfghjklmnprstvz';
/** A made-up word per number: items share no run of three words but the template's. */
function word(n: number): string {
  let text = '';
  let rest = n;
  do {
    text += LETTERS[rest % LETTERS.length];
    rest = Math.floor(rest / LETTERS.length);
  } while (rest > 0);
  return `${text}ova`;
}
const words = (from: number): string => Array.from({ length: 8 }, (_, k) => word(from + k)).join(' ');

/**
 * Every item is its own event, so each matching one is its own story and alert: the words differ
 * enough that no two are near duplicates (estimated Jaccard ≈ 0.2), and the dates lie 6 days apart,
 * beyond the 48 h join window plus the 3 days of entity candidates.
 */
function publish(feed: string, count: number): void {
  const list = items.get(feed) ?? [];
  for (let index = 0; index < count; index++) {
    const n = ++published;
    list.push({
      title: `Russian drone strike hits SOCAR gas station ${words(n * 16)} in Odesa`,
      link: `https://news.example/${feed}/story-${n}`,
      description: `Aliyev condemned attack on SOCAR energy infrastructure near ${words(n * 16 + 8)}.`,
      pubDate: new Date(Date.now() - n * 6 * 86_400_000).toISOString(),
    });
  }
  items.set(feed, list);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function alertsSeen(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const worker of workers) {
    for (const line of worker.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const alert = JSON.parse(line) as { outboxId?: number };
      if (typeof alert.outboxId === 'number') counts.set(alert.outboxId, (counts.get(alert.outboxId) ?? 0) + 1);
    }
  }
  return counts;
}

function kill(pid: number): Worker {
  const worker = workers.find((candidate) => candidate.child.pid === pid && !candidate.dead);
  if (!worker) throw new Error(`lease owner pid ${pid} is not a live worker of this test`);
  worker.child.kill('SIGKILL');
  worker.dead = true;
  return worker;
}

beforeAll(async () => {
  for (let index = 0; index < FEEDS; index++) publish(`f${index}`, 3);
  server = createServer((request, response) => {
    const feed = (request.url ?? '').replace(/^\/|\.xml$/g, '');
    requests.push({ feed, at: Date.now() });
    const list = items.get(feed);
    if (!list) return void response.writeHead(404).end();
    const body = rss(feed, list);
    const etag = `"${list.length}"`;
    const answer = (): void => {
      if (request.headers['if-none-match'] === etag) response.writeHead(304, { etag }).end();
      else response.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
    };
    if (feed === slowFeed) setTimeout(answer, 2500);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  db = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}`, max: 2 });

  const feeds = Array.from({ length: FEEDS }, (_, index) =>
    `  - { id: f${index}, name: Feed ${index}, url: "http://127.0.0.1:${port}/f${index}.xml", interval: ${INTERVAL} }`,
  ).join('\n');
  const { env } = writeTestConfig(`
profiles: { dir: ${JSON.stringify(path.join(REPO_ROOT, 'config/profiles'))} }
poll: { tick: "* * * * * *", floor: 1, lease: ${LEASE}, concurrency: 4 }
fetch: { allowPrivate: ["127.0.0.1:${port}"], timeout: 10 }
delivery: { tick: "* * * * * *" }
feeds:
${feeds}
destinations:
  - { id: ops, platform: console, channel: ops, profiles: [azerbaijan-russia], maxAlertsPerCycle: 100 }
`);
  for (let index = 0; index < 3; index++) {
    const child = spawnWorker({ ...env, WIREWATCH_DATABASE_URL: url, WIREWATCH_DELIVERY_LEASE: String(LEASE), WIREWATCH_LOG_LEVEL: 'info' });
    const worker: Worker = { child, stdout: '', stderr: '', dead: false };
    child.stdout.on('data', (chunk: Buffer) => (worker.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (worker.stderr += chunk.toString('utf8')));
    child.on('exit', () => (worker.dead = true));
    workers.push(worker);
  }
  await until('three workers started', async () => workers.every((worker) => worker.stderr.includes('worker started')), 30_000);
}, 40_000);

afterAll(async () => {
  for (const worker of workers) if (!worker.dead) worker.child.kill('SIGKILL');
  await db?.end();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await dropSchema(POSTGRES_URL, schema);
});

describe('three Postgres workers under SIGKILL and terminated connections', () => {
  it('alerts every matching item, loses nothing and leaves no lease with the dead', async () => {
    const seeded = async (): Promise<boolean> =>
      (await db.query("SELECT count(*)::int AS n FROM feeds WHERE seeded").catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n === FEEDS;
    await until('every feed seeded', seeded);

    // 1. Mid-fetch: f0 answers slowly; kill whoever holds its lease while the request hangs.
    slowFeed = 'f0';
    for (let index = 0; index < FEEDS; index++) publish(`f${index}`, 2);
    const fetching = await until('a worker fetching f0', async () => (await leaseSnapshot(POSTGRES_URL, schema)).feeds.find((lease) => lease.id === 'f0'));
    await sleep(300);
    const fetcher = kill(pidOfOwner(fetching.owner));
    const killedAt = Date.now();
    slowFeed = null;
    await until('f0 fetched again by a live worker', async () => requests.some((request) => request.feed === 'f0' && request.at > killedAt));
    expect(requests.find((request) => request.feed === 'f0' && request.at > killedAt)!.at - killedAt).toBeLessThan((LEASE + 2) * 1000);
    expect(fetcher.dead).toBe(true);

    // 2. Mid-delivery: a burst of alerts; kill the relay while it holds leased outbox rows.
    let relayLeases: { id: number; owner: string }[] = [];
    for (let round = 0; round < 5 && relayLeases.length === 0; round++) {
      for (let index = 1; index < FEEDS; index++) publish(`f${index}`, 6);
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline && relayLeases.length === 0) {
        const { rows } = await db.query<{ id: number; owner: string }>(
          "SELECT id::int AS id, lease_owner AS owner FROM outbox WHERE status = 'pending' AND lease_owner IS NOT NULL",
        );
        if (rows.length > 0) relayLeases = rows;
        else await sleep(2);
      }
    }
    expect(relayLeases.length).toBeGreaterThan(0);
    const relayPid = pidOfOwner(relayLeases[0]!.owner);
    kill(relayPid);
    const inFlight = new Set(relayLeases.map((lease) => lease.id));

    // 3. Every surviving worker's connections terminated during a cycle.
    for (let index = 0; index < FEEDS; index++) publish(`f${index}`, 2);
    await sleep(700);
    const alive = workers.filter((worker) => !worker.dead).map((worker) => worker.child.pid);
    const terminated = await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND (${alive.map((_, index) => `application_name LIKE '%-' || $${index + 1} || '-%'`).join(' OR ')})`,
      alive.map(String),
    );
    expect(terminated.rowCount).toBeGreaterThan(0);

    // Every item published is stored, and every alert is marked sent.
    await until('every item stored and every alert sent', async () => {
      const { rows } = await db.query<{ items: number; pending: number }>(
        "SELECT (SELECT count(*)::int FROM items) AS items, (SELECT count(*)::int FROM outbox WHERE status <> 'sent') AS pending",
      );
      return rows[0]!.items === published && rows[0]!.pending === 0;
    }, 25_000);
    const { rows: outbox } = await db.query<{ id: number }>('SELECT id::int AS id FROM outbox');
    // All but the 3 × FEEDS seed items matched and were queued; every item is one story, placed once.
    expect(outbox.length).toBe(published - 3 * FEEDS);
    const { rows: stories } = await db.query<{ stories: number; members: number }>(
      'SELECT (SELECT count(*)::int FROM stories) AS stories, (SELECT count(*)::int FROM story_members) AS members',
    );
    expect(stories[0]).toEqual({ stories: published, members: published });
    await until('every alert printed', async () => alertsSeen().size === outbox.length, 5000);
    const seen = alertsSeen();
    for (const { id } of outbox) {
      const times = seen.get(id) ?? 0;
      expect(times, `outbox row ${id}`).toBeGreaterThanOrEqual(1);
      expect(times, `outbox row ${id}`).toBeLessThanOrEqual(inFlight.has(id) ? 2 : 1);
    }

    // No feed skipped: each is fetched again within interval + lease + a tick of being due.
    const byFeed = new Map<string, number[]>();
    for (const request of requests) byFeed.set(request.feed, [...(byFeed.get(request.feed) ?? []), request.at]);
    for (const [feed, times] of byFeed) {
      const gaps = times.slice(1).map((time, index) => time - times[index]!);
      expect(Math.max(...gaps), `longest gap between fetches of ${feed}`).toBeLessThan((INTERVAL + LEASE + 2) * 1000 + 2500);
    }

    // No lease held by a dead worker once its lease has expired.
    await sleep(LEASE * 1000 + 200);
    const deadPids = new Set(workers.filter((worker) => worker.dead).map((worker) => worker.child.pid));
    const leases = await leaseSnapshot(POSTGRES_URL, schema);
    const now = Date.now();
    for (const lease of [...leases.feeds, ...leases.outbox]) {
      if (deadPids.has(pidOfOwner(lease.owner))) expect(lease.until.getTime()).toBeGreaterThan(now);
    }
  }, 150_000);
});
