import type { StorySnapshot } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { strings, type StoryRow } from './story-rows.js';
import { createKeyFilter, type KeyFilter } from './story-key-filter.js';
import { createRecentBands, type RecentBands } from './story-recent-bands.js';
import { createTagIndex, type TagIndex } from './story-tag-index.js';
import { isoOf } from './time.js';

/** A story row as the assignment path reads it, its JSON lists parsed once. */
export interface CachedStory {
  readonly row: StoryRow;
  readonly entities: readonly string[];
  readonly terms: readonly string[];
  readonly profiles: readonly string[];
  readonly feeds: readonly string[];
  readonly snapshot: StorySnapshot;
}

export interface StoryCache {
  /**
   * Call inside the write transaction, before any read: if another connection (another process)
   * committed since this one last looked, every cached story may be stale and is dropped.
   */
  validate(): void;
  /** Forget everything (a transaction rolled back, or ran nested in a caller's transaction). */
  reset(): void;
  story(id: number): CachedStory | undefined;
  keep(story: CachedStory): void;
  signature(memberId: number): string | undefined;
  keepSignature(memberId: number, signature: string): void;
  /** Recent stories per entity/profile tag: dropped with the stories. */
  readonly tags: TagIndex;
  /** The band keys stored: emptied only when another connection committed (a rollback leaves harmless extra bits). */
  readonly bands: KeyFilter;
  /** The exact-identity keys stored (story-key-filter.ts keyNumber), kept like `bands`: most reports are new links. */
  readonly keys: KeyFilter;
  /** Band rows not yet moved into story_bands, in memory: dropped on any rollback or foreign commit. */
  readonly recentBands: RecentBands;
  /** Whether the story is known to have alerted the destination (an alert row exists). */
  alerted(destinationId: string, storyId: number): boolean;
  keepAlerted(destinationId: string, storyId: number): void;
}

type Lists = Pick<CachedStory, 'entities' | 'terms' | 'profiles' | 'feeds'>;

/** A story from its row and its lists already parsed (a row this process just wrote). */
export function cachedFrom(row: StoryRow, lists: Lists): CachedStory {
  const snapshot: StorySnapshot = {
    id: row.id,
    firstAt: isoOf(row.first_at),
    lastAt: isoOf(row.last_at),
    headline: row.headline,
    link: row.link,
    bestScore: row.best_score,
    itemCount: row.item_count,
    sourceCount: row.source_count,
    entities: lists.entities,
    terms: lists.terms,
    profiles: lists.profiles,
    undated: row.undated === 1,
  };
  return { row, ...lists, snapshot };
}

/** Parses a story row read with its `feeds` column. */
export function cachedStory(row: StoryRow & { readonly feeds: string }): CachedStory {
  return cachedFrom(row, { entities: strings(row.entities), terms: strings(row.terms), profiles: strings(row.profiles), feeds: strings(row.feeds) });
}

/**
 * Insertion-ordered map trimmed from its oldest end. A write moves its key to the young end; a read
 * does not (moving on every read was 2–3 % of the assignment path): the stories a poll touches are
 * written back through `keep`, so what is trimmed is what no recent report changed.
 */
function bounded<K, V>(capacity: number): { get(key: K): V | undefined; set(key: K, value: V): void; clear(): void } {
  const map = new Map<K, V>();
  return {
    get: (key) => map.get(key),
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > capacity) {
        const oldest = map.keys().next();
        if (!oldest.done) map.delete(oldest.value);
      }
    },
    clear() {
      map.clear();
    },
  };
}

/**
 * The assignment path's in-process cache: the stories recent reports touched (rows and parsed
 * lists: reading and parsing ~15 candidate rows per report was most of its cost) and member
 * signatures (immutable once written). It is correct with several processes on one file because
 * `validate` runs under the write lock and compares SQLite's `PRAGMA data_version`, which changes
 * exactly when another connection has committed; this connection's own writes go through the cache
 * (the tag index too: story-tag-index.ts).
 */
export function createStoryCache(db: SqliteDatabase, options: { capacity?: number; bandMergeAt?: number } = {}): StoryCache {
  const capacity = options.capacity ?? 20_000;
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const stories = bounded<number, CachedStory>(capacity);
  const signatures = bounded<number, string>(capacity * 2);
  const tags = createTagIndex();
  const bands = createKeyFilter();
  const keys = createKeyFilter();
  const recentBands = createRecentBands(db, options.bandMergeAt);
  // Alert rows are never deleted while a story lives, so knowing one exists stays true; bounded all the same.
  const alerted = bounded<string, true>(capacity);
  let seen: number | null = null;
  let bandsSeen: number | null = null;
  return {
    validate() {
      const version = dataVersion.get() ?? null;
      if (version !== seen) {
        stories.clear();
        tags.clear();
        alerted.clear();
        recentBands.clear();
        seen = version;
      }
      // Kept apart from `seen`: a reset (rollback) forgets `seen` but the band filter stays
      // complete; only another connection's commit makes it incomplete.
      if (version !== bandsSeen) {
        if (bandsSeen !== null) {
          bands.clear();
          keys.clear();
        }
        bandsSeen = version;
      }
    },
    reset() {
      stories.clear();
      signatures.clear();
      tags.clear();
      alerted.clear();
      recentBands.clear();
      seen = null;
    },
    tags,
    bands,
    keys,
    recentBands,
    alerted: (destinationId, storyId) => alerted.get(`${storyId}:${destinationId}`) === true,
    keepAlerted: (destinationId, storyId) => alerted.set(`${storyId}:${destinationId}`, true),
    story: (id) => stories.get(id),
    keep: (story) => stories.set(story.row.id, story),
    signature: (memberId) => signatures.get(memberId),
    keepSignature: (memberId, signature) => signatures.set(memberId, signature),
  };
}
