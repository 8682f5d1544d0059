import type { FreshnessHints } from './feed.js';

/** Polling bounds (reliability.md §4): floor, default and cap of a feed's interval. */
export interface PollPolicy {
  readonly floorSeconds: number;
  readonly capSeconds: number;
  readonly backoffBaseSeconds: number;
  /** Consecutive failures after which a feed is disabled and reported. */
  readonly maxFailures: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  floorSeconds: 15 * 60,
  capSeconds: 24 * 3600,
  backoffBaseSeconds: 5 * 60,
  maxFailures: 11,
};

const SECOND = 1000;

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * When to poll again after a success: the feed's interval, stretched by freshness hints the
 * server gave (max-age, <ttl>, Retry-After), always within [floor, cap].
 */
export function nextCheckAfterSuccess(
  now: Date,
  intervalSeconds: number,
  hints: FreshnessHints,
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): Date {
  const hinted = Math.max(
    intervalSeconds,
    hints.maxAgeSeconds ?? 0,
    (hints.ttlMinutes ?? 0) * 60,
    hints.retryAfterSeconds ?? 0,
  );
  const seconds = clamp(hinted, policy.floorSeconds, policy.capSeconds);
  return new Date(now.getTime() + seconds * SECOND);
}

/**
 * Backoff after the n-th consecutive failure: base × 2^(n-1) with ±20 % jitter, capped; a
 * Retry-After the server sent is honoured when later. `random` is a parameter so tests are exact.
 */
export function nextCheckAfterFailure(
  now: Date,
  failures: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): Date {
  const exponent = Math.min(Math.max(failures - 1, 0), 20);
  const base = policy.backoffBaseSeconds * 2 ** exponent;
  const jittered = base * (0.8 + 0.4 * random());
  const seconds = clamp(
    Math.max(jittered, retryAfterSeconds ?? 0),
    policy.backoffBaseSeconds * 0.8,
    policy.capSeconds,
  );
  return new Date(now.getTime() + seconds * SECOND);
}
