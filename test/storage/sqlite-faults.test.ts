import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import type { IngestEntry } from '../../src/pipeline/ports.js';
import { openSqliteDatabase, openSqliteStores, sqliteStoresOn } from '../../src/storage/sqlite/index.js';
import { at, entry, feedItem, feedSpec, okCheck, scoreResult, T0 } from '../contracts/stores.contract.js';

const root = mkdtempSync(join(tmpdir(), 'wirewatch-sqlite-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let cases = 0;
const freshPath = (): string => join(root, `case-${++cases}`, 'wirewatch.db');

/** A batch big enough to need many new pages: 200 items with 4 KB summaries, each alerting. */
function bigBatch(prefix: string): IngestEntry[] {
  return Array.from({ length: 200 }, (_, index) =>
    entry(
      feedItem(`${prefix}-${index}`, { summary: `${prefix} ${index} `.repeat(400) }),
      [scoreResult('p', 9, ['baku', `entity-${index}`])],
      [{ destinationId: 'd1', profile: 'p', score: 9 }],
    ),
  );
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown;
    throw thrown;
  }
  throw new Error('expected the call to reject');
}

describe('SQLite store: disk full (PRAGMA max_page_count)', () => {
  it('rolls the whole commit back with storage_full, and works again once there is room', async () => {
    const db = openSqliteDatabase(freshPath());
    const stores = sqliteStoresOn(db);
    await stores.feeds.syncFromConfig([feedSpec('a')], T0);
    await stores.feeds.claimDue(T0, 1, 'w1', at(60));
    const batch = bigBatch('full');
    const pages = db.pragma('page_count', { simple: true });
    db.pragma(`max_page_count = ${Number(pages) + 2}`);

    const error = await rejection(stores.ingest.commit('a', batch, okCheck(at(1), { etag: '"new"' }), at(1)));
    expect(error.code).toBe('storage_full');

    // Nothing half-written: no item, no outbox row, no feed check.
    const keys = batch.map((item) => item.item.key);
    expect((await stores.ingest.unseenKeys('a', keys)).size).toBe(keys.length);
    expect(await stores.outbox.pendingCount()).toBe(0);
    expect(await stores.feeds.get('a')).toMatchObject({ etag: null, seeded: false, lastCheckedAt: null });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    db.pragma('max_page_count = 1073741823');
    expect(await stores.ingest.commit('a', batch, okCheck(at(2)), at(2))).toEqual({ stored: 200, queued: 200 });
    expect(await stores.outbox.pendingCount()).toBe(200);
    await stores.close();
  });
});

describe('SQLite store: another process holds the write lock (SQLITE_BUSY)', () => {
  it('rejects after the busy timeout with a retryable storage_error, then commits once the lock is gone', async () => {
    const path = freshPath();
    const stores = openSqliteStores(path, { busyTimeoutMs: 50 });
    await stores.feeds.syncFromConfig([feedSpec('a')], T0);
    await stores.ingest.commit('a', [entry(feedItem('before'), [scoreResult('p', 9)], [])], okCheck(T0), T0);

    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    other.prepare('UPDATE feeds SET name = ? WHERE id = ?').run('held', 'a');
    const batch = bigBatch('busy');
    try {
      const error = await rejection(stores.ingest.commit('a', batch, okCheck(at(1)), at(1)));
      expect(error.code).toBe('storage_error');
      expect(error.context).toMatchObject({ retryable: true, sqliteCode: expect.stringMatching(/^SQLITE_BUSY/) });
      // Readers are not blocked by a writer in WAL mode.
      expect(await stores.ingest.unseenKeys('a', ['before'])).toEqual(new Set());
      const claimError = await rejection(stores.outbox.claimPending(at(1), 10, 'r1', at(61)));
      expect(claimError.context).toMatchObject({ retryable: true });
    } finally {
      other.exec('COMMIT');
      other.close();
    }

    expect(await stores.feeds.get('a')).toMatchObject({ name: 'held', lastCheckedAt: T0.toISOString() });
    expect((await stores.ingest.unseenKeys('a', ['busy-0'])).size).toBe(1);
    expect(await stores.ingest.commit('a', batch, okCheck(at(2)), at(2))).toEqual({ stored: 200, queued: 200 });
    await stores.close();

    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});
