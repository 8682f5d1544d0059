/**
 * Composition root: the only module that builds concrete stores, clients and adapters and wires
 * them into the pipeline. Entry points (cli/) call `openApp` and then run or query it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { AppConfig } from './config/app-schema.js';
import { loadAppConfig, type LoadedConfig } from './config/load.js';
import { loadProfiles } from './config/profile.js';
import type { Destination, Platform } from './core/alert.js';
import { AppError } from './core/errors.js';
import type { FeedSpec } from './core/feed.js';
import type { PollPolicy } from './core/schedule.js';
import { startFixtureServer, type FixtureServer } from './demo/fixture-server.js';
import { createFeedFetcher } from './feeds/fetch/index.js';
import { closeParsers, parseFeed } from './feeds/parse/index.js';
import { deliverOutbox, type DeliverySummary } from './pipeline/deliver-outbox.js';
import { scheduledDigests } from './commands/digest.js';
import type { PollDeps } from './pipeline/deps.js';
import { storyPolicyFor, type StoryDeps } from './pipeline/assign-stories.js';
import { pollDueFeeds, type PollCycleSummary } from './pipeline/poll-due-feeds.js';
import type { FeedStore, IngestStore, ItemStore, Notifier, OutboxStore, StoryStore, WatchTermStore } from './pipeline/ports.js';
import type { QueryDeps } from './pipeline/queries.js';
import { ConsoleNotifier } from './platforms/console/console-notifier.js';
import { COLOURS, PLAIN, type Palette } from './platforms/console/terminal-text.js';
import { createScorer } from './scoring/index.js';
import { createLogger, type Logger } from './shared/logger.js';
import { openPostgresStores } from './storage/postgres/index.js';
import { openSqliteStores } from './storage/sqlite/index.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { startObservabilityServer, type ObservabilityServer } from './observability/http-server.js';
import { createChatPlatforms } from './chat-platforms.js';

export const USER_AGENT = 'wirewatch/0.1 (+https://github.com/wirewatch/wirewatch)';

export interface AppOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly stdout?: Writable;
  readonly stdin?: Readable;
  /** Alerts as JSON lines on stdout instead of the pretty rendering. */
  readonly json?: boolean;
  /** Connect the Discord gateway / Slack Socket Mode for commands (default true; `run --once` only delivers, over REST). */
  readonly connectChat?: boolean;
  /** Serve the demo fixtures all at once (replay finished) instead of replaying over time. */
  readonly replayAll?: boolean;
  /** Delete the embedded SQLite store first, so the demo can be watched again. */
  readonly fresh?: boolean;
  /** Start the demo fixture server and the notifiers (false for read-only commands like `timeline`). */
  readonly live?: boolean;
}

/** The ports every store provides: SQLite (embedded, one machine) or Postgres (shared by N workers). */
export interface Stores {
  readonly feeds: FeedStore;
  readonly ingest: IngestStore;
  readonly outbox: OutboxStore;
  readonly items: ItemStore;
  readonly watchTerms: WatchTermStore;
  /** Postgres only: whether this process is the one delivery relay (docs/adr/0001). Absent = always. */
  readonly relay?: { isRelay(): Promise<boolean> };
  /** Stories (one alert per story, follow-ups, /timeline, /digest): SQLite and Postgres both provide them. */
  readonly stories?: StoryStore;
  close(): Promise<void>;
}

export interface App {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  readonly stores: Stores;
  readonly destinations: readonly Destination[];
  readonly queryDeps: QueryDeps;
  readonly palette: Palette;
  /** One scheduler job per destination with a `digest:` schedule (run-command registers them). */
  readonly digestJobs: readonly { readonly name: string; readonly expression: string; run(): Promise<unknown> }[];
  /** One poll of due feeds (or all feeds) followed by one delivery pass. */
  runCycle(options?: { all?: boolean }): Promise<{ poll: PollCycleSummary; delivery: DeliverySummary }>;
  poll(options?: { all?: boolean }): Promise<PollCycleSummary>;
  deliver(): Promise<DeliverySummary>;
  close(): Promise<void>;
}

function storePath(loaded: LoadedConfig): string {
  const url = loaded.env.databaseUrl;
  const chosen = url ? url.replace(/^sqlite:(\/\/)?/i, '') : loaded.config.store.path;
  return path.resolve(loaded.baseDir, chosen);
}

const isPostgresUrl = (url: string | null): url is string => url !== null && /^postgres(ql)?:/i.test(url);

/** The store-backed gauges an operator watches (observability/metrics.ts). */
const storeMetrics = (outbox: OutboxStore, dueFeeds: () => Promise<number>) => (): Metrics =>
  createMetrics({ dueFeeds, outboxDepth: () => outbox.pendingCount(), outboxOldestAt: () => outbox.oldestPendingAt(), pausedDestinations: async () => (await outbox.pausedDestinations()).length });

