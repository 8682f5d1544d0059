import type { Database } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';

/**
 * Schema migrations, in order; the database's `PRAGMA user_version` is the number applied. They are
 * TS strings so the build ships them without a copy step. Never edit a shipped migration: append one.
 *
 * Times are epoch milliseconds. Items are unique per (feed_id, key); outbox rows per
 * (destination_id, item_id), which is what makes re-runs and restarts never post twice.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE feeds (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL,
    alert_newest_on_first_poll INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    next_check_at INTEGER NOT NULL,
    last_checked_at INTEGER,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error_code TEXT,
    last_error_message TEXT,
    disabled_at INTEGER,
    disabled_reason TEXT,
    seeded INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX feeds_due ON feeds (next_check_at) WHERE disabled_at IS NULL;

  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    feed_id TEXT NOT NULL REFERENCES feeds (id),
    key TEXT NOT NULL,
    guid TEXT,
    link TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    published TEXT,
    author TEXT,
    -- published time, or first_seen_at when the feed gave none: what the timeline orders by
    published_at INTEGER NOT NULL,
    first_seen_at INTEGER NOT NULL,
    -- lowercase title + summary for word search
    folded TEXT NOT NULL,
    -- JSON ScoreResult[]
    scores TEXT NOT NULL,
    best_score REAL,
    UNIQUE (feed_id, key)
  );
  CREATE INDEX items_link ON items (link);

  -- One row per (item, profile) the item is relevant for (score >= threshold).
  CREATE TABLE item_relevance (
    profile TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    score REAL NOT NULL,
    PRIMARY KEY (profile, published_at, item_id)
  ) WITHOUT ROWID;
  CREATE INDEX item_relevance_time ON item_relevance (published_at, item_id);

  -- Entities of relevant results: serves "what happened around X" from an index (performance.md §4).
  CREATE TABLE item_entities (
    entity_id TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, published_at, item_id)
  ) WITHOUT ROWID;

  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    destination_id TEXT NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id),
    profile TEXT NOT NULL,
    score REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    last_error TEXT,
    receipt TEXT,
    sent_at INTEGER,
    dead_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (destination_id, item_id)
  );
  CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE status = 'pending';

  CREATE TABLE watch_terms (
    destination_id TEXT NOT NULL,
    term TEXT NOT NULL,
    weight REAL NOT NULL,
    aliases TEXT NOT NULL,
    negative INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (destination_id, term)
  );
  `,
  // 2: delivery attempts (an attempt id set before the chat API call and cleared when its outcome is
  // known, so a re-claimed row whose attempt never finished is known to be in doubt) and feedback.
  `
  ALTER TABLE outbox ADD COLUMN attempt_id TEXT;
  ALTER TABLE outbox ADD COLUMN attempt_started_at INTEGER;

  CREATE TABLE alert_feedback (
    outbox_id INTEGER NOT NULL REFERENCES outbox (id),
    user_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    at INTEGER NOT NULL,
    PRIMARY KEY (outbox_id, user_id)
  );
  `,
  // 3: stories (docs/adr/0002-stories.md). Reports are members of stories by (feed_id, item_key),
  // written before the items' own transaction so a re-run finds its decision; alerts are unique per
  // (destination, story, kind); tags ('e:' entity, 'p:' profile) index stories by entity and time.
  `
  CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    headline TEXT NOT NULL,
    link TEXT,
    best_score REAL NOT NULL,
    item_count INTEGER NOT NULL,
    source_count INTEGER NOT NULL,
    entities TEXT NOT NULL,
    terms TEXT NOT NULL,
    profiles TEXT NOT NULL,
    undated INTEGER NOT NULL,
    folded TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX stories_first ON stories (first_at);
  CREATE INDEX stories_last ON stories (last_at);

  CREATE TABLE story_members (
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    feed_id TEXT NOT NULL,
    feed_name TEXT NOT NULL,
    item_key TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    snippet TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    dated INTEGER NOT NULL,
    score REAL NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('first', 'join', 'duplicate')),
    signature TEXT NOT NULL,
    outcomes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (feed_id, item_key)
  );
  CREATE INDEX story_members_story ON story_members (story_id, score);

  CREATE TABLE story_keys (
    key TEXT PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE
  ) WITHOUT ROWID;

  CREATE TABLE story_bands (
    band INTEGER NOT NULL,
    member_id INTEGER NOT NULL REFERENCES story_members (id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL,
    PRIMARY KEY (band, member_id)
  ) WITHOUT ROWID;

  CREATE TABLE story_tags (
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, tag)
  ) WITHOUT ROWID;
  CREATE INDEX story_tags_first ON story_tags (tag, first_at);
  CREATE INDEX story_tags_last ON story_tags (tag, last_at);

  CREATE TABLE story_alerts (
    destination_id TEXT NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('alert', 'update')),
    member_id INTEGER NOT NULL,
    change TEXT,
    receipt TEXT,
    sent_at INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (destination_id, story_id, kind)
  );
  CREATE INDEX story_alerts_member ON story_alerts (member_id);

  CREATE TABLE story_followups (
    destination_id TEXT NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL,
    sent_at INTEGER,
    PRIMARY KEY (destination_id, story_id, member_id)
  );
  CREATE INDEX story_followups_pending ON story_followups (destination_id, story_id) WHERE sent_at IS NULL;

  CREATE TABLE digests (
    destination_id TEXT PRIMARY KEY,
    last_at INTEGER NOT NULL
  );
  `,
  // 4: cheaper story writes (bench: ≤ 100 µs per report). A story's outlets live on its row, and
  // tags keep only the story's start time (they are written once, not on every join).
  `
  ALTER TABLE stories ADD COLUMN feeds TEXT NOT NULL DEFAULT '[]';
  UPDATE stories SET feeds = (SELECT json_group_array(DISTINCT feed_id) FROM story_members m WHERE m.story_id = stories.id);
  DROP INDEX story_tags_last;
  CREATE INDEX story_bands_story ON story_bands (story_id);
  `,
  // 5: /timeline word search off a full-text index (bench: ≤ 200 ms over 1M reports, was a scan).
  // Contentless and insert-only: one row per report title (rowid = member id) as it is added to a
  // story's folded text; stories stored before this get one row of their whole folded text
  // (rowid = -story id). Marks stay in tokens, so scripts that need them split like the query.
  `
  CREATE VIRTUAL TABLE story_text USING fts5(text, content='', tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'");
  INSERT INTO story_text (rowid, text) SELECT -id, folded FROM stories;
  `,
  // 6: destinations paused by a permanent delivery error (channel gone, bot removed, token revoked),
  // kept until someone resumes them, so a restart neither forgets the pause nor drops their alerts.
  // IF NOT EXISTS: re-applying it (a rewound user_version) is harmless.
  `
  CREATE TABLE IF NOT EXISTS paused_destinations (
    destination_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    paused_at INTEGER NOT NULL
  );
  `,
  // 7: fewer B-trees written per report on the story path (bench: ≤ 100 µs per report). Follow-ups
  // live in their primary key (WITHOUT ROWID: two trees per insert, not three), and the band index
  // by story goes: no query reads bands by story, and bands are never deleted. Re-appliable (a
  // rewound user_version): the rebuild runs again, the index drop is IF EXISTS.
  `
  CREATE TABLE story_followups_keyed (
    destination_id TEXT NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL,
    sent_at INTEGER,
    PRIMARY KEY (destination_id, story_id, member_id)
  ) WITHOUT ROWID;
  INSERT INTO story_followups_keyed (destination_id, story_id, member_id, sent_at)
    SELECT destination_id, story_id, member_id, sent_at FROM story_followups;
  DROP TABLE story_followups;
  ALTER TABLE story_followups_keyed RENAME TO story_followups;
  CREATE INDEX story_followups_pending ON story_followups (destination_id, story_id) WHERE sent_at IS NULL;
  DROP INDEX IF EXISTS story_bands_story;
  `,
  // 8: new band rows appended in member order, moved into story_bands in bulk (story-recent-bands.ts).
  // No foreign key: story_bands' own checks the rows when they move.
  `
  CREATE TABLE IF NOT EXISTS story_bands_recent (member_id INTEGER NOT NULL, band INTEGER NOT NULL, story_id INTEGER NOT NULL, PRIMARY KEY (member_id, band)) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function userVersion(db: Database): number {
  const version = db.pragma('user_version', { simple: true });
  return typeof version === 'number' ? version : Number(version);
}

/**
 * Applies the migrations this database lacks, each with its version bump in one IMMEDIATE
 * transaction: a crash mid-way leaves the previous version intact, and a second process opening the
 * same file at the same time waits instead of migrating twice.
 */
export function migrate(db: Database): { from: number; to: number } {
  const from = userVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new AppError(
      'storage_error',
      `the database schema is version ${from}, newer than this wirewatch understands (${SCHEMA_VERSION}): ` +
        'upgrade wirewatch or point it at another database file',
      { context: { schemaVersion: from, supported: SCHEMA_VERSION, retryable: false } },
    );
  }
  const step = db.transaction((version: number, sql: string) => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    if (userVersion(db) >= version) return;
    db.exec(sql);
    db.pragma(`user_version = ${version}`);
  });
  MIGRATIONS.forEach((sql, index) => {
    if (index + 1 > from) step.immediate(index + 1, sql);
  });
  return { from, to: userVersion(db) };
}
