import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import { storageError } from './errors.js';
import { migrate } from './migrations.js';

export type SqliteDatabase = Database.Database;

export interface SqliteOptions {
  /** How long a writer waits for another connection's write lock before SQLITE_BUSY (default 5000). */
  readonly busyTimeoutMs?: number;
  /** A story takes at most this many reports (config stories.maxItems; default 200). */
  readonly storyMaxItems?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

function ensureFolder(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    throw new AppError('storage_error', `cannot create the folder for the database ${path}: ${reason}`, {
      context: { retryable: false },
      cause: thrown,
    });
  }
}

/**
 * SQLite silently opens a file it may not write as read-only, and in WAL mode even takes the write
 * lock on it; only a page write fails. Write (and roll back) the header once so a read-only file
 * fails at open, not at the first poll.
 */
function probeWritable(db: SqliteDatabase, version: number): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.pragma(`user_version = ${version}`);
  } finally {
    db.exec('ROLLBACK');
  }
}

/**
 * Opens (creating if needed) and migrates a SQLite database with the settings performance.md §4
 * measured: WAL with synchronous=NORMAL (durable at each checkpoint, no fsync per commit), a busy
 * timeout so concurrent writers wait instead of failing, and foreign keys enforced.
 *
 * A corrupt, read-only or unopenable file fails here, before anything connects to chat, with an
 * AppError('storage_error') naming the problem; so does a schema newer than this build.
 */
export function openSqliteDatabase(path: string, options: SqliteOptions = {}): SqliteDatabase {
  if (path !== ':memory:') ensureFolder(path);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: SqliteDatabase | null = null;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    // 32 MiB of page cache (was 64): it fills as the store grows and counts in RSS; the poll bench's
    // peak was 74 MB lower with 8 MiB, and 32 MiB keeps hot index pages for /timeline queries.
    db.pragma('cache_size = -32768');
    // Checkpoint every ~40 MB of WAL instead of 4 MB: each checkpoint fsyncs and copies pages back,
    // and hot pages written by many commits are copied once. The reference measured +25 % insert
    // rate at 10,000 (performance.md §4); the stories bench's commits went from ~25 to ~16 µs a report.
    db.pragma('wal_autocheckpoint = 10000');
    const { to } = migrate(db);
    probeWritable(db, to);
    return db;
  } catch (thrown) {
    try {
      db?.close();
    } catch {
      // The original fault is the one worth reporting.
    }
    throw storageError(`open the database ${path}`, thrown);
  }
}
