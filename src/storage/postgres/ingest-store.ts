import { AppError } from '../../core/errors.js';
import type { FeedCheck } from '../../core/feed.js';
import type { IngestEntry, IngestStore } from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { recordCheckOn } from './feed-store.js';
import { dateOf, foldedItemText, isRelevant, publishedAt } from './rows.js';

/** The first entry for each key: a key listed twice in one batch is one item (the SQLite rule). */
function firstPerKey(entries: readonly IngestEntry[]): IngestEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => (seen.has(entry.item.key) ? false : (seen.add(entry.item.key), true)));
}

/**
 * New items with their scores, entity index rows and outbox rows, in ONE transaction together with
 * the feed's check, as on SQLite. Each table gets one multi-row statement (unnest of arrays), not
 * one per item: a feed with 50 new items costs the same handful of round trips as one with one.
 * Everything is `ON CONFLICT DO NOTHING`, so running the transaction twice (a retry after a lost
 * COMMIT answer) stores and queues nothing the second time.
 */
export function createPostgresIngestStore(db: PostgresDatabase): IngestStore {
  return {
    async unseenKeys(feedId: string, keys: readonly string[]): Promise<Set<string>> {
      const unseen = new Set(keys);
      if (unseen.size === 0) return unseen;
      const rows = await db.query<{ key: string }>(
        'look up seen items',
        'SELECT key FROM items WHERE feed_id = $1 AND key = ANY($2::text[])',
        [feedId, [...unseen]],
      );
      for (const row of rows) unseen.delete(row.key);
      return unseen;
    },

    async commit(feedId: string, entries: readonly IngestEntry[], check: FeedCheck, now: Date) {
      const at = dateOf(now, 'now');
      const unique = firstPerKey(entries);
      return db.transaction('store new items and their alerts', async (client) => {
        const exists = await client.query('SELECT 1 FROM feeds WHERE id = $1 FOR UPDATE', [feedId]);
        if (exists.rowCount === 0) throw new AppError('not_found', `no feed with id ${feedId}`, { context: { feedId } });
        const inserted = await client.query<{ id: number; key: string }>(
          `INSERT INTO items (feed_id, key, guid, link, title, summary, published, author, published_at,
                              first_seen_at, folded, scores, best_score)
           SELECT $1, key, guid, link, title, summary, published, author, published_at, $2, folded, scores, best_score
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                       $10::timestamptz[], $11::text[], $12::jsonb[], $13::float8[])
             AS s(key, guid, link, title, summary, published, author, published_at, folded, scores, best_score)
           ON CONFLICT (feed_id, key) DO NOTHING
           RETURNING id, key`,
          [
            feedId,
            at,
            unique.map((e) => e.item.key),
            unique.map((e) => e.item.guid),
            unique.map((e) => e.item.link),
            unique.map((e) => e.item.title),
            unique.map((e) => e.item.summary),
            unique.map((e) => e.item.published),
            unique.map((e) => e.item.author),
            unique.map((e) => publishedAt(e.item, at)),
            unique.map((e) => foldedItemText(e.item)),
            unique.map((e) => JSON.stringify(e.scores)),
            unique.map((e) => (e.scores.length === 0 ? null : Math.max(...e.scores.map((result) => result.score)))),
          ],
        );
        // Only the items this transaction created get index and outbox rows: an item already
        // stored had its alerts queued when it was.
        const idByKey = new Map(inserted.rows.map((row) => [row.key, row.id]));
        const relevance: { profile: string; at: Date; id: number; score: number }[] = [];
        const entities: { entity: string; at: Date; id: number }[] = [];
        const alerts: { destination: string; id: number; profile: string; score: number }[] = [];
        for (const entry of unique) {
          const id = idByKey.get(entry.item.key);
          if (id === undefined) continue;
          const when = publishedAt(entry.item, at);
          for (const result of entry.scores.filter(isRelevant)) {
            relevance.push({ profile: result.profile, at: when, id, score: result.score });
            for (const entity of result.entities) entities.push({ entity, at: when, id });
          }
          for (const alert of entry.alerts) alerts.push({ destination: alert.destinationId, id, profile: alert.profile, score: alert.score });
        }
        if (relevance.length > 0) {
          await client.query(
            `INSERT INTO item_relevance (profile, published_at, item_id, score)
             SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::float8[]) ON CONFLICT DO NOTHING`,
            [relevance.map((r) => r.profile), relevance.map((r) => r.at), relevance.map((r) => r.id), relevance.map((r) => r.score)],
          );
        }
        if (entities.length > 0) {
          await client.query(
            `INSERT INTO item_entities (entity_id, published_at, item_id)
             SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) ON CONFLICT DO NOTHING`,
            [entities.map((e) => e.entity), entities.map((e) => e.at), entities.map((e) => e.id)],
          );
        }
        let queued = 0;
        if (alerts.length > 0) {
          const result = await client.query(
            `INSERT INTO outbox (destination_id, item_id, profile, score, next_attempt_at, created_at)
             SELECT destination_id, item_id, profile, score, $5, $5
             FROM unnest($1::text[], $2::bigint[], $3::text[], $4::float8[]) AS s(destination_id, item_id, profile, score)
             ON CONFLICT (destination_id, item_id) DO NOTHING`,
            [alerts.map((a) => a.destination), alerts.map((a) => a.id), alerts.map((a) => a.profile), alerts.map((a) => a.score), at],
          );
          queued = result.rowCount ?? 0;
        }
        await recordCheckOn(client, feedId, check);
        return { stored: inserted.rowCount ?? 0, queued };
      });
    },
  };
}
