import { AppError } from '../../core/errors.js';
import type { FeedCheck } from '../../core/feed.js';
import type { IngestEntry, IngestStore } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { prepareRecordCheck } from './feed-rows.js';
import { foldedItemText, isRelevant, publishedMs } from './item-rows.js';
import { msOf } from './time.js';

/** Keys per lookup: one query per chunk, never one per key, and well under SQLite's limits. */
const KEY_CHUNK = 500;

/**
 * New items in, with their scores, their entity index rows and their outbox rows, in ONE
 * transaction together with the feed's check: after a crash either all of it is there or none,
 * so an item is never stored without its alerts (lost) nor alerted twice (re-stored).
 */
export function createSqliteIngestStore(db: SqliteDatabase): IngestStore {
  const seenKeys = db.prepare<[string, string], string>(
    'SELECT key FROM items WHERE feed_id = ? AND key IN (SELECT value FROM json_each(?))',
  ).pluck();
  const feedExists = db.prepare<[string], number>('SELECT 1 FROM feeds WHERE id = ?').pluck();
  const insertItem = db.prepare(`
    INSERT INTO items (feed_id, key, guid, link, title, summary, published, author, published_at,
                       first_seen_at, folded, scores, best_score)
    VALUES (@feedId, @key, @guid, @link, @title, @summary, @published, @author, @publishedAt,
            @firstSeenAt, @folded, @scores, @bestScore)
    ON CONFLICT (feed_id, key) DO NOTHING`);
  const insertRelevance = db.prepare(`
    INSERT OR IGNORE INTO item_relevance (profile, published_at, item_id, score)
    VALUES (@profile, @publishedAt, @itemId, @score)`);
  const insertEntity = db.prepare(`
    INSERT OR IGNORE INTO item_entities (entity_id, published_at, item_id) VALUES (@entityId, @publishedAt, @itemId)`);
  const insertOutbox = db.prepare(`
    INSERT INTO outbox (destination_id, item_id, profile, score, next_attempt_at, created_at)
    VALUES (@destinationId, @itemId, @profile, @score, @now, @now)
    ON CONFLICT (destination_id, item_id) DO NOTHING`);
  const recordCheck = prepareRecordCheck(db);

  const storeEntry = (feedId: string, entry: IngestEntry, now: number): { stored: boolean; queued: number } => {
    const { item, scores } = entry;
    const publishedAt = publishedMs(item, now);
    const inserted = insertItem.run({
      feedId,
      key: item.key,
      guid: item.guid,
      link: item.link,
      title: item.title,
      summary: item.summary,
      published: item.published,
      author: item.author,
      publishedAt,
      firstSeenAt: now,
      folded: foldedItemText(item),
      scores: JSON.stringify(scores),
      bestScore: scores.length === 0 ? null : Math.max(...scores.map((result) => result.score)),
    });
    // Already stored (a re-run, or a duplicate key within the batch): its alerts were queued then.
    if (inserted.changes === 0) return { stored: false, queued: 0 };
    const itemId = inserted.lastInsertRowid;
    for (const result of scores) {
      if (!isRelevant(result)) continue;
      insertRelevance.run({ profile: result.profile, publishedAt, itemId, score: result.score });
      for (const entityId of result.entities) insertEntity.run({ entityId, publishedAt, itemId });
    }
    let queued = 0;
    for (const alert of entry.alerts) {
      queued += insertOutbox.run({ ...alert, itemId, now }).changes;
    }
    return { stored: true, queued };
  };

  const commit = db.transaction(
    (feedId: string, entries: readonly IngestEntry[], check: FeedCheck, now: number) => {
      if (feedExists.get(feedId) === undefined) {
        throw new AppError('not_found', `no feed with id ${feedId}`, { context: { feedId } });
      }
      let stored = 0;
      let queued = 0;
      for (const entry of entries) {
        const outcome = storeEntry(feedId, entry, now);
        if (outcome.stored) stored++;
        queued += outcome.queued;
      }
      recordCheck(feedId, check);
      return { stored, queued };
    },
  );

  return {
    async unseenKeys(feedId: string, keys: readonly string[]): Promise<Set<string>> {
      const unseen = new Set(keys);
      const distinct = [...unseen];
      guard('look up seen items', () => {
        for (let start = 0; start < distinct.length; start += KEY_CHUNK) {
          const chunk = JSON.stringify(distinct.slice(start, start + KEY_CHUNK));
          for (const key of seenKeys.all(feedId, chunk)) unseen.delete(key);
        }
      });
      return unseen;
    },
    async commit(feedId, entries, check, now): Promise<{ stored: number; queued: number }> {
      const at = msOf(now, 'now');
      return guard('store new items and their alerts', () => commit.immediate(feedId, entries, check, at));
    },
  };
}