/** WIREWATCH_DATABASE_URL=postgres://… → Postgres (scale-out); anything else → the SQLite file. */
async function openStores(loaded: LoadedConfig, fresh: boolean, owner: string, logger: Logger): Promise<{ stores: Stores; metrics: () => Metrics }> {
  const url = loaded.env.databaseUrl;
  if (isPostgresUrl(url)) {
    const stores = await openPostgresStores(url, { applicationName: owner, storyMaxItems: loaded.config.stories.maxItems, onWarning: (message, error) => logger.warn({ err: error }, message) });
    return { stores, metrics: storeMetrics(stores.outbox, () => stores.dueCount(new Date())) };
  }
  const file = storePath(loaded);
  if (fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const stores = openSqliteStores(file, { storyMaxItems: loaded.config.stories.maxItems });
  // The SQLite ports have no due count: it is counted from the feed list (one process, a few thousand feeds at most).
  const dueFeeds = async (): Promise<number> =>
    (await stores.feeds.list()).filter((feed) => feed.disabledAt === null && Date.parse(feed.nextCheckAt) <= Date.now()).length;
  return { stores, metrics: storeMetrics(stores.outbox, dueFeeds) };
}

/** Feeds claimed per query; a tick claims again while batches come back full. */
const POLL_BATCH = 500;

function mergePolls(a: PollCycleSummary, b: PollCycleSummary): PollCycleSummary {
  return {
    polled: a.polled + b.polled,
    updated: a.updated + b.updated,
    notModified: a.notModified + b.notModified,
    failed: a.failed + b.failed,
    queued: a.queued + b.queued,
    results: [...a.results, ...b.results],
  };
}

function destinationsOf(config: AppConfig, profileIds: ReadonlySet<string>): Destination[] {
  const problems: string[] = [];
  const destinations = config.destinations.map((entry) => {
    for (const profile of entry.profiles) {
      if (!profileIds.has(profile)) problems.push(`destination ${entry.id} follows unknown profile "${profile}"`);
    }
    return { ...entry, platform: entry.platform as Platform };
  });
  if (problems.length > 0) throw new AppError('config_invalid', `invalid configuration:\n  ${problems.join('\n  ')}`);
  return destinations;
}

function feedSpecs(config: AppConfig): FeedSpec[] {
  return config.feeds.map((feed) => ({
    id: feed.id,
    name: feed.name,
    url: feed.url,
    intervalSeconds: feed.interval,
    alertNewestOnFirstPoll: feed.firstPoll.alertNewest,
  }));
}

function pollPolicy(config: AppConfig): PollPolicy {
  return { floorSeconds: config.poll.floor, capSeconds: config.poll.cap, backoffBaseSeconds: 300, maxFailures: config.poll.maxFailures };
}

export async function openApp(options: AppOptions = {}): Promise<App> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = loadAppConfig(options.env ?? process.env, cwd);
  const { config } = loaded;
  const logger = createLogger({ level: loaded.env.logLevel });
  const stdout = options.stdout ?? process.stdout;
  const profiles = loadProfiles(path.resolve(cwd, config.profiles.dir));
  const scorer = createScorer(profiles);
  const destinations = destinationsOf(config, new Set(profiles.map((profile) => profile.id)));

  const owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const opened = await openStores(loaded, options.fresh ?? false, owner, logger);
  const { stores } = opened;
  const metrics = options.live && loaded.env.httpPort !== null ? opened.metrics() : null;

  let fixtures: FixtureServer | null = null;
  const allowPrivate = [...config.fetch.allowPrivate];
  if (options.live && config.demo) {
    fixtures = await startFixtureServer({
      dir: path.resolve(cwd, config.demo.fixtures),
      from: new Date(config.demo.from),
      to: new Date(config.demo.to),
      replaySeconds: options.replayAll ? 0 : config.demo.replay,
    });
    // The demo's own loopback server is an allowlist entry, not a hole in the SSRF guard.
    allowPrivate.push(`127.0.0.1:${fixtures.port}`);
    logger.info({ url: fixtures.url }, 'demo fixture feeds served on loopback');
  }
  // Feeds keep their configured `fixture:FILE` url in the store (the demo server's port changes on
  // every start); it is resolved to the loopback server only when fetched.
  await stores.feeds.syncFromConfig(feedSpecs(config), new Date());
  const resolveUrl = (url: string): string =>
    url.startsWith('fixture:') && fixtures ? `${fixtures.url}/${url.slice('fixture:'.length)}` : url;

  const fetcher = createFeedFetcher({
    userAgent: USER_AGENT,
    allowPrivate,
    maxBytes: config.fetch.maxBytes,
    deadlineMs: config.fetch.timeout * 1000,
    perHostConcurrency: config.fetch.perHost,
  });
  const palette = (stdout as Writable & { isTTY?: boolean }).isTTY && !process.env.NO_COLOR ? COLOURS : PLAIN;
  const notifiers = new Map<Platform, Notifier>([['console', new ConsoleNotifier(stdout, { json: options.json ?? false, palette })]]);
  const clock = { now: () => new Date() };
  const commandDeps = { items: stores.items, feeds: stores.feeds, watchTerms: stores.watchTerms, scorer, stories: stores.stories, pauses: stores.outbox };
  // SLACK_* / DISCORD_* set: those platforms get notifiers and command endpoints (see chat-platforms.ts).
  const chat = options.live
    ? createChatPlatforms({ env: loaded.env, config, destinations, commandDeps, outbox: stores.outbox, logger, connect: options.connectChat })
    : null;
  for (const notifier of chat?.notifiers ?? []) notifiers.set(notifier.platform, notifier);

  const pollDeps: PollDeps & Partial<StoryDeps> = {
    feeds: stores.feeds,
    ingest: stores.ingest,
    watchTerms: stores.watchTerms,
    fetchFeed: async (url, validators) => {
      const started = performance.now();
      const outcome = await fetcher.fetch(resolveUrl(url), validators);
      metrics?.fetched(outcome.kind, (performance.now() - started) / 1000);
      return outcome;
    },
    parseFeed: (bytes, parseOptions) => parseFeed(bytes, parseOptions),
    scorer,
    destinations,
    stories: stores.stories,
    storyPolicy: storyPolicyFor(profiles, { windowSeconds: config.stories.window, maxItems: config.stories.maxItems }),
    policy: pollPolicy(config),
    logger,
    clock,
  };
  const deliveryDeps = {
    outbox: stores.outbox,
    notifiers,
    destinations: new Map(destinations.map((destination) => [destination.id, destination])),
    clock,
    logger,
    stories: stores.stories,
  };
  const poll = async (cycle: { all?: boolean } = {}): Promise<PollCycleSummary> => {
    const options = { owner, concurrency: config.poll.concurrency, leaseSeconds: config.poll.lease, all: cycle.all, batch: POLL_BATCH };
    // A tick keeps claiming while batches come back full, so a backlog drains in one tick rather
    // than one batch per tick. (`all` claims regardless of due time: one batch, as before.)
    let summary = await pollDueFeeds(pollDeps, options);
    metrics?.polled(summary);
    while (!cycle.all && summary.polled >= POLL_BATCH) {
      const next = await pollDueFeeds(pollDeps, options);
      metrics?.polled(next);
      summary = mergePolls(summary, next);
      if (next.polled < POLL_BATCH) break;
    }
    return summary;
  };
  let delivering: Promise<DeliverySummary> | null = null;
  const deliverOnce = async (): Promise<DeliverySummary> => {
    // On Postgres only the elected relay sends, so chat rate budgets hold across workers.
    if (stores.relay && !(await stores.relay.isRelay())) return { sent: 0, retried: 0, dead: 0, deferred: 0 };
    const summary = await deliverOutbox(deliveryDeps, {
      owner,
      leaseSeconds: loaded.env.deliveryLeaseSeconds,
      staleAfterSeconds: config.delivery.staleAfter,
      maxAttempts: config.delivery.maxAttempts,
    });
    metrics?.delivered(summary);
    return summary;
  };
  // One delivery pass at a time per process: a pass asked for during another shares its result.
  const deliver = (): Promise<DeliverySummary> => (delivering ??= deliverOnce().finally(() => (delivering = null)));
  const observability: ObservabilityServer | null =
    metrics && loaded.env.httpPort !== null
      ? await startObservabilityServer({
          port: loaded.env.httpPort,
          host: loaded.env.httpHost,
          metrics,
          health: async () => ({ ok: true, detail: { owner, pending: await stores.outbox.pendingCount() } }),
          // One port: the chat endpoints (POST /slack/events, /discord/interactions) beside /healthz and /metrics.
          routes: chat?.routes,
        })
      : null;
  // Not awaited: Socket Mode retries a failing connect ~100 times and a gateway may be slow, and
  // polling and delivery (REST) must not wait for the platforms that only answer commands. Each
  // platform's failure is logged by createChatPlatforms; start never rejects.
  void chat?.start();

  return {
    loaded,
    logger,
    stores,
    destinations,
    queryDeps: { items: stores.items, feeds: stores.feeds, watchTerms: stores.watchTerms, scorer, stories: stores.stories },
    palette,
    digestJobs: scheduledDigests(config.destinations, destinations, stores.stories, notifiers, { store: stores.outbox, logger }),
    poll,
    deliver,
    async runCycle(cycle = {}) {
      const pollSummary = await poll(cycle);
      return { poll: pollSummary, delivery: await deliver() };
    },
    async close() {
      await chat?.stop();
      await observability?.close();
      await fixtures?.close();
      await closeParsers();
      await stores.close();
    },
  };
}
