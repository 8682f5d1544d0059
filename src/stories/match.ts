import { decodeSignature, similarity } from './minhash.js';

/** A story as the matcher sees it (times in epoch ms). */
export interface MatchStory {
  readonly id: number;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly headline: string;
  readonly entities: readonly string[];
  readonly terms: readonly string[];
  readonly itemCount: number;
  readonly exact: boolean;
  readonly nearSignatures: readonly string[];
}

export interface MatchReport {
  readonly atMs: number;
  readonly signature: readonly number[];
  readonly entities: readonly string[];
  readonly terms: readonly string[];
}

export interface MatchOptions {
  /** A report joins a story active within this window of its time (default 48 h). */
  readonly windowMs: number;
  /** Entities too broad to make two reports one event on their own (a country the profile is about). */
  readonly broad: ReadonlySet<string>;
  /** Estimated Jaccard at or above which two reports are the same article, edited (default 0.5). */
  readonly nearDuplicate: number;
  /** A story with this many reports takes no more joins; duplicates still fold into it. */
  readonly maxItems: number;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  windowMs: 48 * 3_600_000,
  broad: new Set(),
  nearDuplicate: 0.5,
  maxItems: 200,
};

export type StoryDecision =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly storyId: number; readonly how: 'exact' | 'near'; readonly similarity: number }
  | { readonly kind: 'join'; readonly storyId: number; readonly entities: readonly string[]; readonly terms: readonly string[] };

/** Sets of a story's lists, made once per list: stores hand the same arrays to report after report. */
const setsOf = new WeakMap<readonly string[], ReadonlySet<string>>();

function setOf(list: readonly string[]): ReadonlySet<string> {
  let set = setsOf.get(list);
  if (!set) {
    set = new Set(list);
    setsOf.set(list, set);
  }
  return set;
}

function overlap(a: readonly string[], b: readonly string[]): string[] {
  const set = setOf(b);
  return [...setOf(a)].filter((value) => set.has(value));
}

function within(report: MatchReport, story: MatchStory, windowMs: number): boolean {
  return report.atMs >= story.firstMs - windowMs && report.atMs <= story.lastMs + windowMs;
}

/** The report's side of every join test, made once per report rather than once per candidate. */
interface ReportSide {
  readonly entities: readonly string[];
  readonly terms: readonly string[];
  /** How many of its entities are key (not broad). */
  readonly keyCount: number;
}

function sharedCount(values: readonly string[], story: readonly string[], broad: ReadonlySet<string> | null): { all: number; key: number } {
  const set = setOf(story);
  let all = 0;
  let key = 0;
  for (const value of values) {
    if (!set.has(value)) continue;
    all++;
    if (broad !== null && !broad.has(value)) key++;
  }
  return { all, key };
}

/**
 * Same event? Key entities (not the broad ones) must be shared, and either distinctive terms too,
 * or enough entities that they agree on their own: the cross-language case, where a Russian and an
 * English report of one strike share "orlovka", "odesa", "trans-balkan" but few words. Counts only:
 * the shared lists are made once, for the winner.
 */
function joinStrength(report: ReportSide, story: MatchStory, broad: ReadonlySet<string>): number {
  const entities = sharedCount(report.entities, story.entities, broad);
  const key = entities.key;
  if (key === 0) return 0;
  const terms = sharedCount(report.terms, story.terms, null).all;
  const byTerms = terms >= 3;
  const byEntities = key >= 2 && key * 2 >= report.keyCount && terms >= 1;
  return byTerms || byEntities ? key * 2 + (entities.all - key) * 0.5 + terms : 0;
}

/**
 * Decides the story of a report among the candidates the store found: an exact identity match or
 * a near-duplicate signature is the same article (a duplicate, never a new alert); otherwise the
 * strongest same-event join in the window; otherwise a new story.
 */
export function decideStory(report: MatchReport, candidates: readonly MatchStory[], options: MatchOptions = DEFAULT_MATCH_OPTIONS): StoryDecision {
  const exact = candidates.find((story) => story.exact);
  if (exact) return { kind: 'duplicate', storyId: exact.id, how: 'exact', similarity: 1 };

  let nearest: { story: MatchStory; similarity: number } | null = null;
  for (const story of candidates) {
    for (const encoded of story.nearSignatures) {
      const value = similarity(report.signature, decodeSignature(encoded));
      if (value >= options.nearDuplicate && (nearest === null || value > nearest.similarity)) nearest = { story, similarity: value };
    }
  }
  if (nearest) return { kind: 'duplicate', storyId: nearest.story.id, how: 'near', similarity: nearest.similarity };

  const entities = [...setOf(report.entities)];
  const side: ReportSide = { entities, terms: [...setOf(report.terms)], keyCount: entities.filter((entity) => !options.broad.has(entity)).length };
  let best: { story: MatchStory; strength: number } | null = null;
  for (const story of candidates) {
    if (story.itemCount >= options.maxItems || !within(report, story, options.windowMs)) continue;
    const strength = joinStrength(side, story, options.broad);
    if (strength > 0 && (best === null || strength > best.strength)) best = { story, strength };
  }
  if (!best) return { kind: 'new' };
  return { kind: 'join', storyId: best.story.id, entities: overlap(report.entities, best.story.entities), terms: overlap(report.terms, best.story.terms) };
}
