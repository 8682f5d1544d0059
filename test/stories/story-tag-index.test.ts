/**
 * The tag index answers "the latest stories of this entity in [from, to]" from memory; it must
 * answer exactly what the story_tags table does (same ids, same order, same limit), including after
 * a story's start moves earlier and as the ranges asked for move on (trimming).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createTagIndex } from '../../src/storage/sqlite/story-tag-index.js';

const DAY = 86_400_000;

/** A small deterministic generator (the tests must not depend on Math.random). */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('tag index', () => {
  it('answers like the (tag, first_at) index of story_tags, through adds, moves and trims', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE story_tags (story_id INTEGER NOT NULL, tag TEXT NOT NULL, first_at INTEGER NOT NULL, PRIMARY KEY (story_id, tag)) WITHOUT ROWID;
      CREATE INDEX story_tags_first ON story_tags (tag, first_at);`);
    const insert = db.prepare('INSERT INTO story_tags (story_id, tag, first_at) VALUES (?, ?, ?)');
    const move = db.prepare('UPDATE story_tags SET first_at = ? WHERE story_id = ?');
    const tagsOf = db.prepare<[number], string>('SELECT tag FROM story_tags WHERE story_id = ?').pluck();
    const latest = db.prepare<[string, number, number, number], number>('SELECT story_id FROM story_tags WHERE tag = ? AND first_at >= ? AND first_at <= ? ORDER BY first_at DESC LIMIT ?').pluck();
    const since = db.prepare<[string, number], { story_id: number; first_at: number }>('SELECT story_id, first_at FROM story_tags WHERE tag = ? AND first_at >= ?');
    const index = createTagIndex();
    const random = randomFrom(42);
    const tags = ['e:socar', 'e:orlovka', 'e:odesa', 'p:az-ru'];
    let now = 0;
    let storyId = 0;
    let answered = 0;
    for (let step = 0; step < 3_000; step++) {
      now += Math.floor(random() * 3_600_000);
      const roll = random();
      if (roll < 0.4) {
        storyId++;
        // Same start times happen (a poll's reports share a minute): ties must order alike.
        const at = now - (random() < 0.2 ? 0 : Math.floor(random() * 2 * DAY));
        for (const tag of tags.filter(() => random() < 0.5)) {
          insert.run(storyId, tag, at);
          index.add(tag, storyId, at);
        }
      } else if (roll < 0.45 && storyId > 0) {
        const id = 1 + Math.floor(random() * storyId);
        const at = now - 5 * DAY;
        move.run(at, id);
        index.move(id, tagsOf.all(id), at);
      } else {
        const tag = tags[Math.floor(random() * tags.length)] ?? 'e:socar';
        const from = now - Math.floor(random() * 6 * DAY);
        const to = now + Math.floor(random() * DAY);
        const limit = 1 + Math.floor(random() * 6);
        let held = index.latest(tag, from, to, limit);
        if (held === null) {
          index.hold(tag, from - DAY, since.all(tag, from - DAY));
          held = index.latest(tag, from, to, limit);
        } else {
          answered++;
        }
        expect(held).toEqual(latest.all(tag, from, to, limit));
      }
    }
    // Most ranges were answered from memory, not by loading the tag again.
    expect(answered).toBeGreaterThan(500);
    db.close();
  });

  it('holds nothing for a tag with too many recent stories, and nothing after clear', () => {
    const index = createTagIndex();
    index.hold('e:russia', 0, Array.from({ length: 20_001 }, (_, id) => ({ story_id: id, first_at: id })));
    expect(index.latest('e:russia', 0, 10, 3)).toBeNull();
    index.hold('e:socar', 0, [{ story_id: 1, first_at: 5 }]);
    expect(index.latest('e:socar', 0, 10, 3)).toEqual([1]);
    expect(index.latest('e:socar', -1, 10, 3)).toBeNull();
    index.clear();
    expect(index.latest('e:socar', 0, 10, 3)).toBeNull();
  });
});
