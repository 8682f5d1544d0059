import { AppError } from '../../core/errors.js';
import type { PostgresDatabase } from './database.js';

/**
 * Schema migrations, in order; `wirewatch_migrations` records the ones applied. The same tables as
 * the SQLite store (src/storage/sqlite/migrations.ts), in Postgres types: timestamptz for times,
 * jsonb for scores, identity columns for ids. Never edit a shipped migration: append one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE feeds (
    -- byte order, as SQLite and JavaScript sort: the same claim order on both stores
    id text COLLATE "C" PRIMARY KEY,
    url text NOT NULL,
    name text NOT NULL,
    interval_seconds integer NOT NULL,
    alert_newest_on_first_poll integer NOT NULL DEFAULT 0,
    etag text,
    last_modified text,
    next_check_at timestamptz NOT NULL,
    last_checked_at timestamptz,
    failures integer NOT NULL DEFAULT 0,
    last_error_code text,
    last_error_message text,
    disabled_at timestamptz,
    disabled_reason text,
    seeded boolean NOT NULL DEFAULT false,
    lease_owner text,
    lease_until timestamptz,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX feeds_due ON feeds (next_check_at, id) WHERE disabled_at IS NULL;

  CREATE TABLE items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_id text COLLATE "C" NOT NULL REFERENCES feeds (id),
    key text NOT NULL,
    guid text,
    link text,
    title text NOT NULL,
    summary text NOT NULL,
    published text,
    author text,
    published_at timestamptz NOT NULL,
    first_seen_at timestamptz NOT NULL,
    folded text NOT NULL,
    scores jsonb NOT NULL,
    best_score double precision,
    UNIQUE (feed_id, key)
  );
  CREATE INDEX items_link ON items (link);

  CREATE TABLE item_relevance (
    profile text NOT NULL,
    published_at timestamptz NOT NULL,
    item_id bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    score double precision NOT NULL,
    PRIMARY KEY (profile, published_at, item_id)
  );
  CREATE INDEX item_relevance_time ON item_relevance (published_at, item_id);

  CREATE TABLE item_entities (
    entity_id text NOT NULL,
    published_at timestamptz NOT NULL,
    item_id bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, published_at, item_id)
  );

  CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination_id text NOT NULL,
    item_id bigint NOT NULL REFERENCES items (id),
    profile text NOT NULL,
    score double precision NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_owner text,
    lease_until timestamptz,
    last_error text,
    receipt text,
    sent_at timestamptz,
    dead_at timestamptz,
    created_at timestamptz NOT NULL,
    UNIQUE (destination_id, item_id)
  );
  CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE status = 'pending';

  CREATE TABLE watch_terms (
    destination_id text NOT NULL,
    term text NOT NULL,
    weight double precision NOT NULL,
    aliases jsonb NOT NULL,
    negative boolean NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (destination_id, term)
  );
  `,
  // 2: delivery attempts (set before the chat API call, cleared once its outcome is known: a row
  // re-claimed with an attempt still set is in doubt) and readers' votes on alerts.
  `
  ALTER TABLE outbox ADD COLUMN attempt_id text;
  ALTER TABLE outbox ADD COLUMN attempt_started_at timestamptz;

  CREATE TABLE alert_feedback (
    outbox_id bigint NOT NULL REFERENCES outbox (id),
    user_id text NOT NULL,
    platform text NOT NULL,
    vote integer NOT NULL CHECK (vote IN (-1, 1)),
    at timestamptz NOT NULL,
    PRIMARY KEY (outbox_id, user_id)
  );
  `,
  // 3: stories (docs/adr/0002-stories.md), as SQLite migrations 3 and 4 leave them: reports are
  // members by (feed_id, item_key), alerts unique per (destination, story, kind), a story's outlets
  // on its row, tags ('e:' entity, 'p:' profile) carrying the story's start for index-ordered scans.
  `
  CREATE TABLE stories (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_at timestamptz NOT NULL,
    last_at timestamptz NOT NULL,
    headline text NOT NULL,
    link text,
    best_score double precision NOT NULL,
    item_count integer NOT NULL,
    source_count integer NOT NULL,
    entities text[] NOT NULL,
    terms text[] NOT NULL,
    profiles text[] NOT NULL,
    feeds text[] NOT NULL,
    undated boolean NOT NULL,
    folded text NOT NULL,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX stories_first ON stories (first_at, id);
  CREATE INDEX stories_last ON stories (last_at);

  CREATE TABLE story_members (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    feed_id text NOT NULL,
    feed_name text NOT NULL,
    item_key text NOT NULL,
    title text NOT NULL,
    link text,
    snippet text NOT NULL,
    published_at timestamptz NOT NULL,
    dated boolean NOT NULL,
    score double precision NOT NULL,
    relation text NOT NULL CHECK (relation IN ('first', 'join', 'duplicate')),
    signature text NOT NULL,
    outcomes jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (feed_id, item_key)
  );
  CREATE INDEX story_members_story ON story_members (story_id, score);

  CREATE TABLE story_keys (
    key text PRIMARY KEY,
    story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE
  );

  CREATE TABLE story_bands (
    band bigint NOT NULL,
    member_id bigint NOT NULL REFERENCES story_members (id) ON DELETE CASCADE,
    story_id bigint NOT NULL,
    PRIMARY KEY (band, member_id)
  );
  CREATE INDEX story_bands_story ON story_bands (story_id);

  CREATE TABLE story_tags (
    story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    tag text NOT NULL,
    first_at timestamptz NOT NULL,
    PRIMARY KEY (story_id, tag)
  );
  CREATE INDEX story_tags_first ON story_tags (tag, first_at, story_id);

  CREATE TABLE story_alerts (
    destination_id text NOT NULL,
    story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('alert', 'update')),
    member_id bigint NOT NULL,
    change text,
    receipt text,
    sent_at timestamptz,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (destination_id, story_id, kind)
  );
  CREATE INDEX story_alerts_member ON story_alerts (member_id);

  CREATE TABLE story_followups (
    destination_id text NOT NULL,
    story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    member_id bigint NOT NULL,
    sent_at timestamptz,
    PRIMARY KEY (destination_id, story_id, member_id)
  );
  CREATE INDEX story_followups_pending ON story_followups (destination_id, story_id) WHERE sent_at IS NULL;

  CREATE TABLE digests (
    destination_id text PRIMARY KEY,
    last_at timestamptz NOT NULL
  );
  `,
  // 4: destinations paused by a permanent delivery error, as SQLite migration 6: shared by every
  // worker and kept across restarts until someone resumes them.
  `
  CREATE TABLE IF NOT EXISTS paused_destinations (
    destination_id text PRIMARY KEY,
    reason text NOT NULL,
    paused_at timestamptz NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Applies the migrations this schema lacks, all in one transaction under an advisory lock keyed
 * by the schema: N workers starting at once migrate exactly once, the others wait and find the
 * work done. A schema newer than this build is refused before anything runs.
 */
export async function migrate(db: PostgresDatabase): Promise<{ from: number; to: number }> {
  await db.query('create the schema', `CREATE SCHEMA IF NOT EXISTS ${db.schema}`).catch((thrown: unknown) => {
    // Two processes creating the same schema at once: one loses the race, the schema exists.
    if (!(thrown instanceof AppError && thrown.context.sqlState === '23505')) throw thrown;
  });
  return db.transaction('migrate the schema', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wirewatch-migrate:${db.schema}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS wirewatch_migrations (
      version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM wirewatch_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > SCHEMA_VERSION) {
      throw new AppError(
        'storage_error',
        `the database schema is version ${from}, newer than this wirewatch understands (${SCHEMA_VERSION}): upgrade wirewatch`,
        { context: { schemaVersion: from, supported: SCHEMA_VERSION, retryable: false } },
      );
    }
    for (let version = from + 1; version <= SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version - 1] ?? '');
      await client.query('INSERT INTO wirewatch_migrations (version) VALUES ($1)', [version]);
    }
    return { from, to: SCHEMA_VERSION };
  });
}
