import type { SqliteDatabase } from './database.js';

/**
 * New LSH band rows, written in member order and moved into the band-ordered index in bulk.
 *
 * A banded report writes ten rows keyed by band: ten random places in `story_bands`, so nearly ten
 * more pages for each commit to write (with their inserts, ≈ 16 µs a report at 100,000 stored).
 * Here they go to `story_bands_recent`, keyed by member id (appended: a page or two a poll), and to
 * an in-memory map that answers lookups for them. When it holds `mergeAt` rows, one statement moves
 * them into `story_bands` in band order, inside the poll's transaction: each page of that index is
 * then written once for many rows. A lookup reads both, so near-duplicate matching sees every band.
 *
 * The map is the table's content: filled from it on first use, written through with it, and
 * dropped (to be filled again) when a transaction fails or another connection commits
 * (story-cache.ts), since either may have changed the table behind it.
 */
export interface RecentBands {
  /** Adds the recent rows for `bands` to `hits` (member id → story id). */
  lookup(bands: readonly number[], hits: Map<number, number>): void;
  /** A banded member's rows: to the table and the map. Call inside the write transaction. */
  add(memberId: number, storyId: number, bands: readonly number[]): void;
  /** Moves the recent rows into `story_bands` once there are `mergeAt` of them. Inside the write transaction. */
  mergeIfFull(): void;
  clear(): void;
}

/** Rows held before a merge: ≈ 5,000 banded reports, a few MB of memory. */
export const MERGE_AT = 50_000;

export function createRecentBands(db: SqliteDatabase, mergeAt = MERGE_AT): RecentBands {
  const all = db.prepare<[], { band: number; member_id: number; story_id: number }>('SELECT band, member_id, story_id FROM story_bands_recent');
  const insertRows = new Map<number, ReturnType<SqliteDatabase['prepare']>>();
  // Only rows whose member still exists: INSERT OR IGNORE does not ignore a foreign-key failure, and
  // one orphan (were members ever pruned) would fail every poll's transaction.
  const merge = db.prepare(`
    INSERT OR IGNORE INTO story_bands (band, member_id, story_id)
    SELECT band, member_id, story_id FROM story_bands_recent WHERE member_id IN (SELECT id FROM story_members) ORDER BY band, member_id`);
  const empty = db.prepare('DELETE FROM story_bands_recent');
  let byBand: Map<number, [number, number][]> | null = null;
  let rows = 0;

  const put = (map: Map<number, [number, number][]>, band: number, memberId: number, storyId: number): void => {
    const list = map.get(band);
    if (list) list.push([memberId, storyId]);
    else map.set(band, [[memberId, storyId]]);
  };
  const loaded = (): Map<number, [number, number][]> => {
    if (byBand) return byBand;
    const map = new Map<number, [number, number][]>();
    rows = 0;
    for (const row of all.iterate()) {
      put(map, row.band, row.member_id, row.story_id);
      rows++;
    }
    byBand = map;
    return map;
  };

  return {
    lookup(bands, hits) {
      const map = loaded();
      for (const band of bands) for (const [memberId, storyId] of map.get(band) ?? []) hits.set(memberId, storyId);
    },
    add(memberId, storyId, bands) {
      if (bands.length === 0) return;
      const map = loaded();
      let statement = insertRows.get(bands.length);
      if (!statement) {
        statement = db.prepare(`INSERT OR IGNORE INTO story_bands_recent (member_id, band, story_id) VALUES ${bands.map(() => '(?, ?, ?)').join(', ')}`);
        insertRows.set(bands.length, statement);
      }
      statement.run(bands.flatMap((band) => [memberId, band, storyId]));
      for (const band of bands) put(map, band, memberId, storyId);
      rows += bands.length;
    },
    mergeIfFull() {
      if (rows < mergeAt) return;
      merge.run();
      empty.run();
      byBand = new Map();
      rows = 0;
    },
    clear() {
      byBand = null;
      rows = 0;
    },
  };
}
