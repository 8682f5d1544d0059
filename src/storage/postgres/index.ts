import type { FeedStore, IngestStore, ItemStore, StoryStore, WatchTermStore } from '../../pipeline/ports.js';
import { openPostgresDatabase, type PostgresDatabase, type PostgresOptions } from './database.js';
import { createPostgresFeedStore } from './feed-store.js';
import { createPostgresIngestStore } from './ingest-store.js';
import { createPostgresItemStore } from './item-store.js';
import { migrate } from './migrations.js';
import { createPostgresOutboxStore, type PostgresOutboxStore } from './outbox-store.js';
import { createRelayElection, type RelayElection } from './relay-election.js';
import { createPostgresStoryStore } from './story-store.js';
import { createPostgresWatchTermStore } from './watch-term-store.js';

export { openPostgresDatabase, parseDatabaseUrl, type PostgresDatabase, type PostgresOptions } from './database.js';
export { SCHEMA_VERSION } from './migrations.js';
export type { RelayElection } from './relay-election.js';
export { createPostgresStoryStore, type PostgresStoryOptions } from './story-store.js';
export { dropSchema, makeAllFeedsDue, leaseSnapshot, type LeaseSnapshot } from './admin.js';

export interface PostgresStores {
  readonly feeds: FeedStore;
  readonly ingest: IngestStore;
  readonly outbox: PostgresOutboxStore;
  readonly items: ItemStore;
  readonly watchTerms: WatchTermStore;
  /** Stories (docs/adr/0002-stories.md): one alert per story across every worker. */
  readonly stories: StoryStore;
  /** Which worker relays alerts (one at a time, across every process on this database). */
  readonly relay: RelayElection;
  /** Feeds due at `now` and not leased: the backlog a /metrics scrape reports. */
  dueCount(now: Date): Promise<number>;
  close(): Promise<void>;
}

/** Every port over one migrated pool. */
export function postgresStoresOn(db: PostgresDatabase, onWarning?: PostgresOptions['onWarning'], storyMaxItems?: number): PostgresStores {
  const relay = createRelayElection(db, onWarning);
  return {
    feeds: createPostgresFeedStore(db),
    ingest: createPostgresIngestStore(db),
    outbox: createPostgresOutboxStore(db),
    items: createPostgresItemStore(db),
    watchTerms: createPostgresWatchTermStore(db),
    stories: createPostgresStoryStore(db, { maxItems: storyMaxItems }),
    relay,
    async dueCount(now: Date): Promise<number> {
      const [row] = await db.query<{ count: number }>(
        'count due feeds',
        'SELECT count(*) AS count FROM feeds WHERE disabled_at IS NULL AND next_check_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)',
        [now],
      );
      return row?.count ?? 0;
    },
    async close(): Promise<void> {
      await relay.close();
      await db.close();
    },
  };
}

/**
 * Connects to `postgres://…[?schema=NAME]`, migrates (once, however many workers start together)
 * and returns the stores. Fails here, before anything connects to chat, when Postgres cannot be
 * reached within the retry budget or the schema is newer than this build.
 */
export async function openPostgresStores(url: string, options: PostgresOptions = {}): Promise<PostgresStores> {
  const db = openPostgresDatabase(url, options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return postgresStoresOn(db, options.onWarning, options.storyMaxItems);
}
