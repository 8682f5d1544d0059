/**
 * /timeline free words on SQLite: off the story_text full-text index (migration 5), a word matches
 * where a word of a title starts with it; words the index cannot narrow (no letters, scripts
 * written without spaces) are still found by the substring scan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryMemberInput, StoryStore } from '../../src/pipeline/ports.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/index.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { createSqliteStoryStore } from '../../src/storage/sqlite/story-store.js';

const NOW = new Date('2025-10-13T00:00:00.000Z');

function member(feedId: string, itemKey: string, title: string): StoryMemberInput {
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
});
