import type { Feed, FeedCheck, FreshnessHints } from '../core/feed.js';
import { nextCheckAfterFailure, nextCheckAfterSuccess, type PollPolicy } from '../core/schedule.js';

/** The record of a poll that got a good answer (200 parsed, or 304): one success resets failures. */
export function successfulCheck(
  feed: Feed,
  now: Date,
  hints: FreshnessHints,
  policy: PollPolicy,
  validators: { etag: string | null; lastModified: string | null },
  seeded: boolean,
): FeedCheck {
  return {
    checkedAt: now.toISOString(),
    nextCheckAt: nextCheckAfterSuccess(now, feed.intervalSeconds, hints, policy).toISOString(),
    etag: validators.etag,
    lastModified: validators.lastModified,
    failures: 0,
    lastError: null,
    disabledAt: null,
    disabledReason: null,
    seeded,
  };
}

/**
 * The record of a failed poll: backoff 5 min × 2ⁿ with jitter, Retry-After honoured; disabled at once
 * for 410 Gone, or after `maxFailures` consecutive failures (≈ 7 days with the defaults). Validators
 * are kept as they were, so a feed that heals is fetched in full.
 */
export function failedCheck(
  feed: Feed,
  now: Date,
  error: { code: string; message: string },
  policy: PollPolicy,
  options: { retryAfterSeconds?: number | null; gone?: boolean; random?: () => number } = {},
): FeedCheck {
  const failures = feed.failures + 1;
  const retryAfter = options.retryAfterSeconds ?? null;
  const disabledReason = options.gone
    ? 'the feed is gone (HTTP 410)'
    : failures >= policy.maxFailures
      ? `${failures} consecutive failures, last: ${error.code}`
      : null;
  return {
    checkedAt: now.toISOString(),
    nextCheckAt: nextCheckAfterFailure(now, failures, retryAfter, options.random, policy).toISOString(),
    etag: feed.etag,
    lastModified: feed.lastModified,
    failures,
    lastError: error,
    disabledAt: disabledReason ? now.toISOString() : null,
    disabledReason,
    seeded: feed.seeded,
  };
}
