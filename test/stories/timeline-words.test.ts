/**
 * /timeline free words on SQLite: off the story_text full-text index (migration 5), a word matches
 * where a word of a title starts with it; words the index cannot narrow (no letters, scripts
 * written without spaces) are still found by the substring scan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryMemberInput, StoryStore, StoryTimelineQuery } from '../../src/pipeline/ports.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/index.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { createSqliteStoryStore } from '../../src/storage/sqlite/story-store.js';
import { createStoryTimeline } from '../../src/storage/sqlite/story-timeline.js';
import { chooseWordPlan } from '../../src/storage/sqlite/story-word-plans.js';

const NOW = new Date('2025-10-13T00:00:00.000Z');

function member(feedId: string, itemKey: string, title: string, extra: Partial<StoryMemberInput> = {}): StoryMemberInput {
  return {
    feedId,
    feedName: `Feed ${feedId}`,
    itemKey,
    title,
    link: `https://${feedId}.example/${itemKey}`,
    snippet: '',
    publishedAt: '2025-10-12T04:35:00.000Z',
    dated: true,
    score: 50,
    profiles: ['p'],
    entities: ['socar'],
    terms: [],
    exactKeys: [],
    bands: [],
    signature: '',
    ...extra,
  };
}

/** A small deterministic sequence (the tests must not depend on Math.random). */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('timeline word search (SQLite)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: StoryStore;
  const file = (): string => path.join(dir, 'stories.sqlite');
  const words = async (list: string[]): Promise<{ ids: number[]; total: number }> => {
    const { stories, total } = await store.timeline({ entityIds: [], profiles: [], words: list, since: new Date(0), until: NOW, offset: 0, limit: 10 });
    return { ids: stories.map((story) => story.id), total };
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-timeline-words-'));
    db = openSqliteDatabase(file());
    store = createSqliteStoryStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches words at word starts, across the titles of one story, in any case', async () => {
    const deal = await store.assign(member('a', '1', 'SOCAR gas deal'), { kind: 'new' }, [], NOW);
    await store.assign(member('b', '2', 'Trans-Balkan pipeline signed'), { kind: 'join', storyId: deal.storyId }, [], NOW);
    const strike = await store.assign(member('c', '3', 'Drones hit the Orlovka depot'), { kind: 'new' }, [], NOW);
    expect(await words(['drone'])).toEqual({ ids: [strike.storyId], total: 1 });
    expect(await words(['socar', 'PIPELINE'])).toEqual({ ids: [deal.storyId], total: 1 });
    expect(await words(['trans-balkan'])).toEqual({ ids: [deal.storyId], total: 1 });
    expect(await words(['socar', 'drone'])).toEqual({ ids: [], total: 0 });
    // The substring check still applies: "trans balkan" is two words, "trans-balkan" is not "trans balkan".
    expect(await words(['trans balkan'])).toEqual({ ids: [], total: 0 });
  });

  it('finds words the index cannot narrow by the scan', async () => {
    const tokyo = await store.assign(member('a', '1', '東京で無人機攻撃'), { kind: 'new' }, [], NOW);
    const dash = await store.assign(member('b', '2', 'SOCAR — deal off'), { kind: 'new' }, [], NOW);
    expect(await words(['無人機'])).toEqual({ ids: [tokyo.storyId], total: 1 });
    expect(await words(['—'])).toEqual({ ids: [dash.storyId], total: 1 });
  });

  it('finds stories stored before the index existed (migration 5 fills it from their text)', async () => {
    const old = await store.assign(member('a', '1', 'Orlovka compressor strike'), { kind: 'new' }, [], NOW);
    db.exec('DROP TABLE story_text');
    // Back to the version before the index: reopening applies that migration (and any after it) again.
    db.pragma(`user_version = ${MIGRATIONS.findIndex((sql) => sql.includes('VIRTUAL TABLE story_text'))}`);
    db.close();
    db = openSqliteDatabase(file());
    store = createSqliteStoryStore(db);
    const joined = await store.assign(member('b', '2', 'Odesa region hit'), { kind: 'join', storyId: old.storyId }, [], NOW);
    expect(joined.storyId).toBe(old.storyId);
    expect(await words(['compressor', 'odesa'])).toEqual({ ids: [old.storyId], total: 1 });
  });

  it('counts a story once however many of its titles match, and stops counting at countUpTo', async () => {
    const first = await store.assign(member('a', '1', 'Drone strike on the depot'), { kind: 'new' }, [], NOW);
    await store.assign(member('b', '2', 'Drones hit the depot again'), { kind: 'join', storyId: first.storyId }, [], NOW);
    const other = await store.assign(member('c', '3', 'Depot fire'), { kind: 'new' }, [], NOW);
    expect(await words(['drone'])).toEqual({ ids: [first.storyId], total: 1 });
    const query: StoryTimelineQuery = { entityIds: [], profiles: [], words: ['depot'], since: new Date(0), until: NOW, offset: 0, limit: 1 };
    expect(await store.timeline({ ...query, countUpTo: 1 })).toMatchObject({ total: 1, atLeast: true });
    expect(await store.timeline({ ...query, countUpTo: 2 })).toMatchObject({ total: 2, atLeast: false });
    expect(await store.timeline({ ...query, words: [], countUpTo: 0 })).toMatchObject({ stories: [{ id: first.storyId }], total: 0, atLeast: true });
    expect((await store.timeline({ ...query, offset: 1 })).stories.map((story) => story.id)).toEqual([other.storyId]);
  });

  it('answers the same by every plan (the rarest word’s hits, the tags, a walk in time order), as the titles say', async () => {
    const random = sequence(7);
    const vocabulary = ['oil', 'oilfield', 'soil', 'gas', 'depot', 'drone', 'deal', 'port', 'trans-balkan', 'Odesa'];
    const entities = ['socar', 'orlovka', 'odesa'];
    const titles = new Map<number, string[]>();
    for (let index = 0; index < 120; index++) {
      const title = Array.from({ length: 3 }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
      const publishedAt = new Date(NOW.getTime() - Math.floor(random() * 60) * 86_400_000).toISOString();
      const known = [...titles.keys()];
      const join = known.length > 0 && random() < 0.3 ? known[Math.floor(random() * known.length)] : undefined;
      const entity = entities[Math.floor(random() * entities.length)] ?? 'socar';
      const placed = await store.assign(member(`f${index % 7}`, `k${index}`, title, { publishedAt, entities: [entity] }), join === undefined ? { kind: 'new' } : { kind: 'join', storyId: join }, [], NOW);
      titles.set(placed.storyId, [...(titles.get(placed.storyId) ?? []), title]);
    }
    const startsAWord = (text: string, word: string): boolean => new RegExp(`(^|[^\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(text.toLowerCase());
    const matches = (id: number, list: readonly string[]): boolean => {
      const own = titles.get(id) ?? [];
      return list.every((word) => own.join('\n').toLowerCase().includes(word) && own.some((title) => startsAWord(title, word)));
    };
    const plans = (['hits', 'tags', 'walk'] as const).map((plan) => createStoryTimeline(db, { plan }));
    const month = new Date(NOW.getTime() - 30 * 86_400_000);
    const cases: Partial<StoryTimelineQuery>[] = [
      { words: ['oil'] }, { words: ['gas', 'depot'] }, { words: ['trans-balkan'] }, { words: ['oil'], since: month },
      { words: ['deal'], entityIds: ['socar'] }, { words: ['port', 'oil'], entityIds: ['orlovka', 'odesa'] },
      { words: ['gas'], entityIds: ['orlovka', 'odesa'], since: month }, { words: ['soil', 'drone'] },
    ];
    for (const overrides of cases) {
      const query: StoryTimelineQuery = { entityIds: [], profiles: [], words: [], since: new Date(0), until: NOW, offset: 0, limit: 500, ...overrides };
      // Tags and window by the tags-only read, words by the titles: the expected answer.
      const candidates = (await store.timeline({ ...query, words: [] })).stories.map((story) => story.id);
      const expected = candidates.filter((id) => matches(id, query.words));
      expect(expected.length, JSON.stringify(overrides)).toBeGreaterThan(2);
      for (const timeline of [store.timeline.bind(store), ...plans]) {
        expect(await timeline(query)).toMatchObject({ total: expected.length, atLeast: false });
        expect((await timeline(query)).stories.map((story) => story.id)).toEqual(expected);
        const page = await timeline({ ...query, offset: 1, limit: 2, countUpTo: 2 });
        expect(page.stories.map((story) => story.id)).toEqual(expected.slice(1, 3));
        expect(page).toMatchObject({ total: 2, atLeast: expected.length > 2 });
      }
    }
  });
});

describe('choosing a word plan', () => {
  const stories = 250_000;
  it('sorts a rare word’s hits, walks the time index for a common one, starts from a small tag set', () => {
    expect(chooseWordPlan({ stories, hits: [2_000], tagged: null, want: 1_001 })).toEqual({ plan: 'hits', order: [0] });
    expect(chooseWordPlan({ stories, hits: [30_000], tagged: null, want: 1_001 }).plan).toBe('walk');
    expect(chooseWordPlan({ stories, hits: [30_000, 2_000], tagged: null, want: 1_001 })).toEqual({ plan: 'hits', order: [1, 0] });
    expect(chooseWordPlan({ stories, hits: [30_000], tagged: 500, want: 1_001 }).plan).toBe('tags');
    expect(chooseWordPlan({ stories, hits: [30_000], tagged: 75_000, want: 1_001 }).plan).toBe('walk');
  });
});
