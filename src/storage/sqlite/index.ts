import type { FeedStore, IngestStore, ItemStore, OutboxStore, StoryStore, WatchTermStore } from '../../pipeline/ports.js';
import { openSqliteDatabase, type SqliteDatabase, type SqliteOptions } from './database.js';
import { guard } from './errors.js';
import { createSqliteFeedStore } from './feed-store.js';
import { createSqliteIngestStore } from './ingest-store.js';
import { createSqliteItemStore } from './item-store.js';
import { createSqliteOutboxStore } from './outbox-store.js';
import { createSqliteStoryStore } from './story-store.js';
import { createSqliteWatchTermStore } from './watch-term-store.js';

export { openSqliteDatabase, type SqliteDatabase, type SqliteOptions } from './database.js';
export { SCHEMA_VERSION } from './migrations.js';

export interface SqliteStores {
  readonly feeds: FeedStore;
  readonly ingest: IngestStore;
  readonly outbox: OutboxStore;
  readonly items: ItemStore;
  readonly watchTerms: WatchTermStore;
  readonly stories: StoryStore;
  close(): Promise<void>;
}

/** Every port over one already-open connection; `close` closes that connection. */
export function sqliteStoresOn(db: SqliteDatabase, options: SqliteOptions = {}): SqliteStores {
  return {
    feeds: createSqliteFeedStore(db),
    ingest: createSqliteIngestStore(db),
    outbox: createSqliteOutboxStore(db),
    items: createSqliteItemStore(db),
    watchTerms: createSqliteWatchTermStore(db),
    stories: createSqliteStoryStore(db, { maxItems: options.storyMaxItems }),
    async close(): Promise<void> {
      if (db.open) guard('close the database', () => db.close());
    },
  };
}

/**
 * Opens the SQLite file at `path` (creating it and its folder), migrates it, and returns the
 * stores. One connection serves all ports: better-sqlite3 is synchronous, so statements never
 * interleave within this process; other processes are kept apart by BEGIN IMMEDIATE and leases.
 */
export function openSqliteStores(path: string, options: SqliteOptions = {}): SqliteStores {
  return sqliteStoresOn(openSqliteDatabase(path, options), options);
}
