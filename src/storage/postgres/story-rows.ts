import type pg from 'pg';
import type { StoryMember, StoryRelation, StorySnapshot } from '../../pipeline/ports.js';

/**
 * Story row shapes and conversions on Postgres: times are timestamptz (Dates here), lists are
 * text[] (string arrays here). The SQLite store has its own (storage/sqlite/story-rows.ts); the
 * shared contract suite checks that both give the same snapshots.
 */

export interface StoryRow {
  readonly id: number;
  readonly first_at: Date;
  readonly last_at: Date;
  readonly headline: string;
  readonly link: string | null;
  readonly best_score: number;
  readonly item_count: number;
  readonly source_count: number;
  readonly entities: string[];
  readonly terms: string[];
  readonly profiles: string[];
  readonly feeds: string[];
  readonly undated: boolean;
}

export interface MemberRow {
  readonly id: number;
  readonly story_id: number;
  readonly feed_id: string;
  readonly feed_name: string;
  readonly title: string;
  readonly link: string | null;
  readonly snippet: string;
  readonly published_at: Date;
  readonly dated: boolean;
  readonly score: number;
  readonly relation: StoryRelation;
}

/** Never the folded search text (up to 4 KB a story): only word search reads it, in SQL. */
export const STORY_COLUMNS =
  's.id, s.first_at, s.last_at, s.headline, s.link, s.best_score, s.item_count, s.source_count, s.entities, s.terms, s.profiles, s.feeds, s.undated';
export const MEMBER_COLUMNS =
  'm.id, m.story_id, m.feed_id, m.feed_name, m.title, m.link, m.snippet, m.published_at, m.dated, m.score, m.relation';

/** One statement on whatever runs it: the pool (reads) or a transaction's client (assignment). */
export type Run = <Row extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<Row[]>;

export function runOn(client: pg.PoolClient): Run {
  return async <Row extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await client.query<Row>(text, values)).rows;
}

export function storyFromRow(row: StoryRow): StorySnapshot {
  return {
    id: row.id,
    firstAt: row.first_at.toISOString(),
    lastAt: row.last_at.toISOString(),
    headline: row.headline,
    link: row.link,
    bestScore: row.best_score,
    itemCount: row.item_count,
    sourceCount: row.source_count,
    entities: row.entities,
    terms: row.terms,
    profiles: row.profiles,
    undated: row.undated,
  };
}

export function memberFromRow(row: MemberRow): StoryMember {
  return {
    id: row.id,
    storyId: row.story_id,
    feedId: row.feed_id,
    feedName: row.feed_name,
    title: row.title,
    link: row.link,
    snippet: row.snippet,
    publishedAt: row.published_at.toISOString(),
    dated: row.dated,
    score: row.score,
    relation: row.relation,
  };
}

/** Union keeping the older values first, capped: a story's entity and term lists never grow without bound. */
export function unionCapped(existing: readonly string[], added: readonly string[], cap: number): string[] {
  return [...new Set([...existing, ...added])].slice(0, cap);
}
