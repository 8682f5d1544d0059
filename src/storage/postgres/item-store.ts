import type { StoredItem } from '../../core/item.js';
import type { ScoreResult } from '../../core/score.js';
import type { ItemStore, TimelineEntry, TimelineQuery } from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { dateOf, foldText, ITEM_COLUMNS, itemFromRow, isRelevant, scoresFromRow, type ItemRow } from './rows.js';

interface TimelineRow extends ItemRow {
  readonly feed_name: string;
  readonly relevant_profile: string;
  readonly relevant_score: number;
}

/**
 * The window is cut on item_relevance (only items relevant for some profile are there), the best
 * profile per item picked with DISTINCT ON, and the filter is entity OR words: entities through the
 * item_entities index, words as substrings of the folded text (folded in JS, as on SQLite).
 */
const TIMELINE_SQL = `
  SELECT ${ITEM_COLUMNS}, f.name AS feed_name, b.profile AS relevant_profile, b.score AS relevant_score
  FROM (
    SELECT DISTINCT ON (item_id) item_id, profile, score, published_at
    FROM item_relevance
    WHERE published_at >= $1 AND published_at <= $2 AND ($3::text IS NULL OR profile = $3)
    ORDER BY item_id, score DESC, profile
  ) b
  JOIN items i ON i.id = b.item_id
  JOIN feeds f ON f.id = i.feed_id
  WHERE $4::boolean
    OR (cardinality($5::text[]) > 0 AND i.id IN (
      SELECT item_id FROM item_entities
      WHERE entity_id = ANY($5::text[]) AND published_at >= $1 AND published_at <= $2))
    OR (cardinality($6::text[]) > 0 AND NOT EXISTS (
      SELECT 1 FROM unnest($6::text[]) AS w(word) WHERE strpos(i.folded, w.word) = 0))
  ORDER BY b.published_at, i.id
  LIMIT $7`;

/** The entities that made the item relevant: for the asked profile, or for any profile. */
function relevantEntities(scores: readonly ScoreResult[], profile: string | null): string[] {
  const entities = new Set<string>();
  for (const result of scores) {
    if (!isRelevant(result) || (profile !== null && result.profile !== profile)) continue;
    for (const entity of result.entities) entities.add(entity);
  }
  return [...entities];
}

export function createPostgresItemStore(db: PostgresDatabase): ItemStore {
  return {
    async timeline(query: TimelineQuery): Promise<TimelineEntry[]> {
      const limit = Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      const words = [...new Set(query.words.map((word) => foldText(word.trim())).filter((word) => word !== ''))];
      const entities = [...new Set(query.entityIds)];
      const rows = await db.query<TimelineRow>('read the timeline', TIMELINE_SQL, [
        dateOf(query.since, 'since'),
        dateOf(query.until, 'until'),
        query.profile,
        entities.length === 0 && words.length === 0,
        entities,
        words,
        limit,
      ]);
      return rows.map((row) => ({
        item: itemFromRow(row),
        feedName: row.feed_name,
        score: row.relevant_score,
        profile: row.relevant_profile,
        entities: relevantEntities(scoresFromRow(row), query.profile),
      }));
    },
    async findByLink(link: string): Promise<{ item: StoredItem; scores: ScoreResult[] } | null> {
      const [row] = await db.query<ItemRow>(
        'find an item by link',
        `SELECT ${ITEM_COLUMNS} FROM items i WHERE i.link = $1 ORDER BY i.first_seen_at DESC, i.id DESC LIMIT 1`,
        [link],
      );
      return row ? { item: itemFromRow(row), scores: scoresFromRow(row) } : null;
    },
  };
}
