import type { Destination } from '../core/alert.js';
import type { Scorer } from '../scoring/index.js';
import type { FeedStore, ItemStore, StoryStore, TimelineEntry, WatchTermStore } from './ports.js';

/** What read-only questions from chat need. */
export interface QueryDeps {
  readonly items: ItemStore;
  readonly feeds: FeedStore;
  readonly watchTerms: WatchTermStore;
  readonly scorer: Scorer;
  /** Stories for /timeline and /digest; without it /timeline lists raw items. */
  readonly stories?: StoryStore;
}

export interface TimelineAnswer {
  readonly entities: readonly { id: string; label: string }[];
  readonly words: readonly string[];
  readonly profile: string | null;
  readonly entries: readonly TimelineEntry[];
  /** True when more entries exist than `limit`. */
  readonly truncated: boolean;
}

/**
 * The story so far for a query: an entity in any alias or script (resolved by the scorer), a
 * profile id, or free words; empty means the destination's own profiles. Oldest first.
 */
export async function timelineFor(
  deps: QueryDeps,
  request: { query: string; since: Date; until: Date; limit: number; destination: Destination | null },
): Promise<TimelineAnswer> {
  const query = request.query.trim();
  const profileIds = new Set(deps.scorer.profiles.map((profile) => profile.id));
  const profile = profileIds.has(query)
    ? query
    : query === '' && request.destination
      ? (request.destination.profiles[0] ?? null)
      : null;
  const resolved = profile || query === '' ? [] : deps.scorer.resolveEntities(query);
  const entities = [...new Map(resolved.map((entity) => [entity.id, { id: entity.id, label: entity.label }])).values()];
  const words = profile || query === '' || entities.length > 0 ? [] : query.toLowerCase().split(/\s+/).filter(Boolean);
  const entries = await deps.items.timeline({
    entityIds: entities.map((entity) => entity.id),
    words,
    profile,
    since: request.since,
    until: request.until,
    limit: request.limit + 1,
  });
  return {
    entities,
    words,
    profile,
    entries: entries.slice(0, request.limit),
    truncated: entries.length > request.limit,
  };
}
