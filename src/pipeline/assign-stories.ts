import type { FeedItem } from '../core/item.js';
import type { Profile } from '../core/profile.js';
import type { ScoreResult } from '../core/score.js';
import { decideStory, reportFeatures, type MatchStory, type StoryDecision } from '../stories/index.js';
import type { IngestEntry, StoryCandidate, StoryChoice, StoryMemberInput, StoryReport, StoryStore } from './ports.js';

/** How reports become stories; built once from the profiles in main.ts. */
export interface StoryPolicy {
  /** Reports join a story active within this many seconds of their time (config; default 48 h). */
  readonly windowSeconds: number;
  /** Entities too broad to tie two reports to one event (a profile's side names: countries). */
  readonly broad: ReadonlySet<string>;
  /** Entity id → its side, for "a new side appears" (e.g. attribution to Russia): a material change. */
  readonly sides: ReadonlyMap<string, string>;
  readonly labels: ReadonlyMap<string, string>;
  readonly maxItems: number;
}

export interface StoryDeps {
  readonly stories: StoryStore;
  readonly storyPolicy: StoryPolicy;
}

const SNIPPET_CHARS = 1_000;
/** A score this much higher than the story's best (and 1.5×) is a material change. */
const SCORE_JUMP = 25;

function relevantResults(scores: readonly ScoreResult[]): ScoreResult[] {
  return scores.filter((result) => result.score >= result.threshold);
}

function reportTime(item: FeedItem, now: Date): { publishedAt: string; dated: boolean } {
  const ms = item.published === null ? Number.NaN : Date.parse(item.published);
  return Number.isFinite(ms) ? { publishedAt: new Date(ms).toISOString(), dated: true } : { publishedAt: now.toISOString(), dated: false };
}

/** What materially changed when a report joins an alerted story: a new side, or a big score jump. */
export function materialChange(
  story: StoryCandidate['story'],
  entities: readonly string[],
  score: number,
  policy: StoryPolicy,
): string | null {
  const storySides = new Set(story.entities.map((id) => policy.sides.get(id)).filter((side) => side !== undefined));
  const added = entities.filter((id) => !story.entities.includes(id) && policy.sides.has(id) && !storySides.has(policy.sides.get(id) ?? ''));
  if (added.length > 0) return `now also involves ${added.map((id) => policy.labels.get(id) ?? id).join(', ')}`;
  if (score >= story.bestScore * 1.5 && score - story.bestScore >= SCORE_JUMP) {
    return `relevance rose from ${Math.round(story.bestScore)} to ${Math.round(score)}`;
  }
  return null;
}

function memberInput(
  feed: { id: string; name: string },
  entry: IngestEntry,
  relevant: readonly ScoreResult[],
  alertScore: number,
  now: Date,
): { member: StoryMemberInput; features: ReturnType<typeof reportFeatures> } {
  const { item } = entry;
  const features = reportFeatures(item, entry.words);
  const { publishedAt, dated } = reportTime(item, now);
  const member: StoryMemberInput = {
    feedId: feed.id,
    feedName: feed.name,
    itemKey: item.key,
    title: item.title || '(untitled)',
    link: item.link,
    snippet: item.summary.slice(0, SNIPPET_CHARS),
    publishedAt,
    dated,
    score: Math.max(alertScore, ...relevant.map((result) => result.score)),
    profiles: [...new Set(relevant.map((result) => result.profile))],
    entities: [...new Set(relevant.flatMap((result) => result.entities))],
    terms: features.terms,
    exactKeys: features.exactKeys,
    bands: features.bands,
    // Read only if the store keeps it (a banded report): encoding every signature cost ~1.5 µs a report.
    get signature() {
      return features.encodedSignature;
    },
  };
  return { member, features };
}

function targetOf(decision: StoryDecision): StoryChoice['target'] {
  return decision.kind === 'new' ? { kind: 'new' } : { kind: decision.kind, storyId: decision.storyId };
}

/** A stored story's times in epoch ms, by snapshot: a caching store hands the same one to many reports. */
const storyTimes = new WeakMap<StoryCandidate['story'], { readonly firstMs: number; readonly lastMs: number }>();

