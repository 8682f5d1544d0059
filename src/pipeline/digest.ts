import type { Destination } from '../core/alert.js';
import type { Reply } from '../core/reply.js';
import { digestRank, extractiveSummaries, storyPhase, type StoryPhase } from '../stories/index.js';
import type { Logger } from '../shared/logger.js';
import { pauseDestination } from './pause-destination.js';
import type { DeliveryResult, DestinationPauses, StorySnapshot, StoryStore } from './ports.js';

export interface DigestEntry {
  readonly story: StorySnapshot;
  readonly phase: StoryPhase;
  readonly rank: number;
  /** At most two sentences picked from the story's reports. */
  readonly summary: readonly string[];
}

export interface Digest {
  readonly destinationId: string;
  readonly since: string;
  readonly until: string;
  readonly entries: readonly DigestEntry[];
}

const CANDIDATES = 60;
const REPORTS_READ = 6;

/**
 * The top stories of a destination's profiles updated in [since, until], ranked by score × sources ×
 * recency, each with a two-line extractive summary of its reports.
 */
export async function digestFor(stories: StoryStore, destination: Destination, since: Date, until: Date, limit = 8): Promise<Digest> {
  const active = await stories.active(destination.profiles, since, until, CANDIDATES);
  const ranked = active
    .map((story) => ({ story, rank: digestRank(story, until) }))
    .sort((a, b) => b.rank - a.rank || a.story.id - b.story.id)
    .slice(0, Math.max(1, limit));
  const members = await stories.members(ranked.map((entry) => entry.story.id), REPORTS_READ);
  const summaries = extractiveSummaries(
    ranked.map(({ story }) => ({
      id: story.id,
      texts: members.filter((member) => member.storyId === story.id).map((member) => member.snippet),
    })),
  );
  return {
    destinationId: destination.id,
    since: since.toISOString(),
    until: until.toISOString(),
    entries: ranked.map(({ story, rank }) => ({ story, rank, phase: storyPhase(story, until), summary: summaries.get(story.id) ?? [] })),
  };
}

/** "22:00-07:00" (UTC): is `now` inside? A window may wrap midnight. */
export function inQuietHours(quiet: string | null | undefined, now: Date): boolean {
  const match = quiet ? /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(quiet) : null;
  if (!match) return false;
  const [, h1, m1, h2, m2] = match.map(Number);
  const start = (h1 ?? 0) * 60 + (m1 ?? 0);
  const end = (h2 ?? 0) * 60 + (m2 ?? 0);
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

export interface ScheduledDigestDeps {
  readonly stories: StoryStore;
  readonly post: (destination: Destination, reply: Reply) => Promise<DeliveryResult>;
  readonly render: (digest: Digest) => Reply;
  /** Paused destinations get no digest (nothing is recorded, so the next one after a resume covers the gap). */
  readonly pauses?: { readonly store: DestinationPauses; readonly logger: Logger };
}

/**
 * The scheduled digest of one destination: the stories since its last digest (or `windowSeconds`),
 * skipped in quiet hours (the next tick after them covers the gap); nothing is posted when nothing
 * happened. The digest time is recorded only once the post went out.
 */
export async function runScheduledDigest(
  deps: ScheduledDigestDeps,
  destination: Destination,
  schedule: { readonly windowSeconds: number; readonly quietHours: string | null },
  now: Date,
): Promise<'posted' | 'quiet' | 'empty' | 'paused' | 'failed'> {
  if (inQuietHours(schedule.quietHours, now)) return 'quiet';
  if (deps.pauses && (await deps.pauses.store.pausedDestinations()).some((pause) => pause.destinationId === destination.id)) return 'paused';
  const last = await deps.stories.lastDigestAt(destination.id);
  const since = last ? new Date(Math.max(Date.parse(last), now.getTime() - schedule.windowSeconds * 1000)) : new Date(now.getTime() - schedule.windowSeconds * 1000);
  const digest = await digestFor(deps.stories, destination, since, now);
  if (digest.entries.length === 0) return 'empty';
  const result = await deps.post(destination, deps.render(digest));
  // The channel refuses everything: paused like the relay pauses it, so alerts wait too.
  if (result.kind === 'unreachable' && deps.pauses) await pauseDestination(deps.pauses.store, deps.pauses.logger, destination.id, result.error, now);
  if (result.kind !== 'sent') return 'failed';
  await deps.stories.recordDigest(destination.id, now);
  return 'posted';
}
