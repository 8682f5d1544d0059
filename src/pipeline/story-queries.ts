import type { Destination } from '../core/alert.js';
import type { Scorer } from '../scoring/index.js';
import { isFunctionWord, nearestEntity } from '../stories/index.js';
import type { StorySnapshot, StoryStore } from './ports.js';

export interface StoryTimelineRequest {
  readonly query: string;
  readonly since: Date;
  readonly until: Date;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
  readonly destination: Destination | null;
  /** Collect every matching story's first time (for the per-day chart); costs a wider read. */
  readonly chart?: boolean;
}

export interface StoryLine {
  readonly story: StorySnapshot;
  /** Not about the query itself but tied to its stories by shared key entities (`via`). */
  readonly related: boolean;
  readonly via: readonly string[];
}

export interface StoryTimelineAnswer {
  readonly entities: readonly { id: string; label: string }[];
  readonly words: readonly string[];
  readonly profile: string | null;
  readonly lines: readonly StoryLine[];
  readonly total: number;
  /** More than `total` stories match (counting stopped there): `pages` is then a floor too. */
  readonly atLeast: boolean;
  readonly page: number;
  readonly pages: number;
  /** With `chart`: every matching story's first time (at most 2,000), for the per-day chart; else the page's. */
  readonly firstTimes: readonly string[];
  /** When nothing matched: the entity closest to what was typed. */
  readonly suggestion: { id: string; label: string } | null;
}

/** Up to this many direct matches, the timeline also brings in closely related stories. */
const EXPAND_UP_TO = 60;
const MAX_RELATED = 5;
/** Past this many matching stories (or the asked page's end) the answer says "1,000+" instead of counting them all. */
const COUNT_UP_TO = 1_000;

/** Entity labels and the broad ones (a profile's side names, e.g. countries) from the loaded profiles. */
export function entityDirectory(scorer: Scorer): { labels: Map<string, string>; broad: Set<string>; all: { id: string; label: string; names: string[] }[] } {
  const all = scorer.profiles.flatMap((profile) => profile.entities);
  return {
    labels: new Map(all.map((entity) => [entity.id, entity.label])),
    broad: new Set(all.filter((entity) => entity.side !== null && entity.id === entity.side).map((entity) => entity.id)),
    all: all.map((entity) => ({ id: entity.id, label: entity.label, names: entity.aliases.map((alias) => alias.text) })),
  };
}

function resolveQuery(scorer: Scorer, query: string, destination: Destination | null): { profile: string | null; entities: { id: string; label: string }[]; words: string[] } {
  const profileIds = new Set(scorer.profiles.map((profile) => profile.id));
  const profile = profileIds.has(query) ? query : query === '' && destination ? (destination.profiles[0] ?? null) : null;
  const resolved = profile || query === '' ? [] : scorer.resolveEntities(query);
  const entities = [...new Map(resolved.map((entity) => [entity.id, { id: entity.id, label: entity.label }])).values()];
  const typed = profile || query === '' || entities.length > 0 ? [] : query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  // "the drone strikes" searches "drone" and "strikes": a function word matches half the titles
  // (and costs a walk of the whole index); only a query of nothing else keeps them.
  const meaningful = typed.filter((word) => !isFunctionWord(word));
  const words = meaningful.length > 0 ? meaningful : typed;
  return { profile, entities, words };
}

/**
 * Key entities that recur across the direct matches (in two stories or more), beside the query's
 * own: for "socar" these are Trans-Balkan and Odesa, which bring in the Orlovka strike.
 */
function recurringEntities(stories: readonly StorySnapshot[], exclude: ReadonlySet<string>): string[] {
  const counts = new Map<string, number>();
  for (const story of stories) for (const id of story.entities) if (!exclude.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts.entries()].filter(([, count]) => count >= 2).map(([id]) => id);
}

/**
 * The story so far for a query (an entity in any alias or script, a profile, or free words; empty =
 * the destination's profile): stories in order of their first report, one page at a time.
 */
export async function storyTimelineFor(deps: { scorer: Scorer; stories: StoryStore }, request: StoryTimelineRequest): Promise<StoryTimelineAnswer> {
  const { profile, entities, words } = resolveQuery(deps.scorer, request.query.trim(), request.destination);
  const directory = entityDirectory(deps.scorer);
  const base = { since: request.since, until: request.until, words, profiles: profile ? [profile] : [], entityIds: entities.map((entity) => entity.id) };
  const pageSize = Math.max(1, request.pageSize);
  const page = Math.max(1, Math.floor(request.page));
  const offset = (page - 1) * pageSize;
  // Never below the page's end, so a page that exists is never counted as past the end.
  const countUpTo = Math.max(COUNT_UP_TO, offset + pageSize);
  // The probe's total is the answer's when its stories hold the page; else it only has to tell "more than EXPAND_UP_TO".
  const probe = await deps.stories.timeline({ ...base, offset: 0, limit: EXPAND_UP_TO, countUpTo: offset + pageSize <= EXPAND_UP_TO ? countUpTo : EXPAND_UP_TO });

  let lines: StoryLine[];
  let total: number;
  let atLeast = false;
  let firstTimes: string[];
  if (probe.total <= EXPAND_UP_TO && !probe.atLeast) {
    const direct = probe.stories.map((story) => ({ story, related: false, via: [] as string[] }));
    const recurring = entities.length > 0 ? recurringEntities(probe.stories, new Set([...base.entityIds, ...directory.broad])) : [];
    const seen = new Set(probe.stories.map((story) => story.id));
    const related = recurring.length === 0
      ? []
      : (await deps.stories.timeline({ ...base, entityIds: recurring, offset: 0, limit: EXPAND_UP_TO, countUpTo: EXPAND_UP_TO })).stories
          .filter((story) => !seen.has(story.id))
          .sort((a, b) => b.bestScore * b.sourceCount - a.bestScore * a.sourceCount)
          .slice(0, MAX_RELATED)
          .map((story) => ({ story, related: true, via: story.entities.filter((id) => recurring.includes(id)).map((id) => directory.labels.get(id) ?? id) }));
    const all = [...direct, ...related].sort((a, b) => a.story.firstAt.localeCompare(b.story.firstAt) || a.story.id - b.story.id);
    total = all.length;
    lines = all.slice((page - 1) * pageSize, page * pageSize);
    firstTimes = all.map((line) => line.story.firstAt);
  } else {
    const result = offset + pageSize <= probe.stories.length ? { ...probe, stories: probe.stories.slice(offset, offset + pageSize) } : await deps.stories.timeline({ ...base, offset, limit: pageSize, countUpTo });
    total = result.total;
    atLeast = result.atLeast;
    lines = result.stories.map((story) => ({ story, related: false, via: [] }));
    firstTimes = request.chart
      ? (await deps.stories.timeline({ ...base, offset: 0, limit: 2_000, countUpTo })).stories.map((story) => story.firstAt)
      : lines.map((line) => line.story.firstAt);
  }
  const suggestion = total === 0 && request.query.trim() !== '' ? nearestEntity(request.query, directory.all.filter((entity) => !entities.some((found) => found.id === entity.id))) : null;
  return { entities, words, profile, lines, total, atLeast, page, pages: Math.max(1, Math.ceil(total / pageSize)), firstTimes, suggestion };
}
