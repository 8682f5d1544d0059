import { beforeEach, describe, expect, it } from 'vitest';
import type { TimelineQuery } from '../../src/pipeline/ports.js';
import { at, entry, feedItem, freshStores, ingestInto, scoreResult, type OpenStores } from './stores.contract.js';

const WINDOW: TimelineQuery = { entityIds: [], words: [], profile: null, since: at(0), until: at(1000), limit: 50 };

export function itemStoreContract(name: string, open: OpenStores): void {
  describe(`ItemStore contract: ${name}`, () => {
    const stores = freshStores(open);

    beforeEach(async () => {
      await ingestInto(stores(), 'alpha', [
        entry(
          feedItem('talks', {
            title: 'Baku hosts PEACE talks',
            summary: 'Armenian and Azerbaijani delegations met.',
            published: at(100).toISOString(),
          }),
          [scoreResult('caucasus', 9, ['baku', 'armenia'])],
        ),
        entry(feedItem('weather', { title: 'Sunny in Baku', published: at(300).toISOString() }), [
          scoreResult('caucasus', 2, ['baku']),
        ]),
        entry(feedItem('old', { title: 'Baku, last year', published: at(-100_000).toISOString() }), [
          scoreResult('caucasus', 9, ['baku']),
        ]),
      ]);
      await ingestInto(stores(), 'beta', [
        entry(
          feedItem('oil', {
            title: 'OPEC cuts output',
            summary: 'Brent rises; SOCAR exports steady.',
            published: at(200).toISOString(),
          }),
          [scoreResult('energy', 8, ['opec', 'socar']), scoreResult('caucasus', 6, ['socar'])],
        ),
      ]);
      // No date in the feed: ordered by when it was first seen.
      await ingestInto(
        stores(),
        'alpha',
        [entry(feedItem('undated', { title: 'Yerevan protest', summary: 'Crowds in armenia.', published: null }), [
          scoreResult('caucasus', 7, ['armenia']),
        ])],
        at(400),
      );
    });

    const keys = async (query: Partial<TimelineQuery>): Promise<string[]> =>
      (await stores().items.timeline({ ...WINDOW, ...query })).map((hit) => hit.item.key);

    it('finds relevant items by entity, oldest first', async () => {
      expect(await keys({ entityIds: ['baku'] })).toEqual(['talks']);
      expect(await keys({ entityIds: ['socar', 'armenia'] })).toEqual(['talks', 'oil', 'undated']);
      expect(await keys({ entityIds: ['nobody'] })).toEqual([]);
    });

    it('finds relevant items containing all words, in any case, in title or summary', async () => {
      expect(await keys({ words: ['peace', 'TALKS'] })).toEqual(['talks']);
      expect(await keys({ words: ['armenia'] })).toEqual(['talks', 'undated']);
      expect(await keys({ words: ['baku', 'opec'] })).toEqual([]);
      // "Sunny in Baku" exists but never alerted.
      expect(await keys({ words: ['sunny'] })).toEqual([]);
    });

    it('matches entities OR words when both are given', async () => {
      expect(await keys({ entityIds: ['opec'], words: ['yerevan'] })).toEqual(['oil', 'undated']);
    });

    it('shows every relevant item in the window for an empty query', async () => {
      expect(await keys({})).toEqual(['talks', 'oil', 'undated']);
    });

    it('filters by profile and reports that profile’s score and entities', async () => {
      const energy = await stores().items.timeline({ ...WINDOW, profile: 'energy' });
      expect(energy).toHaveLength(1);
      expect(energy[0]).toMatchObject({ feedName: 'Feed beta', score: 8, profile: 'energy' });
      expect([...energy[0]!.entities].sort()).toEqual(['opec', 'socar']);

      const caucasus = await stores().items.timeline({ ...WINDOW, profile: 'caucasus' });
      expect(caucasus.map((hit) => hit.item.key)).toEqual(['talks', 'oil', 'undated']);
      expect(caucasus[1]).toMatchObject({ score: 6, profile: 'caucasus', entities: ['socar'] });
      expect(await keys({ profile: 'caucasus', entityIds: ['opec'] })).toEqual(['oil']);
      expect(await keys({ profile: 'sports' })).toEqual([]);
    });

    it('reports the best relevant profile when any profile will do', async () => {
      const [oil] = await stores().items.timeline({ ...WINDOW, entityIds: ['opec'] });
      expect(oil).toMatchObject({ profile: 'energy', score: 8, feedName: 'Feed beta' });
      expect(oil?.item).toMatchObject({ feedId: 'beta', summary: 'Brent rises; SOCAR exports steady.' });
    });

    it('keeps to the window, both ends included', async () => {
      expect(await keys({ since: at(200), until: at(300) })).toEqual(['oil']);
      expect(await keys({ since: at(100), until: at(100) })).toEqual(['talks']);
      expect(await keys({ since: at(-200_000), until: at(0), entityIds: ['baku'] })).toEqual(['old']);
      expect(await keys({ since: at(401), until: at(5000) })).toEqual([]);
    });

    it('stops at the limit, keeping the oldest', async () => {
      expect(await keys({ limit: 2 })).toEqual(['talks', 'oil']);
      expect(await keys({ limit: 0 })).toEqual([]);
    });

    it('finds an item by its link, with its scores', async () => {
      const found = await stores().items.findByLink('https://news.example/story/oil');
      expect(found?.item).toMatchObject({ key: 'oil', feedId: 'beta', published: at(200).toISOString() });
      expect(found?.scores.map((result) => result.profile)).toEqual(['energy', 'caucasus']);
      const undated = await stores().items.findByLink('https://news.example/story/undated');
      expect(undated?.item).toMatchObject({ published: null, firstSeenAt: at(400).toISOString() });
      expect(await stores().items.findByLink('https://news.example/none')).toBeNull();
    });
  });
}
