import type pg from 'pg';
import { AppError } from '../../core/errors.js';
import type { Feed, FeedCheck, FeedSpec } from '../../core/feed.js';
import type { FeedStore } from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { dateOf, dateOrNull, feedFromRow, type FeedRow } from './rows.js';

/** Why syncFromConfig disables a feed; a poll finishing later must not re-enable it. */
export const REMOVED_FROM_CONFIG = 'removed from config';

const RECORD_CHECK = `
  UPDATE feeds SET
    last_checked_at = $2, next_check_at = $3, etag = $4, last_modified = $5, failures = $6,
    last_error_code = $7, last_error_message = $8,
    disabled_at = CASE WHEN disabled_reason = '${REMOVED_FROM_CONFIG}' THEN disabled_at ELSE $9 END,
    disabled_reason = CASE WHEN disabled_reason = '${REMOVED_FROM_CONFIG}' THEN disabled_reason ELSE $10 END,
    seeded = $11, lease_owner = NULL, lease_until = NULL
  WHERE id = $1
  RETURNING id`;

function recordCheckValues(feedId: string, check: FeedCheck): unknown[] {
  return [
    feedId,
    dateOf(check.checkedAt, 'checkedAt'),
    dateOf(check.nextCheckAt, 'nextCheckAt'),
    check.etag,
    check.lastModified,
    check.failures,
    check.lastError?.code ?? null,
    check.lastError?.message ?? null,
    dateOrNull(check.disabledAt, 'disabledAt'),
    check.disabledReason,
    check.seeded,
  ];
}

const noSuchFeed = (feedId: string): AppError => new AppError('not_found', `no feed with id ${feedId}`, { context: { feedId } });

/** Writes one poll's outcome and releases the lease; shared with IngestStore.commit's transaction. */
export async function recordCheckOn(client: pg.PoolClient, feedId: string, check: FeedCheck): Promise<void> {
  const result = await client.query(RECORD_CHECK, recordCheckValues(feedId, check));
  if (result.rowCount === 0) throw noSuchFeed(feedId);
}

/**
 * Feeds and their poll schedule, shared by every worker. A claim picks due, unleased feeds with
 * `FOR UPDATE SKIP LOCKED` and stamps owner + expiry in the same statement: two workers claiming at
 * the same instant get disjoint feeds without waiting on each other, and a killed worker's feeds
 * come back to the others once its lease runs out. Config sync rules are the SQLite store's.
 */
export function createPostgresFeedStore(db: PostgresDatabase): FeedStore {
  return {
    async syncFromConfig(specs: readonly FeedSpec[], now: Date): Promise<void> {
      const at = dateOf(now, 'now');
      await db.transaction('sync feeds from config', async (client) => {
        // Concurrent starts of N workers serialize here instead of deadlocking on row order.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('wirewatch-sync-feeds'))");
        const columns = {
          ids: specs.map((spec) => spec.id),
          urls: specs.map((spec) => spec.url),
          names: specs.map((spec) => spec.name),
          intervals: specs.map((spec) => spec.intervalSeconds),
          newest: specs.map((spec) => spec.alertNewestOnFirstPoll),
        };
        // A changed URL restarts the feed unseeded, with fresh validators, due now.
        await client.query(
          `UPDATE feeds f SET url = s.url, seeded = false, etag = NULL, last_modified = NULL, failures = 0,
             last_error_code = NULL, last_error_message = NULL, disabled_at = NULL, disabled_reason = NULL,
             next_check_at = $3
           FROM unnest($1::text[], $2::text[]) AS s(id, url)
           WHERE f.id = s.id AND f.url <> s.url`,
          [columns.ids, columns.urls, at],
        );
        await client.query(
          `INSERT INTO feeds (id, url, name, interval_seconds, alert_newest_on_first_poll, next_check_at, seeded, created_at)
           SELECT id, url, name, interval, newest, $6, false, $6
           FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) AS s(id, url, name, interval, newest)
           ORDER BY id
           ON CONFLICT (id) DO UPDATE SET
             name = excluded.name,
             interval_seconds = excluded.interval_seconds,
             alert_newest_on_first_poll = excluded.alert_newest_on_first_poll,
             disabled_at = CASE WHEN feeds.disabled_reason = '${REMOVED_FROM_CONFIG}' THEN NULL ELSE feeds.disabled_at END,
             disabled_reason = CASE WHEN feeds.disabled_reason = '${REMOVED_FROM_CONFIG}' THEN NULL ELSE feeds.disabled_reason END`,
          [columns.ids, columns.urls, columns.names, columns.intervals, columns.newest, at],
        );
        await client.query(
          `UPDATE feeds SET disabled_at = $2, disabled_reason = '${REMOVED_FROM_CONFIG}', lease_owner = NULL, lease_until = NULL
           WHERE disabled_at IS NULL AND NOT (id = ANY($1::text[]))`,
          [columns.ids, at],
        );
      });
    },

    async claimDue(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<Feed[]> {
      const count = Math.max(0, Math.floor(limit));
      if (count === 0) return [];
      const rows = await db.query<FeedRow>(
        'claim due feeds',
        `WITH due AS (
           SELECT id FROM feeds
           WHERE disabled_at IS NULL AND next_check_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
           ORDER BY next_check_at, id
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
         UPDATE feeds f SET lease_owner = $3, lease_until = $4
         FROM due WHERE f.id = due.id
         RETURNING f.*`,
        [dateOf(now, 'now'), count, owner, dateOf(leaseUntil, 'leaseUntil')],
      );
      // UPDATE … RETURNING keeps no order: restore the claim order.
      rows.sort((a, b) => a.next_check_at.getTime() - b.next_check_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return rows.map(feedFromRow);
    },

    async recordCheck(feedId: string, check: FeedCheck): Promise<void> {
      const rows = await db.query('record a feed check', RECORD_CHECK, recordCheckValues(feedId, check));
      if (rows.length === 0) throw noSuchFeed(feedId);
    },

    async list(): Promise<Feed[]> {
      return (await db.query<FeedRow>('list feeds', 'SELECT * FROM feeds ORDER BY id')).map(feedFromRow);
    },

    async get(feedId: string): Promise<Feed | null> {
      const [row] = await db.query<FeedRow>('read a feed', 'SELECT * FROM feeds WHERE id = $1', [feedId]);
      return row ? feedFromRow(row) : null;
    },
  };
}
