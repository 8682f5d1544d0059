/**
 * New band rows wait in story_bands_recent (member order) and move into story_bands in bulk. Near
 * duplicates must be found the same before, across and after a move, after a rolled-back poll, and
 * from another connection (another process on the same file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryMemberInput, StoryProbe, StoryStore } from '../../src/pipeline/ports.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/index.js';
import { createSqliteStoryStore } from '../../src/storage/sqlite/story-store.js';

const AT = '2025-10-12T04:35:00.000Z';
const NOW = new Date('2025-10-13T00:00:00.000Z');

function member(itemKey: string, bands: number[]): StoryMemberInput {
  return {
    feedId: 'wire', feedName: 'Wire', itemKey, title: `Report ${itemKey}`, link: `https://wire.example/${itemKey}`, snippet: '',
    publishedAt: AT, dated: true, score: 50, profiles: ['p'], entities: [], terms: [], exactKeys: [`u:wire.example/${itemKey}`],
    bands, signature: `sig-${itemKey}`,
  };
}

const probe = (bands: number[]): StoryProbe => ({ exactKeys: [], bands, entities: [], at: new Date(AT), windowSeconds: 3600 });

describe('SQLite recent band rows', () => {
  let dir: string;
  let dbs: SqliteDatabase[];
  const open = (): { db: SqliteDatabase; store: StoryStore } => {
    const db = openSqliteDatabase(path.join(dir, 'stories.sqlite'));
    dbs.push(db);
    // Three reports' rows (3 bands each) before they move.
    return { db, store: createSqliteStoryStore(db, { bandMergeAt: 9 }) };
  };
  const count = (db: SqliteDatabase, table: string): number => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-recent-bands-'));
    dbs = [];
  });
  afterEach(() => {
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds band matches before and after the rows move into the band index', async () => {
    const { db, store } = open();
    const first = await store.assign(member('1', [11, 12, 13]), { kind: 'new' }, [], NOW);
    await store.assign(member('2', [21, 22, 23]), { kind: 'new' }, [], NOW);
    expect([count(db, 'story_bands_recent'), count(db, 'story_bands')]).toEqual([6, 0]);
    expect(await store.candidates(probe([12]))).toMatchObject([{ story: { id: first.storyId }, nearSignatures: ['sig-1'] }]);
    const third = await store.assign(member('3', [31, 32, 33]), { kind: 'new' }, [], NOW);
    expect([count(db, 'story_bands_recent'), count(db, 'story_bands')]).toEqual([0, 9]);
    expect(await store.candidates(probe([12]))).toMatchObject([{ story: { id: first.storyId }, nearSignatures: ['sig-1'] }]);
    await store.assign(member('4', [41, 42, 43]), { kind: 'new' }, [], NOW);
    // One probe, hits in both places.
    const both = await store.candidates(probe([33, 42]));
    expect(both.map((candidate) => candidate.story.id)).toEqual([third.storyId, third.storyId + 1]);
  });

  it('sees rows another connection added, and forgets rows a rolled-back poll added', async () => {
    const one = open();
    const two = open();
    expect(await one.store.candidates(probe([51]))).toEqual([]);
    const placed = await two.store.assign(member('5', [51, 52, 53]), { kind: 'new' }, [], NOW);
    expect(await one.store.candidates(probe([51]))).toMatchObject([{ story: { id: placed.storyId } }]);
    await expect(
      one.store.assignMany([{ member: member('6', [61, 62, 63]), probe: probe([61]) }, { member: member('7', [71]), probe: probe([71]) }], (report) => {
        if (report.member.itemKey === '7') throw new Error('decision failed');
        return { target: { kind: 'new' }, intents: [] };
      }, NOW),
    ).rejects.toThrow('decision failed');
    expect(await one.store.candidates(probe([61]))).toEqual([]);
    expect(count(one.db, 'story_bands_recent')).toBe(3);
  });
});
