import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, entry, feedItem, ingestInto, scoreResult, type Stores } from './stores.contract.js';

/**
 * Opens a fresh, empty store, and `again` opens another handle on that same database: what a
 * restarted process or a second worker sees. `close` closes every handle it opened.
 */
export type OpenSharedStores = () => Promise<{ stores: Stores; again(): Promise<Stores>; close(): Promise<void> }>;

/** One alert per destination id, all committed at `seconds`. */
async function queue(stores: Stores, destinationIds: string[], seconds = 0): Promise<void> {
  for (const [index, destinationId] of destinationIds.entries()) {
    const key = `k${seconds}-${index}-${destinationId}`;
    await ingestInto(stores, 'wire', [entry(feedItem(key), [scoreResult('p', 7)], [{ destinationId, profile: 'p', score: 7 }])], at(seconds));
  }
}

const destinationsOf = (rows: readonly { destinationId: string }[]): string[] => rows.map((row) => row.destinationId);

export function destinationPausesContract(name: string, open: OpenSharedStores): void {
  describe(`DestinationPauses contract (OutboxStore): ${name}`, () => {
    let opened: Awaited<ReturnType<OpenSharedStores>> | null = null;
    const stores = (): Stores => {
      if (!opened) throw new Error('stores are only open inside a test');
      return opened.stores;
    };
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened?.close();
      opened = null;
    });

    it('pauses a destination once: a second pause keeps the first reason and time', async () => {
      expect(await stores().outbox.pausedDestinations()).toEqual([]);
      expect(await stores().outbox.pauseDestination('d1', 'channel_not_found', at(5))).toBe(true);
      expect(await stores().outbox.pauseDestination('d1', 'not_in_channel', at(9))).toBe(false);
      expect(await stores().outbox.pausedDestinations()).toEqual([{ destinationId: 'd1', reason: 'channel_not_found', pausedAt: at(5).toISOString() }]);
    });

    it('lists pauses oldest first; resume lifts one and says whether there was one', async () => {
      await stores().outbox.pauseDestination('late', 'Discord 403 code 50013', at(20));
      await stores().outbox.pauseDestination('early', 'invalid_auth', at(10));
      expect(destinationsOf(await stores().outbox.pausedDestinations())).toEqual(['early', 'late']);
      expect(await stores().outbox.resumeDestination('early')).toBe(true);
      expect(await stores().outbox.resumeDestination('early')).toBe(false);
      expect(await stores().outbox.resumeDestination('never-paused')).toBe(false);
      expect(destinationsOf(await stores().outbox.pausedDestinations())).toEqual(['late']);
    });

    it('keeps a paused destination’s rows pending and unclaimed while the others are handed out', async () => {
      await queue(stores(), ['d1', 'd2', 'd1']);
      await stores().outbox.pauseDestination('d1', 'is_archived', at(1));
      const claimed = await stores().outbox.claimPending(at(10), 10, 'r1', at(70));
      expect(destinationsOf(claimed)).toEqual(['d2']);
      expect(await stores().outbox.pendingCount()).toBe(3);
      expect(await stores().outbox.claimPending(at(50), 10, 'r2', at(110))).toEqual([]);
    });

    it('a row deferred when its destination was paused comes back after resume, with no attempt counted', async () => {
      await queue(stores(), ['d1']);
      const [row] = await stores().outbox.claimPending(at(1), 10, 'r1', at(61));
      await stores().outbox.pauseDestination('d1', 'not_in_channel', at(2));
      await stores().outbox.defer(row!.id, at(2));
      expect(await stores().outbox.claimPending(at(3), 10, 'r1', at(63))).toEqual([]);
      expect(await stores().outbox.resumeDestination('d1')).toBe(true);
      const again = await stores().outbox.claimPending(at(4), 10, 'r1', at(64));
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ id: row!.id, destinationId: 'd1', attempts: 0 });
    });

    it('a pause is seen through another handle on the same store (a restart, another worker), and so is its resume', async () => {
      await queue(stores(), ['d1', 'd2']);
      await stores().outbox.pauseDestination('d1', 'channel_not_found', at(1));
      const other = await opened!.again();
      expect(await other.outbox.pausedDestinations()).toEqual([{ destinationId: 'd1', reason: 'channel_not_found', pausedAt: at(1).toISOString() }]);
      expect(await other.outbox.pauseDestination('d1', 'channel_not_found', at(2))).toBe(false);
      expect(destinationsOf(await other.outbox.claimPending(at(5), 10, 'w2', at(65)))).toEqual(['d2']);
      expect(await other.outbox.resumeDestination('d1')).toBe(true);
      expect(await stores().outbox.pausedDestinations()).toEqual([]);
      expect(destinationsOf(await stores().outbox.claimPending(at(6), 10, 'w1', at(66)))).toEqual(['d1']);
    });
  });
}
