import type { Feed, FeedCheck, FeedSpec } from '../../core/feed.js';
import type { FeedStore } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { feedFromRow, prepareRecordCheck, REMOVED_FROM_CONFIG, type FeedRow } from './feed-rows.js';
import { msOf } from './time.js';

/**
 * Feeds and their poll schedule. Workers lease due feeds (owner + expiry) so two schedulers never
 * poll the same feed at once, and a crashed worker's feeds come back when its lease runs out.
 *
 * A feed whose URL changed in config restarts unseeded with fresh validators: the new URL's
 * backlog is seeded silently instead of flooding every channel, and a feed disabled for failing
 * gets a fresh start. A feed removed from config is disabled, not deleted (its history stays), and
 * is enabled again when it comes back.
 */
export function createSqliteFeedStore(db: SqliteDatabase): FeedStore {
  const restartOnNewUrl = db.prepare(`
    UPDATE feeds SET url = @url, seeded = 0, etag = NULL, last_modified = NULL, failures = 0,
      last_error_code = NULL, last_error_message = NULL, disabled_at = NULL, disabled_reason = NULL,
      next_check_at = @now
    WHERE id = @id AND url <> @url`);
  const upsert = db.prepare(`
    INSERT INTO feeds (id, url, name, interval_seconds, alert_newest_on_first_poll, next_check_at, seeded, created_at)
    VALUES (@id, @url, @name, @interval, @alertNewest, @now, 0, @now)
    ON CONFLICT (id) DO UPDATE SET
      name = excluded.name,
      interval_seconds = excluded.interval_seconds,
      alert_newest_on_first_poll = excluded.alert_newest_on_first_poll,
      disabled_at = CASE WHEN disabled_reason = '${REMOVED_FROM_CONFIG}' THEN NULL ELSE disabled_at END,
      disabled_reason = CASE WHEN disabled_reason = '${REMOVED_FROM_CONFIG}' THEN NULL ELSE disabled_reason END`);
  const disableRemoved = db.prepare(`
    UPDATE feeds SET disabled_at = @now, disabled_reason = '${REMOVED_FROM_CONFIG}', lease_owner = NULL, lease_until = NULL
    WHERE disabled_at IS NULL AND id NOT IN (SELECT value FROM json_each(@ids))`);
  const selectDue = db.prepare<{ now: number; limit: number }, FeedRow>(`
    SELECT * FROM feeds
    WHERE disabled_at IS NULL AND next_check_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
    ORDER BY next_check_at, id
    LIMIT @limit`);
  const lease = db.prepare(`
    UPDATE feeds SET lease_owner = @owner, lease_until = @leaseUntil
    WHERE id IN (SELECT value FROM json_each(@ids))`);
  const selectAll = db.prepare<[], FeedRow>('SELECT * FROM feeds ORDER BY id');
  const selectOne = db.prepare<[string], FeedRow>('SELECT * FROM feeds WHERE id = ?');
  const recordCheck = prepareRecordCheck(db);

  const sync = db.transaction((specs: readonly FeedSpec[], now: number) => {
    for (const spec of specs) {
      const row = {
        id: spec.id,
        url: spec.url,
        name: spec.name,
        interval: spec.intervalSeconds,
        alertNewest: spec.alertNewestOnFirstPoll,
        now,
      };
      restartOnNewUrl.run({ id: row.id, url: row.url, now });
      upsert.run(row);
    }
    disableRemoved.run({ now, ids: JSON.stringify(specs.map((spec) => spec.id)) });
  });

  const claim = db.transaction((now: number, limit: number, owner: string, leaseUntil: number): FeedRow[] => {
    const rows = selectDue.all({ now, limit });
    if (rows.length > 0) lease.run({ owner, leaseUntil, ids: JSON.stringify(rows.map((row) => row.id)) });
    return rows;
  });

  const record = db.transaction((feedId: string, check: FeedCheck) => recordCheck(feedId, check));

  return {
    async syncFromConfig(specs: readonly FeedSpec[], now: Date): Promise<void> {
      const at = msOf(now, 'now');
      guard('sync feeds from config', () => sync.immediate(specs, at));
    },
    async claimDue(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<Feed[]> {
      const at = msOf(now, 'now');
      const until = msOf(leaseUntil, 'leaseUntil');
      const count = Math.max(0, Math.floor(limit));
      if (count === 0) return [];
      return guard('claim due feeds', () => claim.immediate(at, count, owner, until)).map(feedFromRow);
    },
    async recordCheck(feedId: string, check: FeedCheck): Promise<void> {
      guard('record a feed check', () => record.immediate(feedId, check));
    },
    async list(): Promise<Feed[]> {
      return guard('list feeds', () => selectAll.all()).map(feedFromRow);
    },
    async get(feedId: string): Promise<Feed | null> {
      const row = guard('read a feed', () => selectOne.get(feedId));
      return row ? feedFromRow(row) : null;
    },
  };
}
