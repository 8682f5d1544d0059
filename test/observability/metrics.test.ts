import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { at, T0 } from '../contracts/stores.contract.js';
import { openTempStores, queueAlerts } from '../platforms/delivery-harness.js';

function gauge(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in the scrape`);
  return Number(line.slice(name.length + 1));
}

describe('metrics: outbox depth and age', () => {
  let stores: SqliteStores | null = null;
  afterEach(async () => {
    await stores?.close();
    stores = null;
  });

  it('reports the age of the oldest waiting alert from a SQLite store', async () => {
    stores = openTempStores();
    const outbox = stores.outbox;
    let now = at(90);
    const metrics = createMetrics({ dueFeeds: async () => 0, outboxDepth: () => outbox.pendingCount(), outboxOldestAt: () => outbox.oldestPendingAt() }, () => now);
    expect(gauge((await metrics.render()).body, 'wirewatch_outbox_oldest_age_seconds')).toBe(0);
    await queueAlerts(stores, ['a', 'b']);
    const scrape = (await metrics.render()).body;
    expect(gauge(scrape, 'wirewatch_outbox_depth')).toBe(2);
    expect(gauge(scrape, 'wirewatch_outbox_oldest_age_seconds')).toBe(90);
    now = new Date(T0.getTime() + 600_000);
    expect(gauge((await metrics.render()).body, 'wirewatch_outbox_oldest_age_seconds')).toBe(600);
  });

  it('counts paused destinations from the store', async () => {
    stores = openTempStores();
    const outbox = stores.outbox;
    const metrics = createMetrics({
      dueFeeds: async () => 0,
      outboxDepth: () => outbox.pendingCount(),
      outboxOldestAt: () => outbox.oldestPendingAt(),
      pausedDestinations: async () => (await outbox.pausedDestinations()).length,
    });
    expect(gauge((await metrics.render()).body, 'wirewatch_destinations_paused')).toBe(0);
    await outbox.pauseDestination('a', 'channel_not_found', at(10));
    expect(gauge((await metrics.render()).body, 'wirewatch_destinations_paused')).toBe(1);
    await outbox.resumeDestination('a');
    expect(gauge((await metrics.render()).body, 'wirewatch_destinations_paused')).toBe(0);
  });

  it('still answers a scrape when the store hangs, keeping the last known values', async () => {
    let hang = false;
    const slow = <T>(value: T) => (): Promise<T> => (hang ? new Promise<T>(() => {}) : Promise.resolve(value));
    const metrics = createMetrics({ dueFeeds: slow(4), outboxDepth: slow(7), outboxOldestAt: slow<Date | null>(null) }, () => T0, 100);
    expect(gauge((await metrics.render()).body, 'wirewatch_outbox_depth')).toBe(7);
    hang = true;
    const scrape = await Promise.race([metrics.render(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000))]);
    expect(scrape).not.toBeNull();
    expect(gauge(scrape!.body, 'wirewatch_outbox_depth')).toBe(7);
    expect(gauge(scrape!.body, 'wirewatch_feeds_due')).toBe(4);
  });
});
