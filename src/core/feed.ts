import type { AppError } from './errors.js';

/** A feed the store polls. `nextCheckAt` drives the scheduler (miniflux style: no cron job per feed). */
export interface Feed {
  readonly id: string;
  readonly url: string;
  readonly name: string;
  readonly intervalSeconds: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly nextCheckAt: string;
  readonly lastCheckedAt: string | null;
  /** Consecutive failures; one success resets it. */
  readonly failures: number;
  readonly lastError: { code: string; message: string } | null;
  readonly disabledAt: string | null;
  readonly disabledReason: string | null;
  /** True once the first successful poll stored its items (which alert nothing). */
  readonly seeded: boolean;
  /** Post the N newest items on the first poll instead of nothing. */
  readonly alertNewestOnFirstPoll: number;
}

/** A feed as the configuration declares it. */
export interface FeedSpec {
  readonly id: string;
  readonly url: string;
  readonly name: string;
  readonly intervalSeconds: number;
  readonly alertNewestOnFirstPoll: number;
}

/** Freshness hints a response gave, in seconds, already parsed. */
export interface FreshnessHints {
  readonly retryAfterSeconds: number | null;
  readonly maxAgeSeconds: number | null;
  readonly ttlMinutes: number | null;
}

/** What the poller learned about a feed in one poll, to be written back to its record. */
export interface FeedCheck {
  readonly checkedAt: string;
  readonly nextCheckAt: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly failures: number;
  readonly lastError: { code: string; message: string } | null;
  readonly disabledAt: string | null;
  readonly disabledReason: string | null;
  readonly seeded: boolean;
}

export type FeedError = Pick<AppError, 'code' | 'message'>;
