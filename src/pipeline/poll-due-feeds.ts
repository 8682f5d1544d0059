import { mapLimit } from '../shared/map-limit.js';
import type { PollDeps } from './deps.js';
import { pollFeed, type PollResult } from './poll-feed.js';

export interface PollCycleOptions {
  /** Worker identity for leases, so several processes never poll the same feed at once. */
  readonly owner: string;
  readonly concurrency: number;
  readonly leaseSeconds: number;
  /** Claim at most this many feeds per cycle. */
  readonly batch?: number;
  /** Poll every enabled feed now, whatever its next_check_at (`run --once`). */
  readonly all?: boolean;
}

export interface PollCycleSummary {
  readonly polled: number;
  readonly updated: number;
  readonly notModified: number;
  readonly failed: number;
  readonly queued: number;
  readonly results: readonly PollResult[];
}

const FAR_FUTURE = new Date(8_000_000_000_000);

/** Claims the feeds that are due (miniflux scheduler style) and polls them with bounded concurrency. */
export async function pollDueFeeds(deps: PollDeps, options: PollCycleOptions): Promise<PollCycleSummary> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + options.leaseSeconds * 1000);
  const feeds = await deps.feeds.claimDue(options.all ? FAR_FUTURE : now, options.batch ?? 500, options.owner, leaseUntil);
  const results = await mapLimit(feeds, options.concurrency, (feed) => pollFeed(deps, feed));
  const count = (kind: PollResult['kind']): number => results.filter((result) => result.kind === kind).length;
  return {
    polled: results.length,
    updated: count('updated'),
    notModified: count('not-modified'),
    failed: count('failed'),
    queued: results.reduce((sum, result) => sum + (result.kind === 'updated' ? result.queued : 0), 0),
    results,
  };
}
