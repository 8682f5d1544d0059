import { describe, expect, it } from 'vitest';
import { at, entry, feedItem, freshStores, ingestInto, scoreResult, T0, type OpenStores, type Stores } from './stores.contract.js';

/** Queues one alert per key for destination d1, each committed one second after the previous. */
async function queue(stores: Stores, keys: string[], start = 0): Promise<void> {
  for (const [index, key] of keys.entries()) {
    await ingestInto(
      stores,
      'wire',
      [entry(feedItem(key), [scoreResult('p', 7, ['baku'])], [{ destinationId: 'd1', profile: 'p', score: 7 }])],
      at(start + index),
    );
  }
}

export function outboxStoreContract(name: string, open: OpenStores): void {
  describe(`OutboxStore contract: ${name}`, () => {
    const stores = freshStores(open);

    it('claims pending rows oldest first, with their item, feed name and scores', async () => {
      await queue(stores(), ['k1', 'k2', 'k3']);
      const claimed = await stores().outbox.claimPending(at(10), 2, 'r1', at(70));
      expect(claimed.map((row) => row.item.key)).toEqual(['k1', 'k2']);
      const [first] = claimed;
      expect(first).toMatchObject({
        destinationId: 'd1',
        feedName: 'Feed wire',
        profile: 'p',
        score: 7,
        attempts: 0,
        createdAt: T0.toISOString(),
        item: { key: 'k1', feedId: 'wire', title: 'Story k1', link: 'https://news.example/story/k1' },
      });
      expect(first?.scores).toEqual([scoreResult('p', 7, ['baku'])]);
      expect(typeof first?.id).toBe('number');
    });

    it('does not hand out rows created after now', async () => {
      await queue(stores(), ['k1', 'k2'], 100);
      expect((await stores().outbox.claimPending(at(100), 10, 'r1', at(160))).map((row) => row.item.key)).toEqual(['k1']);
    });

    it('leases rows: nobody else gets them until the lease expires', async () => {
      await queue(stores(), ['k1']);
      expect(await stores().outbox.claimPending(at(1), 10, 'r1', at(60))).toHaveLength(1);
      expect(await stores().outbox.claimPending(at(30), 10, 'r2', at(90))).toEqual([]);
      const again = await stores().outbox.claimPending(at(60), 10, 'r2', at(120));
      expect(again.map((row) => row.item.key)).toEqual(['k1']);
    });

    it('gives two relays disjoint rows', async () => {
      await queue(stores(), ['k1', 'k2', 'k3', 'k4', 'k5']);
      const [first, second] = await Promise.all([
        stores().outbox.claimPending(at(10), 3, 'r1', at(70)),
        stores().outbox.claimPending(at(10), 3, 'r2', at(70)),
      ]);
      const ids = [...first!, ...second!].map((row) => row.id);
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
    });

    it('retries a row at its retry time, counting the attempt and releasing the lease', async () => {
      await queue(stores(), ['k1']);
      const [row] = await stores().outbox.claimPending(at(1), 10, 'r1', at(600));
      await stores().outbox.markRetry(row!.id, '429 slow down', at(30));
      expect(await stores().outbox.claimPending(at(29), 10, 'r2', at(90))).toEqual([]);
      const retried = await stores().outbox.claimPending(at(30), 10, 'r2', at(90));
      expect(retried).toHaveLength(1);
      expect(retried[0]).toMatchObject({ id: row!.id, attempts: 1 });
      expect(await stores().outbox.pendingCount()).toBe(1);
    });

    it('defers a row without counting an attempt', async () => {
      await queue(stores(), ['k1']);
      const [row] = await stores().outbox.claimPending(at(1), 10, 'r1', at(600));
      await stores().outbox.defer(row!.id, at(20));
      expect(await stores().outbox.claimPending(at(19), 10, 'r2', at(90))).toEqual([]);
      const again = await stores().outbox.claimPending(at(20), 10, 'r2', at(90));
      expect(again[0]).toMatchObject({ id: row!.id, attempts: 0 });
    });

    it('never returns a sent row again', async () => {
      await queue(stores(), ['k1', 'k2']);
      const [row] = await stores().outbox.claimPending(at(5), 1, 'r1', at(65));
      await stores().outbox.markSent(row!.id, at(6), 'msg-123');
      expect(await stores().outbox.pendingCount()).toBe(1);
      // A late retry from a confused relay must not resurrect it.
      await stores().outbox.markRetry(row!.id, 'late', at(7));
      const later = await stores().outbox.claimPending(at(10_000), 10, 'r2', at(10_060));
      expect(later.map((other) => other.item.key)).toEqual(['k2']);
    });

    it('marks a row dead: never sent, no longer pending', async () => {
      await queue(stores(), ['k1']);
      const [row] = await stores().outbox.claimPending(at(5), 1, 'r1', at(65));
      await stores().outbox.markDead(row!.id, 'stale: older than the staleness cutoff', at(6));
      expect(await stores().outbox.pendingCount()).toBe(0);
      expect(await stores().outbox.claimPending(at(10_000), 10, 'r2', at(10_060))).toEqual([]);
    });

    it('reports when the oldest waiting row was queued: leased and retried rows still wait, sent and dead ones do not', async () => {
      expect(await stores().outbox.oldestPendingAt()).toBeNull();
      await queue(stores(), ['k1', 'k2', 'k3'], 100);
      expect(await stores().outbox.oldestPendingAt()).toEqual(at(100));
      const [first, second] = await stores().outbox.claimPending(at(200), 2, 'r1', at(260));
      expect(await stores().outbox.oldestPendingAt()).toEqual(at(100));
      await stores().outbox.markRetry(first!.id, '500', at(300));
      expect(await stores().outbox.oldestPendingAt()).toEqual(at(100));
      await stores().outbox.markSent(first!.id, at(201), null);
      expect(await stores().outbox.oldestPendingAt()).toEqual(at(101));
      await stores().outbox.markDead(second!.id, 'stale', at(202));
      expect(await stores().outbox.oldestPendingAt()).toEqual(at(102));
      const [third] = await stores().outbox.claimPending(at(300), 10, 'r1', at(360));
      await stores().outbox.markSent(third!.id, at(301), null);
      expect(await stores().outbox.oldestPendingAt()).toBeNull();
    });

    it('claims nothing when empty or asked for nothing', async () => {
      expect(await stores().outbox.claimPending(T0, 10, 'r1', at(60))).toEqual([]);
      await queue(stores(), ['k1']);
      expect(await stores().outbox.claimPending(at(5), 0, 'r1', at(60))).toEqual([]);
      expect(await stores().outbox.pendingCount()).toBe(1);
    });
  });
}
