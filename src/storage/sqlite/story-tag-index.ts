/**
 * Recent stories per tag ('e:' entity, 'p:' profile), held in memory for the assignment path: the
 * two or three "stories of this entity near this time" reads per report were its largest SQLite
 * cost (≈ 16 µs a report). A tag is held from a horizon on, complete: every story with that tag
 * that started at or after the horizon is in it, because the store writes its tags through here
 * in the same transaction. A range that starts before the horizon, or a tag never read, is not
 * answered (null) and the caller reads the table. The story cache drops the whole index when
 * another connection committed (see story-cache.ts), or when a transaction failed.
 */
export interface TagIndex {
  /**
   * Up to `limit` ids of the stories tagged `tag` that started in [from, to], latest first (ties:
   * higher id first, as the (tag, first_at) index orders them), or null when not held.
   */
  latest(tag: string, from: number, to: number, limit: number): number[] | null;
  /** Holds `tag` from `horizon` on: `rows` must be every story with that tag started at or after it. */
  hold(tag: string, horizon: number, rows: readonly { readonly story_id: number; readonly first_at: number }[]): void;
  /** A story got this tag, with this start: written to the table in the same transaction. */
  add(tag: string, storyId: number, firstAt: number): void;
  /** A story's start moved earlier (a report older than its first): its tags move with it. */
  move(storyId: number, tags: readonly string[], firstAt: number): void;
  clear(): void;
}

/** A tag with more recent stories than this is read from the table each time (not held). */
const MAX_HELD_PER_TAG = 20_000;
/** How far behind the oldest range asked for a held tag keeps its stories before trimming them. */
const TRIM_SLACK_MS = 2 * 86_400_000;

interface HeldTag {
  horizon: number;
  /** Sorted by (first_at, id) ascending; parallel arrays. */
  starts: number[];
  ids: number[];
}

/** First position whose (start, id) is greater than (start, id). */
function upperBound(held: HeldTag, start: number, id: number): number {
  let low = 0;
  let high = held.starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const at = held.starts[middle] ?? 0;
    if (at < start || (at === start && (held.ids[middle] ?? 0) <= id)) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insert(held: HeldTag, storyId: number, firstAt: number): void {
  if (firstAt < held.horizon) return;
  const position = upperBound(held, firstAt, storyId);
  if (held.starts[position - 1] === firstAt && held.ids[position - 1] === storyId) return;
  held.starts.splice(position, 0, firstAt);
  held.ids.splice(position, 0, storyId);
}

function remove(held: HeldTag, storyId: number): void {
  const position = held.ids.lastIndexOf(storyId);
  if (position < 0) return;
  held.starts.splice(position, 1);
  held.ids.splice(position, 1);
}

/** Drops stories far older than any range asked for lately, so a held tag does not grow forever. */
function trim(held: HeldTag, from: number): void {
  const cut = from - TRIM_SLACK_MS;
  if (cut - held.horizon < TRIM_SLACK_MS) return;
  const position = upperBound(held, cut, -Infinity);
  held.starts.splice(0, position);
  held.ids.splice(0, position);
  held.horizon = cut;
}

export function createTagIndex(): TagIndex {
  const tags = new Map<string, HeldTag>();
  return {
    latest(tag, from, to, limit) {
      const held = tags.get(tag);
      if (!held || from < held.horizon) return null;
      trim(held, from);
      const found: number[] = [];
      for (let position = upperBound(held, to, Infinity) - 1; position >= 0 && found.length < limit; position--) {
        if ((held.starts[position] ?? 0) < from) break;
        found.push(held.ids[position] ?? 0);
      }
      return found;
    },
    hold(tag, horizon, rows) {
      if (rows.length > MAX_HELD_PER_TAG) {
        tags.delete(tag);
        return;
      }
      const sorted = [...rows].sort((a, b) => a.first_at - b.first_at || a.story_id - b.story_id);
      tags.set(tag, { horizon, starts: sorted.map((row) => row.first_at), ids: sorted.map((row) => row.story_id) });
    },
    add(tag, storyId, firstAt) {
      const held = tags.get(tag);
      if (!held) return;
      insert(held, storyId, firstAt);
      if (held.ids.length > MAX_HELD_PER_TAG) tags.delete(tag);
    },
    move(storyId, storyTags, firstAt) {
      for (const tag of storyTags) {
        const held = tags.get(tag);
        if (!held) continue;
        remove(held, storyId);
        insert(held, storyId, firstAt);
      }
    },
    clear() {
      tags.clear();
    },
  };
}
