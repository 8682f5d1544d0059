import { describe, expect, it } from 'vitest';
import {
  at,
  entry,
  feedItem,
  feedSpec,
  freshStores,
  ingestInto,
  okCheck,
  scoreResult,
  T0,
  type OpenStores,
} from './stores.contract.js';

export function ingestStoreContract(name: string, open: OpenStores): void {
  describe(`IngestStore contract: ${name}`, () => {
    const stores = freshStores(open);

    describe('unseenKeys', () => {
      it('returns every key for an empty feed and only new keys after a commit', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a'), feedSpec('b')], T0);
        expect(await stores().ingest.unseenKeys('a', ['k1', 'k2'])).toEqual(new Set(['k1', 'k2']));
        await stores().ingest.commit('a', [entry(feedItem('k1'))], okCheck(T0), T0);
        expect(await stores().ingest.unseenKeys('a', ['k1', 'k2', 'k3'])).toEqual(new Set(['k2', 'k3']));
        // Keys are per feed: another feed carrying the same GUID has not seen it.
        expect(await stores().ingest.unseenKeys('b', ['k1'])).toEqual(new Set(['k1']));
        expect(await stores().ingest.unseenKeys('a', [])).toEqual(new Set());
      });

      it('answers for batches larger than one lookup chunk', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        const keys = Array.from({ length: 1234 }, (_, index) => `key-${index}`);
        const stored = keys.filter((_, index) => index % 3 === 0);
        await stores().ingest.commit('a', stored.map((key) => entry(feedItem(key))), okCheck(T0), T0);
        const unseen = await stores().ingest.unseenKeys('a', keys);
        expect(unseen.size).toBe(keys.length - stored.length);
        expect(stored.some((key) => unseen.has(key))).toBe(false);
      });
    });

    describe('commit', () => {
      it('stores items, queues their alerts, writes the check and releases the lease', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        await stores().feeds.claimDue(T0, 1, 'w1', at(3600));
        const result = await stores().ingest.commit(
          'a',
          [
            entry(feedItem('k1'), [scoreResult('caucasus', 9, ['baku'])], [
              { destinationId: 'slack-news', profile: 'caucasus', score: 9 },
              { destinationId: 'discord-ops', profile: 'caucasus', score: 9 },
            ]),
            entry(feedItem('k2'), [scoreResult('caucasus', 1)]),
          ],
          okCheck(at(1), { etag: '"after"', nextCheckAt: at(2).toISOString() }),
          at(1),
        );
        expect(result).toEqual({ stored: 2, queued: 2 });
        expect(await stores().outbox.pendingCount()).toBe(2);
        expect(await stores().feeds.get('a')).toMatchObject({ etag: '"after"', seeded: true });
        expect(await stores().feeds.claimDue(at(3), 1, 'w2', at(60))).toHaveLength(1);
      });

      it('is idempotent: committing the same entries again stores and queues nothing', async () => {
        const entries = [
          entry(feedItem('k1'), [scoreResult('caucasus', 9)], [{ destinationId: 'd1', profile: 'caucasus', score: 9 }]),
        ];
        expect(await ingestInto(stores(), 'a', entries)).toEqual({ stored: 1, queued: 1 });
        expect(await ingestInto(stores(), 'a', entries, at(60))).toEqual({ stored: 0, queued: 0 });
        expect(await stores().outbox.pendingCount()).toBe(1);
      });

      it('never adds outbox rows for an item already stored, even for a new destination', async () => {
        await ingestInto(stores(), 'a', [entry(feedItem('k1'), [scoreResult('p', 9)], [])]);
        const again = await ingestInto(stores(), 'a', [
          entry(feedItem('k1'), [scoreResult('p', 9)], [{ destinationId: 'd2', profile: 'p', score: 9 }]),
        ]);
        expect(again).toEqual({ stored: 0, queued: 0 });
        expect(await stores().outbox.pendingCount()).toBe(0);
      });

      it('queues one row per destination and item, however often the alert is listed', async () => {
        const alert = { destinationId: 'd1', profile: 'p', score: 9 };
        const result = await ingestInto(stores(), 'a', [
          entry(feedItem('k1'), [scoreResult('p', 9)], [alert, alert]),
          entry(feedItem('k1'), [scoreResult('p', 9)], [alert]),
        ]);
        expect(result).toEqual({ stored: 1, queued: 1 });
        expect(await stores().outbox.pendingCount()).toBe(1);
      });

      it('keeps every score and indexes the entities of the results that alerted', async () => {
        const scores = [scoreResult('caucasus', 8, ['baku', 'socar']), scoreResult('energy', 2, ['opec'])];
        await ingestInto(stores(), 'a', [entry(feedItem('k1', { link: 'https://news.example/x' }), scores)]);
        const found = await stores().items.findByLink('https://news.example/x');
        expect(found?.item).toMatchObject({ key: 'k1', feedId: 'a', title: 'Story k1', firstSeenAt: T0.toISOString() });
        expect(found?.scores).toEqual(scores);

        const window = { words: [], profile: null, since: at(-3600), until: at(3600), limit: 10 };
        const byBaku = await stores().items.timeline({ ...window, entityIds: ['baku'] });
        expect(byBaku.map((hit) => hit.item.key)).toEqual(['k1']);
        // OPEC matched only in a result below its threshold: not relevant, not indexed.
        expect(await stores().items.timeline({ ...window, entityIds: ['opec'] })).toEqual([]);
      });

      it('stores nothing for an unknown feed', async () => {
        await stores().feeds.syncFromConfig([feedSpec('a')], T0);
        await expect(
          stores().ingest.commit('missing', [entry(feedItem('k1'), [], [])], okCheck(T0), T0),
        ).rejects.toBeInstanceOf(Error);
        expect(await stores().ingest.unseenKeys('missing', ['k1'])).toEqual(new Set(['k1']));
      });
    });
  });
}
