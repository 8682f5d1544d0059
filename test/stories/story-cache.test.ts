/**
 * The SQLite story store caches stories in-process; these check it never serves a stale story when
 * another connection (another process on the same file) wrote meanwhile, nor after a rollback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryChoice, StoryMemberInput, StoryReport, StoryStore } from '../../src/pipeline/ports.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/index.js';
import { createSqliteStoryStore } from '../../src/storage/sqlite/story-store.js';

const AT = '2025-10-12T04:35:00.000Z';
const NOW = new Date('2025-10-13T00:00:00.000Z');

function member(feedId: string, itemKey: string, overrides: Partial<StoryMemberInput> = {}): StoryMemberInput {
  return {
    feedId,
    feedName: `Feed ${feedId}`,
    itemKey,
    title: `Report ${itemKey}`,
    link: `https://${feedId}.example/${itemKey}`,
    snippet: '',
    publishedAt: AT,
    dated: true,
    score: 50,
    profiles: ['p'],
    entities: ['socar'],
    terms: ['socar'],
    exactKeys: [`u:${feedId}.example/${itemKey}`],
    bands: [],
    signature: '',
    ...overrides,
  };
}

const report = (input: StoryMemberInput): StoryReport => ({ member: input, probe: { exactKeys: [], bands: [], entities: ['socar'], at: new Date(AT), windowSeconds: 3600 } });

describe('SQLite story cache', () => {
  let dir: string;
  let dbs: SqliteDatabase[];
  const open = (): StoryStore => {
    const db = openSqliteDatabase(path.join(dir, 'stories.sqlite'));
    dbs.push(db);
    return createSqliteStoryStore(db);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-story-cache-'));
    dbs = [];
  });
  afterEach(() => {
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees joins another connection committed since it cached the story', async () => {
    const one = open();
    const two = open();
    const first = await one.assign(member('a', '1'), { kind: 'new' }, [], NOW);
    // `one` now holds the story (1 report, 1 outlet) in its cache; `two` adds a report from another outlet.
    await two.assign(member('b', '2', { entities: ['socar', 'odesa'] }), { kind: 'join', storyId: first.storyId }, [], NOW);
    const seen = await one.assignMany([report(member('c', '3'))], () => ({ target: { kind: 'join', storyId: first.storyId }, intents: [] }), NOW);
    expect(seen[0]?.storyId).toBe(first.storyId);
    const candidates = await one.candidates(report(member('d', '4')).probe);
    expect(candidates.map((candidate) => candidate.story)).toMatchObject([{ id: first.storyId, itemCount: 3, sourceCount: 3 }]);
    expect([...(candidates[0]?.story.entities ?? [])].sort()).toEqual(['odesa', 'socar']);
    const { stories } = await two.timeline({ entityIds: [], profiles: [], words: [], since: new Date(0), until: NOW, offset: 0, limit: 10 });
    expect(stories).toMatchObject([{ id: first.storyId, itemCount: 3, sourceCount: 3 }]);
  });

  it('forgets what a rolled-back poll wrote', async () => {
    const store = open();
    const first = await store.assign(member('a', '1'), { kind: 'new' }, [], NOW);
    let calls = 0;
    const decide = (): StoryChoice => {
      calls++;
      if (calls === 2) throw new Error('decision failed');
      return { target: { kind: 'join', storyId: first.storyId }, intents: [] };
    };
    await expect(store.assignMany([report(member('b', '2')), report(member('c', '3'))], decide, NOW)).rejects.toThrow('decision failed');
    // The join of b was rolled back: the story still has one report, and b can be placed again.
    const candidates = await store.candidates(report(member('d', '4')).probe);
    expect(candidates.map((candidate) => candidate.story)).toMatchObject([{ id: first.storyId, itemCount: 1, sourceCount: 1 }]);
    const again = await store.assign(member('b', '2'), { kind: 'join', storyId: first.storyId }, [], NOW);
    expect(again).toMatchObject({ storyId: first.storyId, replayed: false, relation: 'join' });
    const { stories } = await store.timeline({ entityIds: [], profiles: [], words: [], since: new Date(0), until: NOW, offset: 0, limit: 10 });
    expect(stories).toMatchObject([{ itemCount: 2, sourceCount: 2 }]);
  });

  it('finds near duplicates by band with signatures from another connection', async () => {
    const one = open();
    const two = open();
    await one.candidates({ exactKeys: [], bands: [7], entities: [], at: new Date(AT), windowSeconds: 3600 });
    const placed = await two.assign(member('a', '1', { bands: [7, 8], signature: 'sig-a' }), { kind: 'new' }, [], NOW);
    const found = await one.candidates({ exactKeys: [], bands: [8], entities: [], at: new Date(AT), windowSeconds: 3600 });
    expect(found).toMatchObject([{ story: { id: placed.storyId }, exact: false, nearSignatures: ['sig-a'] }]);
  });

  it('finds a story another connection started for the same entity after this one held the entity', async () => {
    const one = open();
    const two = open();
    // `one` reads (and holds) the stories of 'socar' near AT: none yet.
    expect(await one.candidates(report(member('x', '0')).probe)).toEqual([]);
    const placed = await two.assign(member('a', '1'), { kind: 'new' }, [], NOW);
    const found = await one.candidates(report(member('x', '1')).probe);
    expect(found.map((candidate) => candidate.story.id)).toEqual([placed.storyId]);
  });

  it('drops entity stories a rolled-back poll started', async () => {
    const store = open();
    expect(await store.candidates(report(member('x', '0')).probe)).toEqual([]);
    const decide = (reportIn: StoryReport): StoryChoice => {
      if (reportIn.member.itemKey === '2') throw new Error('decision failed');
      return { target: { kind: 'new' }, intents: [] };
    };
    await expect(store.assignMany([report(member('a', '1')), report(member('b', '2'))], decide, NOW)).rejects.toThrow('decision failed');
    expect(await store.candidates(report(member('x', '1')).probe)).toEqual([]);
  });

  it('forgets an alert a rolled-back poll claimed', async () => {
    const store = open();
    const decide = (reportIn: StoryReport): StoryChoice => {
      if (reportIn.member.itemKey === '2') throw new Error('decision failed');
      return { target: { kind: 'new' }, intents: [{ destinationId: 'd', update: null }] };
    };
    await expect(store.assignMany([report(member('a', '1')), report(member('b', '2'))], decide, NOW)).rejects.toThrow('decision failed');
    const again = await store.assign(member('a', '1'), { kind: 'new' }, [{ destinationId: 'd', update: null }], NOW);
    expect(again.outcomes).toEqual([{ destinationId: 'd', outcome: 'alert', change: null }]);
    const joined = await store.assign(member('c', '3'), { kind: 'join', storyId: again.storyId }, [{ destinationId: 'd', update: null }], NOW);
    expect(joined.outcomes).toEqual([{ destinationId: 'd', outcome: 'follow-up', change: null }]);
  });

  it('finds near duplicates another connection banded after a rolled-back poll here', async () => {
    const one = open();
    const two = open();
    await one.candidates({ exactKeys: [], bands: [7], entities: [], at: new Date(AT), windowSeconds: 3600 });
    await expect(one.assignMany([report(member('a', '1'))], () => {
      throw new Error('decision failed');
    }, NOW)).rejects.toThrow('decision failed');
    const placed = await two.assign(member('b', '2', { bands: [9], signature: 'sig-b' }), { kind: 'new' }, [], NOW);
    const found = await one.candidates({ exactKeys: [], bands: [9], entities: [], at: new Date(AT), windowSeconds: 3600 });
    expect(found).toMatchObject([{ story: { id: placed.storyId }, nearSignatures: ['sig-b'] }]);
  });

  it('finds an exact key another connection stored after this one read its keys', async () => {
    const one = open();
    const two = open();
    const byKey = { exactKeys: ['u:b.example/2'], bands: [], entities: [], at: new Date(AT), windowSeconds: 3600 };
    expect(await one.candidates(byKey)).toEqual([]);
    const placed = await two.assign(member('b', '2'), { kind: 'new' }, [], NOW);
    expect(await one.candidates(byKey)).toMatchObject([{ story: { id: placed.storyId }, exact: true }]);
    // And its own writes, without another connection in between.
    const own = await one.assign(member('c', '3'), { kind: 'new' }, [], NOW);
    expect(await one.candidates({ ...byKey, exactKeys: ['u:c.example/3'] })).toMatchObject([{ story: { id: own.storyId }, exact: true }]);
  });

  it('keeps a story grown earlier in the same poll even when the cache has dropped it', async () => {
    const db = openSqliteDatabase(path.join(dir, 'stories.sqlite'));
    dbs.push(db);
    const store = createSqliteStoryStore(db, { cacheCapacity: 2 });
    const first = await store.assign(member('a', '1'), { kind: 'new' }, [], NOW);
    const reports = [report(member('b', '2')), ...['3', '4', '5'].map((key) => report(member(`f${key}`, key))), report(member('c', '6'))];
    await store.assignMany(reports, (input) => ({ target: ['b', 'c'].includes(input.member.feedId) ? { kind: 'join', storyId: first.storyId } : { kind: 'new' }, intents: [] }), NOW);
    const { stories } = await store.timeline({ entityIds: [], profiles: [], words: ['report'], since: new Date(0), until: NOW, offset: 0, limit: 10 });
    expect(stories.find((story) => story.id === first.storyId)).toMatchObject({ itemCount: 3, sourceCount: 3 });
  });
});
