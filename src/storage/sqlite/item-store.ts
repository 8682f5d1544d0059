import type { StoredItem } from '../../core/item.js';
import type { ScoreResult } from '../../core/score.js';
import type { ItemStore, TimelineEntry, TimelineQuery } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { foldText, ITEM_COLUMNS, itemFromRow, isRelevant, scoresFromRow, type ItemRow } from './item-rows.js';
import { msOf } from './time.js';

interface TimelineRow extends ItemRow {
  readonly feed_name: string;
  readonly relevant_profile: string;
  readonly relevant_score: number;
}

interface TimelineParams {
  since: number;
  until: number;
  profile?: string;
  matchAll: number;
  entities: string;
  hasEntities: number;
  words: string;
  hasWords: number;
  limit: number;
}

/**
 * The window is cut on item_relevance (only items that alerted for some profile are there), the
 * best profile per item picked with SQLite's max() bare-column rule, and the filter is entity OR
 * words: entities through the item_entities index, words as substrings of the folded text.
 */
function timelineSql(byProfile: boolean): string {
  return `
    SELECT ${ITEM_COLUMNS}, f.name AS feed_name, b.profile AS relevant_profile, b.score AS relevant_score
    FROM (
      SELECT item_id, profile, max(score) AS score, published_at
      FROM item_relevance
      WHERE published_at >= @since AND published_at <= @until ${byProfile ? 'AND profile = @profile' : ''}
      GROUP BY item_id
    ) b
    JOIN items i ON i.id = b.item_id
    JOIN feeds f ON f.id = i.feed_id
    WHERE @matchAll = 1
      OR (@hasEntities = 1 AND i.id IN (
        SELECT item_id FROM item_entities
        WHERE entity_id IN (SELECT value FROM json_each(@entities))
          AND published_at >= @since AND published_at <= @until))
      OR (@hasWords = 1 AND NOT EXISTS (
        SELECT 1 FROM json_each(@words) w WHERE instr(i.folded, w.value) = 0))
    ORDER BY b.published_at, i.id
    LIMIT @limit`;
}

/** The entities that made the item relevant: for the asked profile, or for any profile. */
function relevantEntities(scores: readonly ScoreResult[], profile: string | null): string[] {
  const entities = new Set<string>();
  for (const result of scores) {
    if (!isRelevant(result) || (profile !== null && result.profile !== profile)) continue;
    for (const entity of result.entities) entities.add(entity);
  }
  return [...entities];
}

export function createSqliteItemStore(db: SqliteDatabase): ItemStore {
  const anyProfile = db.prepare<TimelineParams, TimelineRow>(timelineSql(false));
  const oneProfile = db.prepare<TimelineParams, TimelineRow>(timelineSql(true));
  const byLink = db.prepare<[string], ItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM items i WHERE i.link = ? ORDER BY i.first_seen_at DESC, i.id DESC LIMIT 1`,
  );

  return {
    async timeline(query: TimelineQuery): Promise<TimelineEntry[]> {
      const limit = Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      const words = [...new Set(query.words.map((word) => foldText(word.trim())).filter((word) => word !== ''))];
      const entities = [...new Set(query.entityIds)];
      const params: TimelineParams = {
        since: msOf(query.since, 'since'),
        until: msOf(query.until, 'until'),
        matchAll: entities.length === 0 && words.length === 0 ? 1 : 0,
        entities: JSON.stringify(entities),
        hasEntities: entities.length > 0 ? 1 : 0,
        words: JSON.stringify(words),
        hasWords: words.length > 0 ? 1 : 0,
        limit,
      };
      const rows = guard('read the timeline', () =>
        query.profile === null ? anyProfile.all(params) : oneProfile.all({ ...params, profile: query.profile }),
      );
      return rows.map((row) => ({
        item: itemFromRow(row),
        feedName: row.feed_name,
        score: row.relevant_score,
        profile: row.relevant_profile,
        entities: relevantEntities(scoresFromRow(row), query.profile),
      }));
    },
    async findByLink(link: string): Promise<{ item: StoredItem; scores: ScoreResult[] } | null> {
      const row = guard('find an item by link', () => byLink.get(link));
      return row ? { item: itemFromRow(row), scores: scoresFromRow(row) } : null;
    },
  };
}
