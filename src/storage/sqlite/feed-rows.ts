import { AppError } from '../../core/errors.js';
import type { Feed, FeedCheck } from '../../core/feed.js';
import type { SqliteDatabase } from './database.js';
import { isoOf, isoOrNull, msOf, msOrNull } from './time.js';

/** Why syncFromConfig disables a feed; a poll finishing later must not re-enable it. */
export const REMOVED_FROM_CONFIG = 'removed from config';

export interface FeedRow {
  readonly id: string;
  readonly url: string;
  readonly name: string;
  readonly interval_seconds: number;
  readonly alert_newest_on_first_poll: number;
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly next_check_at: number;
  readonly last_checked_at: number | null;
  readonly failures: number;
  readonly last_error_code: string | null;
  readonly last_error_message: string | null;
  readonly disabled_at: number | null;
  readonly disabled_reason: string | null;
  readonly seeded: number;
}

export function feedFromRow(row: FeedRow): Feed {
  return {
    id: row.id,
    url: row.url,
    name: row.name,
    intervalSeconds: row.interval_seconds,
    etag: row.etag,
    lastModified: row.last_modified,
    nextCheckAt: isoOf(row.next_check_at),
    lastCheckedAt: isoOrNull(row.last_checked_at),
    failures: row.failures,
    lastError:
      row.last_error_code === null ? null : { code: row.last_error_code, message: row.last_error_message ?? '' },
    disabledAt: isoOrNull(row.disabled_at),
    disabledReason: row.disabled_reason,
    seeded: row.seeded === 1,
    alertNewestOnFirstPoll: row.alert_newest_on_first_poll,
  };
}

/**
 * Writes one poll's outcome to the feed record and releases its lease. Shared by FeedStore
 * (failed and not-modified polls) and IngestStore.commit (same transaction as the items).
 */
export function prepareRecordCheck(db: SqliteDatabase): (feedId: string, check: FeedCheck) => void {
  const statement = db.prepare(`
    UPDATE feeds SET
      last_checked_at = @checkedAt,
      next_check_at = @nextCheckAt,
      etag = @etag,
      last_modified = @lastModified,
      failures = @failures,
      last_error_code = @errorCode,
      last_error_message = @errorMessage,
      disabled_at = CASE WHEN disabled_reason = '${REMOVED_FROM_CONFIG}' THEN disabled_at ELSE @disabledAt END,
      disabled_reason = CASE WHEN disabled_reason = '${REMOVED_FROM_CONFIG}' THEN disabled_reason ELSE @disabledReason END,
      seeded = @seeded,
      lease_owner = NULL,
      lease_until = NULL
    WHERE id = @id`);
  return (feedId, check) => {
    const result = statement.run({
      id: feedId,
      checkedAt: msOf(check.checkedAt, 'checkedAt'),
      nextCheckAt: msOf(check.nextCheckAt, 'nextCheckAt'),
      etag: check.etag,
      lastModified: check.lastModified,
      failures: check.failures,
      errorCode: check.lastError?.code ?? null,
      errorMessage: check.lastError?.message ?? null,
      disabledAt: msOrNull(check.disabledAt, 'disabledAt'),
      disabledReason: check.disabledReason,
      seeded: check.seeded ? 1 : 0,
    });
    if (result.changes === 0) throw new AppError('not_found', `no feed with id ${feedId}`, { context: { feedId } });
  };
}
