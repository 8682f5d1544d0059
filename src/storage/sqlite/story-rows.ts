import type { StoryMember, StoryRelation, StorySnapshot } from '../../pipeline/ports.js';
import { isoOf } from './time.js';

export interface StoryRow {
  readonly id: number;
  readonly first_at: number;
  readonly last_at: number;
  readonly headline: string;
  readonly link: string | null;
  readonly best_score: number;
  readonly item_count: number;
  readonly source_count: number;
  readonly entities: string;
  readonly terms: string;
  readonly profiles: string;
  readonly undated: number;
  readonly folded: string;
}

export interface MemberRow {
  readonly id: number;
  readonly story_id: number;
  readonly feed_id: string;
  readonly feed_name: string;
  readonly title: string;
  readonly link: string | null;
  readonly snippet: string;
  readonly published_at: number;
  readonly dated: number;
  readonly score: number;
  readonly relation: StoryRelation;
}

export const STORY_COLUMNS =
  's.id, s.first_at, s.last_at, s.headline, s.link, s.best_score, s.item_count, s.source_count, s.entities, s.terms, s.profiles, s.undated, s.folded';
export const MEMBER_COLUMNS =
  'm.id, m.story_id, m.feed_id, m.feed_name, m.title, m.link, m.snippet, m.published_at, m.dated, m.score, m.relation';

export function strings(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((value): value is string => typeof value === 'string') : [];
}

export function storyFromRow(row: StoryRow): StorySnapshot {
  return {
    id: row.id,
    firstAt: isoOf(row.first_at),
    lastAt: isoOf(row.last_at),
    headline: row.headline,
    link: row.link,
    bestScore: row.best_score,
    itemCount: row.item_count,
    sourceCount: row.source_count,
    entities: strings(row.entities),
    terms: strings(row.terms),
    profiles: strings(row.profiles),
    undated: row.undated === 1,
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
    publishedAt: isoOf(row.published_at),
    dated: row.dated === 1,
    score: row.score,
    relation: row.relation,
  };
}

/** Union keeping the older values first, capped: a story's entity and term lists never grow without bound. */
export function unionCapped(existing: readonly string[], added: readonly string[], cap: number): readonly string[] {
  // Most joins add nothing new (or the list is full): keep the list as it is, no copy.
  if (existing.length >= cap || added.every((value) => existing.includes(value))) return existing.length > cap ? existing.slice(0, cap) : existing;
  return [...new Set([...existing, ...added])].slice(0, cap);
}

/** Lowercased headline and titles: word search is a substring test on this. */
export function foldStoryText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
