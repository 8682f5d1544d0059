import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { openSqliteDatabase, openSqliteStores, SCHEMA_VERSION } from '../../src/storage/sqlite/index.js';
import { at, entry, feedItem, feedSpec, okCheck, scoreResult, T0 } from '../contracts/stores.contract.js';

const root = mkdtempSync(join(tmpdir(), 'wirewatch-sqlite-durability-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let cases = 0;
const freshPath = (): string => join(root, `case-${++cases}`, 'wirewatch.db');

function openError(path: string): AppError {
  try {
    openSqliteStores(path);
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown;
    throw thrown;
  }
  throw new Error(`opening ${path} unexpectedly succeeded`);
}

describe('SQLite store: restarts', () => {
  it('keeps items and outbox state across a close and reopen, so a restart never re-posts', async () => {
    const path = freshPath();
    const alert = { destinationId: 'd1', profile: 'p', score: 9 };
    const entries = [
      entry(feedItem('k1'), [scoreResult('p', 9)], [alert]),
      entry(feedItem('k2'), [scoreResult('p', 9)], [alert]),
    ];
    const first = openSqliteStores(path);
    await first.feeds.syncFromConfig([feedSpec('a')], T0);
    expect(await first.ingest.commit('a', entries, okCheck(T0), T0)).toEqual({ stored: 2, queued: 2 });
    const [sent] = await first.outbox.claimPending(at(1), 1, 'r1', at(61));
    await first.outbox.markSent(sent!.id, at(2), 'm1');
    await first.close();

    const second = openSqliteStores(path);
    expect(await second.feeds.get('a')).toMatchObject({ seeded: true, etag: '"v1"' });
    expect(await second.ingest.unseenKeys('a', ['k1', 'k2', 'k3'])).toEqual(new Set(['k3']));
    // The poller sees the same items again after the restart: nothing new is queued.
    expect(await second.ingest.commit('a', entries, okCheck(at(10)), at(10))).toEqual({ stored: 0, queued: 0 });
    const pending = await second.outbox.claimPending(at(100), 10, 'r2', at(160));
    expect(pending.map((row) => row.item.key)).toEqual(['k2']);
    await second.close();
  });

  it('applies migrations once: reopening leaves the schema version and data as they were', async () => {
    const path = freshPath();
    const first = openSqliteStores(path);
    await first.feeds.syncFromConfig([feedSpec('a')], T0);
    await first.close();
    const again = openSqliteStores(path);
    await again.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const feeds = raw.prepare('SELECT count(*) FROM feeds').pluck().get();
    raw.close();
    expect(feeds).toBe(1);
  });

  it('opens with WAL, synchronous=NORMAL, foreign keys and a 5 s busy timeout', () => {
    const db = openSqliteDatabase(freshPath());
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it('rejects calls after close with a storage error', async () => {
    const stores = openSqliteStores(freshPath());
    await stores.close();
    await expect(stores.feeds.list()).rejects.toMatchObject({ code: 'storage_error' });
    await stores.close();
  });
});

describe('SQLite store: files it cannot use', () => {
  it('refuses a database from a newer wirewatch, saying so', () => {
    const path = freshPath();
    openSqliteDatabase(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const error = openError(path);
    expect(error.code).toBe('storage_error');
    expect(error.message).toMatch(/newer than this wirewatch/);
  });

  it('refuses a corrupt file with a clear message', () => {
    const path = freshPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, Buffer.alloc(16_384, 0x5a));
    const error = openError(path);
    expect(error.code).toBe('storage_error');
    expect(error.message).toMatch(/corrupt or not a SQLite database/);
  });

  it('refuses a path that is a folder, or whose folder cannot be made', () => {
    const folder = join(root, `case-${++cases}`);
    mkdirSync(folder, { recursive: true });
    expect(openError(folder).code).toBe('storage_error');
    const blocker = join(root, `case-${++cases}-file`);
    writeFileSync(blocker, 'not a folder');
    const error = openError(join(blocker, 'wirewatch.db'));
    expect(error.code).toBe('storage_error');
    expect(error.message).toMatch(/cannot create the folder/);
  });

  it('refuses a read-only file at open, before anything else runs', () => {
    const folder = join(root, `case-${++cases}`);
    const path = join(folder, 'wirewatch.db');
    openSqliteDatabase(path).close();
    chmodSync(path, 0o444);
    // A writable folder: SQLite then even takes the WAL write lock; only a page write fails.
    chmodSync(folder, 0o777);
    chmodSync(root, 0o755);
    try {
      if (process.getuid?.() !== 0) {
        const error = openError(path);
        expect(error.code).toBe('storage_error');
        expect(error.message).toMatch(/read-only/);
        return;
      }
      // Root writes anywhere: open it as an unprivileged user in a child process instead.
      const module = resolve('src/storage/sqlite/index.ts');
      const probe = join(root, 'read-only-probe.mts');
      writeFileSync(
        probe,
        `import { openSqliteStores } from ${JSON.stringify(module)};\n` +
          `try { openSqliteStores(process.argv[2]); console.log('opened'); }\n` +
          `catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }\n`,
      );
      chmodSync(probe, 0o644);
      const child = spawnSync(process.execPath, ['--import', 'tsx', probe, path], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(child.stderr).toBe('');
      const outcome = JSON.parse(child.stdout) as { code: string; message: string };
      expect(outcome.code).toBe('storage_error');
      expect(outcome.message).toMatch(/read-only/);
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(root, 0o700);
    }
  });
});
