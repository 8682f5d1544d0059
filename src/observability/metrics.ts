import client from 'prom-client';
import type { DeliverySummary } from '../pipeline/deliver-outbox.js';
import type { PollCycleSummary } from '../pipeline/poll-due-feeds.js';

/** What a scrape reads from the store, at scrape time (cheap counts, never a full table read). */
export interface MetricsSources {
  dueFeeds(): Promise<number>;
  outboxDepth(): Promise<number>;
  /** When the oldest waiting alert was queued; null when none waits or the store cannot say. */
  outboxOldestAt(): Promise<Date | null>;
  /** Destinations paused by an unreachable channel or a revoked token (their alerts wait): alarm on > 0. */
  pausedDestinations?(): Promise<number>;
}

/**
 * The few figures an operator watches, fed by callbacks from the composition root so that the
 * pipeline never imports prom-client. Counters only ever grow (Prometheus computes rates); the
 * store-backed gauges are read at scrape time.
 */
export interface Metrics {
  /** One fetch finished: its outcome kind and how long it took. */
  fetched(outcome: string, seconds: number): void;
  polled(summary: PollCycleSummary): void;
  delivered(summary: DeliverySummary): void;
  /** Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** A store read during a scrape gives up after this long (Postgres down: pg retries for ~15 s). */
const SOURCE_TIMEOUT_MS = 2_000;

/** The value, or null when the store fails or is too slow: the gauge then keeps its last value and the scrape still answers. */
async function bounded<T>(read: () => Promise<T>, timeoutMs: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    return await Promise.race([read().catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createMetrics(sources: MetricsSources, now: () => Date = () => new Date(), sourceTimeoutMs = SOURCE_TIMEOUT_MS): Metrics {
  const registry = new client.Registry();
  // Includes nodejs_eventloop_lag_seconds (and p50/p99), heap and resident memory.
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const fetchSeconds = new client.Histogram({
    name: 'wirewatch_fetch_duration_seconds',
    help: 'Feed fetch latency by outcome (updated, not-modified, http-error, failed)',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const feedsPolled = new client.Counter({
    name: 'wirewatch_feeds_polled_total',
    help: 'Feeds polled, by result (updated, not-modified, failed)',
    labelNames: ['result'],
    registers: [registry],
  });
  const itemsScored = new client.Counter({ name: 'wirewatch_items_scored_total', help: 'New items scored and stored', registers: [registry] });
  const alertsQueued = new client.Counter({ name: 'wirewatch_alerts_queued_total', help: 'Alerts written to the outbox', registers: [registry] });
  const alerts = new client.Counter({
    name: 'wirewatch_alerts_total',
    help: 'Alert delivery outcomes: sent, retried (failed, will retry), dead (failed for good), deferred (flood cap)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new client.Gauge({
    name: 'wirewatch_feeds_due',
    help: 'Enabled feeds due now and not leased by any worker',
    registers: [registry],
    async collect() {
      const due = await bounded(() => sources.dueFeeds(), sourceTimeoutMs);
      if (due !== null) this.set(due);
    },
  });
  new client.Gauge({
    name: 'wirewatch_outbox_depth',
    help: 'Alerts waiting in the outbox (pending)',
    registers: [registry],
    async collect() {
      const depth = await bounded(() => sources.outboxDepth(), sourceTimeoutMs);
      if (depth !== null) this.set(depth);
    },
  });
  new client.Gauge({
    name: 'wirewatch_outbox_oldest_age_seconds',
    help: 'Age of the oldest waiting alert (0 when none waits)',
    registers: [registry],
    async collect() {
      const oldest = await bounded(async () => ({ at: await sources.outboxOldestAt() }), sourceTimeoutMs);
      if (oldest === null) return;
      this.set(oldest.at === null ? 0 : Math.max(0, (now().getTime() - oldest.at.getTime()) / 1000));
    },
  });
  new client.Gauge({
    name: 'wirewatch_destinations_paused',
    help: 'Destinations paused by a permanent delivery error until someone resumes them (/wirewatch status)',
    registers: [registry],
    async collect() {
      const read = sources.pausedDestinations;
      const paused = read ? await bounded(() => read(), sourceTimeoutMs) : 0;
      if (paused !== null) this.set(paused);
    },
  });

  return {
    fetched(outcome, seconds) {
      fetchSeconds.observe({ outcome }, seconds);
    },
    polled(summary) {
      feedsPolled.inc({ result: 'updated' }, summary.updated);
      feedsPolled.inc({ result: 'not-modified' }, summary.notModified);
      feedsPolled.inc({ result: 'failed' }, summary.failed);
      const stored = summary.results.reduce((sum, result) => sum + (result.kind === 'updated' ? result.stored : 0), 0);
      itemsScored.inc(stored);
      alertsQueued.inc(summary.queued);
    },
    delivered(summary) {
      alerts.inc({ outcome: 'sent' }, summary.sent);
      alerts.inc({ outcome: 'retried' }, summary.retried);
      alerts.inc({ outcome: 'dead' }, summary.dead);
      alerts.inc({ outcome: 'deferred' }, summary.deferred);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
