import type { AppError } from './errors.js';
import type { FreshnessHints } from './feed.js';

/**
 * What fetching a feed can come to. Expected outcomes are values (MonitoRSS FetchOutcome);
 * only `failed` carries an AppError.
 */
export type FetchOutcome =
  | {
      readonly kind: 'fetched';
      readonly body: Uint8Array;
      readonly contentType: string | null;
      readonly etag: string | null;
      readonly lastModified: string | null;
      readonly finalUrl: string;
      readonly hints: FreshnessHints;
    }
  | { readonly kind: 'not-modified'; readonly hints: FreshnessHints }
  | {
      readonly kind: 'http-error';
      readonly status: number;
      readonly hints: FreshnessHints;
    }
  | { readonly kind: 'failed'; readonly error: AppError };

export const NO_HINTS: FreshnessHints = {
  retryAfterSeconds: null,
  maxAgeSeconds: null,
  ttlMinutes: null,
};
