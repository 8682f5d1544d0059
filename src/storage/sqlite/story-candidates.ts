import type { StoryCandidate, StoryProbe } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { keyNumber } from './story-key-filter.js';
import { cachedStory, type CachedStory, type StoryCache } from './story-cache.js';
import { STORY_COLUMNS, type StoryRow } from './story-rows.js';
import { msOf } from './time.js';

/** Entity candidates are stories that started at most this long before the window (tags keep the start only). */
const MAX_SPAN_MS = 3 * 86_400_000;
/** Band keys per lookup statement: a report has 10 (stories/minhash.ts BANDS). */
const BAND_CHUNK = 10;
const HOLD_SLACK_MS = 86_400_000;

type Row = StoryRow & { readonly feeds: string };

export interface CandidateReads {
  /** Stories by id: the cached ones as they are, the rest in one read (and cached). */
  storiesFor(ids: readonly number[]): Map<number, CachedStory>;
  candidates(probe: StoryProbe): { list: StoryCandidate[]; stories: Map<number, CachedStory> };
}

/**
 * Where a new report may belong (StoryStore.candidates): exact keys, shared LSH bands, and stories
 * of its key entities in the window. Story rows and signatures come from the cache when it has them.
 */
export function createCandidateReads(
  db: SqliteDatabase,
  cache: StoryCache,
  /** Stories changed in the open transaction, not yet written back (the store's own): they win over cache and table. */
  unwritten: (id: number) => CachedStory | undefined = () => undefined,
): CandidateReads {
  // Candidates are read without the folded search text (up to 4 KB each): the hot path never needs it.
  const columns = `${STORY_COLUMNS.replace(', s.folded', ", '' AS folded")}, s.feeds`;
  const exactStory = db.prepare<[string], number>('SELECT story_id FROM story_keys WHERE key = ?').pluck();
  // Off the (band, member_id) primary key alone; signatures come from the cache, else one read.
  // A fixed list of placeholders in chunks (-1 is no band: keys are ≥ 0), joined as a VALUES table:
  // half the time of the same list as IN (…), and json_each cost ~10 µs a call.
  const bandMembers = db.prepare<number[], { member_id: number; story_id: number }>(
    `SELECT b.member_id, b.story_id FROM (VALUES ${Array.from({ length: BAND_CHUNK }, () => '(?)').join(', ')}) AS probe CROSS JOIN story_bands b ON b.band = probe.column1`,
  );
  const allKeys = db.prepare<[], string>('SELECT key FROM story_keys').pluck();
  const storedKeys = function* (): Generator<number> {
    for (const key of allKeys.iterate()) yield keyNumber(key);
  };
  const allBands = db.prepare<[], number>('SELECT band FROM story_bands UNION ALL SELECT band FROM story_bands_recent').pluck();
  const signaturesOf = db.prepare<[string], { id: number; signature: string }>('SELECT id, signature FROM story_members WHERE id IN (SELECT value FROM json_each(?))');
  // Per entity, the latest stories that started in range: an index-ordered scan that stops at `limit`.
  const entityStories = db.prepare<{ tag: string; from: number; to: number; limit: number }, number>(`
    SELECT story_id FROM story_tags WHERE tag = @tag AND first_at >= @from AND first_at <= @to
    ORDER BY first_at DESC LIMIT @limit`).pluck();
  // Everything a tag holds from a horizon on, to keep in the tag index (story-tag-index.ts).
  const tagSince = db.prepare<[string, number], { story_id: number; first_at: number }>('SELECT story_id, first_at FROM story_tags WHERE tag = ? AND first_at >= ?');
  const storiesById = db.prepare<[string], Row>(`SELECT ${columns} FROM stories s WHERE s.id IN (SELECT value FROM json_each(?))`);

  const storiesFor = (ids: readonly number[]): Map<number, CachedStory> => {
    const found = new Map<number, CachedStory>();
    const missing: number[] = [];
    for (const id of ids) {
      const story = unwritten(id) ?? cache.story(id);
      if (story) found.set(id, story);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const row of storiesById.all(JSON.stringify(missing))) {
        const story = cachedStory(row);
        cache.keep(story);
        found.set(row.id, story);
      }
    }
    return found;
  };

  /** Stories with `tag` that started in [from, to], latest first: from the tag index, held on first use. */
  const latestTagged = (tag: string, from: number, to: number, limit: number): number[] => {
    const held = cache.tags.latest(tag, from, to, limit);
    if (held) return held;
    // A day of slack: reports a little older than this one reuse what is held.
    const horizon = from - HOLD_SLACK_MS;
    cache.tags.hold(tag, horizon, tagSince.all(tag, horizon));
    return cache.tags.latest(tag, from, to, limit) ?? entityStories.all({ tag, from, to, limit });
  };

  /** Up to `limit` stories sharing a band, with at most 3 signatures each, oldest members first. */
  const nearMatches = (bands: readonly number[], limit: number): Map<number, string[]> => {
    const hits = new Map<number, number>();
    // Only keys the store may hold are looked up (story-key-filter.ts): most match nothing.
    const stored = bands.filter((band) => cache.bands.mayHave(band, () => allBands.iterate()));
    for (let start = 0; start < stored.length; start += BAND_CHUNK) {
      const chunk = Array.from({ length: BAND_CHUNK }, (_, offset) => stored[start + offset] ?? -1);
      for (const row of bandMembers.all(...chunk)) hits.set(row.member_id, row.story_id);
    }
    cache.recentBands.lookup(stored, hits);
    const members = [...hits.keys()].sort((a, b) => a - b).slice(0, limit * 4);
    const missing = members.filter((id) => cache.signature(id) === undefined);
    if (missing.length > 0) for (const row of signaturesOf.all(JSON.stringify(missing))) cache.keepSignature(row.id, row.signature);
    const near = new Map<number, string[]>();
    for (const memberId of members) {
      const storyId = hits.get(memberId) ?? 0;
      const signature = cache.signature(memberId);
      const signatures = near.get(storyId) ?? [];
      // A few reports per story are enough to recognise a re-publication; cap the stories too.
      if (signature !== undefined && signatures.length < 3 && (signatures.length > 0 || near.size < limit)) near.set(storyId, [...signatures, signature]);
    }
    return near;
  };

  const candidatesSync = (probe: StoryProbe): { list: StoryCandidate[]; stories: Map<number, CachedStory> } => {
    const limit = probe.limit ?? 10;
    const at = msOf(probe.at, 'at');
    const window = probe.windowSeconds * 1000;
    const exact = new Set<number>();
    for (const key of probe.exactKeys) {
      // A key never stored needs no lookup (story-key-filter.ts): the common case, a new link.
      if (!cache.keys.mayHave(keyNumber(key), storedKeys)) continue;
      const storyId = exactStory.get(key);
      if (storyId !== undefined) exact.add(storyId);
    }
    // The same article by identity decides alone (a duplicate): the other lookups could not change that.
    const near = probe.bands.length > 0 && exact.size === 0 ? nearMatches(probe.bands, limit) : new Map<number, string[]>();
    const tags = exact.size === 0 ? probe.entities.slice(0, 6) : [];
    const perTag = Math.max(3, Math.ceil(limit / Math.max(1, tags.length)));
    const nearby = tags.flatMap((id) => latestTagged(`e:${id}`, at - window - MAX_SPAN_MS, at + window, perTag));
    const stories = storiesFor([...new Set([...exact, ...near.keys(), ...nearby])]);
    // By id, as the store always listed them: the matcher breaks ties by this order.
    const list = [...stories.values()].sort((a, b) => a.row.id - b.row.id).map((story) => ({ story: story.snapshot, exact: exact.has(story.row.id), nearSignatures: near.get(story.row.id) ?? [] }));
    return { list, stories };
  };

  return { storiesFor, candidates: candidatesSync };
}
