import type { Destination } from '../core/alert.js';
import type { FetchOutcome } from '../core/fetch-outcome.js';
import type { PollPolicy } from '../core/schedule.js';
import type { ParseOutcome } from '../feeds/parse/index.js';
import type { Scorer } from '../scoring/index.js';
import type { Logger } from '../shared/logger.js';
import type { Clock, FeedStore, IngestStore, WatchTermStore } from './ports.js';

/** Everything polling needs, passed in by the composition root (fetch, parse and clock included). */
export interface PollDeps {
  readonly feeds: FeedStore;
  readonly ingest: IngestStore;
  readonly watchTerms: WatchTermStore;
  readonly fetchFeed: (
    url: string,
    validators: { etag: string | null; lastModified: string | null },
  ) => Promise<FetchOutcome>;
  readonly parseFeed: (
    bytes: Uint8Array,
    options: { contentType: string | null; baseUrl: string | null },
  ) => Promise<ParseOutcome>;
  readonly scorer: Scorer;
  readonly destinations: readonly Destination[];
  readonly policy: PollPolicy;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random?: () => number;
}
