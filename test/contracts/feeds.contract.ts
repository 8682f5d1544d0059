import { describe, expect, it } from 'vitest';
import { at, feedSpec, freshStores, okCheck, T0, type OpenStores } from './stores.contract.js';

export function feedStoreContract(name: string, open: OpenStores): void {
  describe(`FeedStore contract: ${name}`, () => {
    const stores = freshStores(open);

    describe('syncFromConfig', () => {
      it('inserts new feeds due now, unseeded and enabled', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a', { alertNewestOnFirstPoll: 3 }), feedSpec('b')], T0);
        const feeds = await stores().feeds.list();
        expect(feeds.map((feed) => feed.id)).toEqual(['a', 'b']);
        const a = await stores().feeds.get('a');
        expect(a).toMatchObject({
          url: 'https://news.example/a.xml',
          name: 'Feed a',
          intervalSeconds: 900,
          alertNewestOnFirstPoll: 3,
          nextCheckAt: T0.toISOString(),
          seeded: false,
          failures: 0,
          etag: null,
          disabledAt: null,
          lastCheckedAt: null,
        });
      });

      it('updates name, interval and first-poll setting but keeps poll state', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        await stores().feeds.recordCheck('a', okCheck(at(10), { etag: '"e1"', failures: 0, seeded: true }));
        await stores().feeds.syncFromConfig(
          [feedSpec('a', { name: 'Renamed', intervalSeconds: 3600, alertNewestOnFirstPoll: 2 })],
          at(20),
        );
        const feed = await stores().feeds.get('a');
        expect(feed).toMatchObject({
          name: 'Renamed',
          intervalSeconds: 3600,
          alertNewestOnFirstPoll: 2,
          etag: '"e1"',
          seeded: true,
          lastCheckedAt: at(10).toISOString(),
          nextCheckAt: new Date(at(10).getTime() + 900_000).toISOString(),
        });
      });

      it('disables feeds no longer in config instead of deleting them, and re-enables them when back', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a'), feedSpec('b')], T0);
        await stores().feeds.syncFromConfig([feedSpec('a')], at(5));
        const removed = await stores().feeds.get('b');
        expect(removed).toMatchObject({ disabledReason: 'removed from config', disabledAt: at(5).toISOString() });
        expect((await stores().feeds.claimDue(at(60), 10, 'w1', at(120))).map((feed) => feed.id)).toEqual(['a']);

        await stores().feeds.syncFromConfig([feedSpec('a'), feedSpec('b')], at(70));
        expect(await stores().feeds.get('b')).toMatchObject({ disabledAt: null, disabledReason: null });
      });

      it('restarts a feed whose URL changed as unseeded, with fresh validators, due now', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        await stores().feeds.recordCheck(
          'a',
          okCheck(at(10), { etag: '"e1"', lastModified: 'Sat, 01 Mar 2025 12:00:00 GMT', seeded: true }),
        );
        await stores().feeds.syncFromConfig([feedSpec('a', { url: 'https://other.example/a.xml' })], at(20));
        expect(await stores().feeds.get('a')).toMatchObject({
          url: 'https://other.example/a.xml',
          seeded: false,
          etag: null,
          lastModified: null,
          nextCheckAt: at(20).toISOString(),
        });
      });
    });

    describe('claimDue', () => {
      it('claims enabled due feeds ordered by next check, up to the limit', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a'), feedSpec('b'), feedSpec('c'), feedSpec('d')], T0);
        await stores().feeds.recordCheck('a', okCheck(T0, { nextCheckAt: at(30).toISOString() }));
        await stores().feeds.recordCheck('b', okCheck(T0, { nextCheckAt: at(10).toISOString() }));
        await stores().feeds.recordCheck('c', okCheck(T0, { nextCheckAt: at(5000).toISOString() }));
        await stores().feeds.recordCheck(
          'd',
          okCheck(T0, { nextCheckAt: at(1).toISOString(), disabledAt: T0.toISOString(), disabledReason: 'gone' }),
        );
        const claimed = await stores().feeds.claimDue(at(60), 10, 'w1', at(120));
        expect(claimed.map((feed) => feed.id)).toEqual(['b', 'a']);

        await stores().feeds.syncFromConfig([feedSpec('e'), feedSpec('f'), feedSpec('g')], T0);
        expect(await stores().feeds.claimDue(at(60), 2, 'w1', at(120))).toHaveLength(2);
        expect(await stores().feeds.claimDue(at(60), 0, 'w1', at(120))).toEqual([]);
      });

      it('does not hand a leased feed to anyone until the lease expires', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        expect(await stores().feeds.claimDue(T0, 10, 'w1', at(60))).toHaveLength(1);
        expect(await stores().feeds.claimDue(at(30), 10, 'w2', at(90))).toEqual([]);
        expect(await stores().feeds.claimDue(at(30), 10, 'w1', at(90))).toEqual([]);
        const reclaimed = await stores().feeds.claimDue(at(61), 10, 'w2', at(120));
        expect(reclaimed.map((feed) => feed.id)).toEqual(['a']);
      });

      it('gives two owners disjoint feeds', async () => {
        const specs = Array.from({ length: 10 }, (_, index) => feedSpec(`f${index}`));
        await stores().feeds.syncFromConfig(specs, T0);
        const [first, second] = await Promise.all([
          stores().feeds.claimDue(T0, 6, 'w1', at(60)),
          stores().feeds.claimDue(T0, 6, 'w2', at(60)),
        ]);
        const ids = [...first!, ...second!].map((feed) => feed.id);
        expect(ids).toHaveLength(10);
        expect(new Set(ids).size).toBe(10);
      });
    });

    describe('recordCheck', () => {
      it('writes what the poll learned and releases the lease', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        await stores().feeds.claimDue(T0, 10, 'w1', at(600));
        const check = okCheck(at(5), {
          nextCheckAt: at(10).toISOString(),
          etag: '"e2"',
          lastModified: 'Sat, 01 Mar 2025 11:00:00 GMT',
          failures: 3,
          lastError: { code: 'timeout', message: 'no answer in 20 s' },
          seeded: true,
        });
        await stores().feeds.recordCheck('a', check);
        expect(await stores().feeds.get('a')).toMatchObject({
          lastCheckedAt: at(5).toISOString(),
          nextCheckAt: at(10).toISOString(),
          etag: '"e2"',
          lastModified: 'Sat, 01 Mar 2025 11:00:00 GMT',
          failures: 3,
          lastError: { code: 'timeout', message: 'no answer in 20 s' },
          seeded: true,
          disabledAt: null,
        });
        // The lease (until at(600)) is gone: the feed is due again at at(10) for anyone.
        expect((await stores().feeds.claimDue(at(11), 10, 'w2', at(70))).map((feed) => feed.id)).toEqual(['a']);
      });

      it('records a disable decided by the poller', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        await stores().feeds.recordCheck(
          'a',
          okCheck(at(5), { failures: 11, disabledAt: at(5).toISOString(), disabledReason: '11 consecutive failures' }),
        );
        expect(await stores().feeds.get('a')).toMatchObject({ disabledReason: '11 consecutive failures' });
        expect(await stores().feeds.claimDue(at(100_000), 10, 'w1', at(100_060))).toEqual([]);
      });

      it('does not re-enable a feed removed from config while it was being polled', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a'), feedSpec('b')], T0);
        await stores().feeds.claimDue(T0, 10, 'w1', at(60));
        await stores().feeds.syncFromConfig([feedSpec('a')], at(1));
        await stores().feeds.recordCheck('b', okCheck(at(2)));
        expect(await stores().feeds.get('b')).toMatchObject({ disabledReason: 'removed from config' });
      });

      it('rejects a check for an unknown feed', async () => {
        await expect(stores().feeds.recordCheck('nope', okCheck(T0))).rejects.toMatchObject({ code: 'not_found' });
      });
    });

    it('get returns null for an unknown feed', async () => {
      expect(await stores().feeds.get('nope')).toBeNull();
    });
  });
}