/** The matcher's view of a stored story (a plain literal: this runs for every candidate of every report). */
function matchStory(candidate: StoryCandidate): MatchStory {
  const { story } = candidate;
  let times = storyTimes.get(story);
  if (!times) {
    times = { firstMs: Date.parse(story.firstAt), lastMs: Date.parse(story.lastAt) };
    storyTimes.set(story, times);
  }
  return {
    id: story.id,
    firstMs: times.firstMs,
    lastMs: times.lastMs,
    headline: story.headline,
    entities: story.entities,
    terms: story.terms,
    itemCount: story.itemCount,
    exact: candidate.exact,
    nearSignatures: candidate.nearSignatures,
  };
}

/**
 * Puts each relevant new report into its story (oldest first, so a story's alert goes to its
 * earliest report), all of a poll in one store transaction, and keeps only the alerts the story
 * store granted: the first report of a story alerts each destination once; duplicates never
 * alert; later reports become follow-ups, or one material update. Irrelevant reports are not
 * stories and pass through untouched.
 */
export async function assignStories(
  deps: StoryDeps,
  feed: { readonly id: string; readonly name: string },
  entries: readonly IngestEntry[],
  now: Date,
): Promise<IngestEntry[]> {
  const policy = deps.storyPolicy;
  const placed = entries
    .map((entry, index) => ({ entry, index, at: reportTime(entry.item, now).publishedAt }))
    .filter(({ entry }) => entry.alerts.length > 0 || relevantResults(entry.scores).length > 0)
    .sort((a, b) => a.at.localeCompare(b.at) || a.index - b.index)
    .map(({ entry, index }) => {
      const { member, features } = memberInput(feed, entry, relevantResults(entry.scores), Math.max(0, ...entry.alerts.map((alert) => alert.score)), now);
      // Only key entities find join candidates: a country alone never makes two reports one event.
      const keyEntities = member.entities.filter((id) => !policy.broad.has(id));
      const probe = { exactKeys: member.exactKeys, bands: member.bands, entities: keyEntities, at: new Date(member.publishedAt), windowSeconds: policy.windowSeconds };
      return { entry, index, member, features, report: { member, probe } };
    });
  const byReport = new Map<StoryReport, (typeof placed)[number]>(placed.map((item) => [item.report, item]));
  const decide = (report: StoryReport, candidates: readonly StoryCandidate[]): StoryChoice => {
    const item = byReport.get(report);
    if (!item) return { target: { kind: 'new' }, intents: [] };
    const decision = decideStory(
      { atMs: Date.parse(report.member.publishedAt), signature: item.features.signature, entities: report.member.entities, terms: report.member.terms },
      candidates.map(matchStory),
      { windowMs: policy.windowSeconds * 1000, broad: policy.broad, nearDuplicate: 0.5, maxItems: policy.maxItems },
    );
    const joined = decision.kind === 'join' ? candidates.find((candidate) => candidate.story.id === decision.storyId) : undefined;
    const change = joined ? materialChange(joined.story, report.member.entities, report.member.score, policy) : null;
    return { target: targetOf(decision), intents: item.entry.alerts.map((alert) => ({ destinationId: alert.destinationId, update: change })) };
  };
  const assignments = await deps.stories.assignMany(placed.map((item) => item.report), decide, now);
  const result = [...entries];
  placed.forEach(({ entry, index }, position) => {
    const outcomes = assignments[position]?.outcomes ?? [];
    const granted = new Set(outcomes.filter((item) => item.outcome === 'alert' || item.outcome === 'update').map((item) => item.destinationId));
    result[index] = { ...entry, alerts: entry.alerts.filter((alert) => granted.has(alert.destinationId)) };
  });
  return result;
}

/**
 * The story policy for a set of profiles: an entity named like its side (the country a profile is
 * about: "azerbaijan", "russia") is too broad to tie reports together on its own.
 */
export function storyPolicyFor(
  profiles: readonly Profile[],
  options: { windowSeconds?: number; maxItems?: number } = {},
): StoryPolicy {
  const entities = profiles.flatMap((profile) => profile.entities);
  return {
    windowSeconds: options.windowSeconds ?? 48 * 3600,
    maxItems: options.maxItems ?? 200,
    broad: new Set(entities.filter((entity) => entity.side !== null && entity.id === entity.side).map((entity) => entity.id)),
    sides: new Map(entities.flatMap((entity) => (entity.side === null ? [] : [[entity.id, entity.side] as const]))),
    labels: new Map(entities.map((entity) => [entity.id, entity.label])),
  };
}
