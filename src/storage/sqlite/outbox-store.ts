import type { AlertFeedback, OutboxEntry, OutboxStore } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { createSqliteDestinationPauses } from './destination-pauses.js';
import { guard } from './errors.js';
import { ITEM_COLUMNS, itemFromRow, scoresFromRow, type ItemRow } from './item-rows.js';
import { isoOf, msOf } from './time.js';

interface OutboxRow extends ItemRow {
  readonly outbox_id: number;
  readonly destination_id: string;
  readonly profile: string;
  readonly score: number;
  readonly attempts: number;
  readonly created_at: number;
  readonly feed_name: string;
}

function entryFromRow(row: OutboxRow): OutboxEntry {
  return {
    id: row.outbox_id,
    destinationId: row.destination_id,
    item: itemFromRow(row),
    feedName: row.feed_name,
    profile: row.profile,
    score: row.score,
    scores: scoresFromRow(row),
    attempts: row.attempts,
    createdAt: isoOf(row.created_at),
  };
}

/**
 * The transactional outbox. Rows are leased (owner + expiry) while a relay sends them, so two
 * relays never send the same row and a crashed relay's rows come back once the lease expires.
 * Only 'pending' rows change state: a row once 'sent' or 'dead' stays so. Rows of a paused
 * destination stay pending and are not handed out until it is resumed.
 */
export function createSqliteOutboxStore(db: SqliteDatabase): OutboxStore {
  const selectClaimable = db.prepare<{ now: number; limit: number }, OutboxRow>(`
    SELECT o.id AS outbox_id, o.destination_id, o.profile, o.score, o.attempts, o.created_at,
           f.name AS feed_name, ${ITEM_COLUMNS}
    FROM outbox o
    JOIN items i ON i.id = o.item_id
    JOIN feeds f ON f.id = i.feed_id
    WHERE o.status = 'pending' AND o.next_attempt_at <= @now
      AND (o.lease_until IS NULL OR o.lease_until <= @now)
      AND o.destination_id NOT IN (SELECT destination_id FROM paused_destinations)
    ORDER BY o.created_at, o.id
    LIMIT @limit`);
  const lease = db.prepare(`
    UPDATE outbox SET lease_owner = @owner, lease_until = @leaseUntil
    WHERE id IN (SELECT value FROM json_each(@ids))`);
  const sent = db.prepare(`
    UPDATE outbox SET status = 'sent', sent_at = @at, receipt = @receipt, lease_owner = NULL, lease_until = NULL,
      attempt_id = NULL
    WHERE id = @id AND status <> 'sent'`);
  const retry = db.prepare(`
    UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @retryAt,
      lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND status = 'pending'`);
  const defer = db.prepare(`
    UPDATE outbox SET next_attempt_at = @retryAt,
      lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND status = 'pending'`);
  const dead = db.prepare(`
    UPDATE outbox SET status = 'dead', last_error = @reason, dead_at = @at, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND status = 'pending'`);
  const countPending = db.prepare<[], number>("SELECT count(*) FROM outbox WHERE status = 'pending'").pluck();
  // Served by the partial index outbox_pending (created_at, id): one index probe, not a scan.
  const oldestPending = db.prepare<[], number | null>("SELECT min(created_at) FROM outbox WHERE status = 'pending'").pluck();
  // An attempt id left on a row means an earlier send began and its outcome was never recorded.
  const previousAttempt = db.prepare<{ id: number }, { attempt_id: string | null }>('SELECT attempt_id FROM outbox WHERE id = @id');
  const startAttempt = db.prepare(`
    UPDATE outbox SET attempt_id = @attemptId, attempt_started_at = @at WHERE id = @id AND status = 'pending'`);
  const settle = db.prepare('UPDATE outbox SET attempt_id = NULL WHERE id = @id AND attempt_id = @attemptId');
  const vote = db.prepare(`
    INSERT INTO alert_feedback (outbox_id, user_id, platform, vote, at) VALUES (@outboxId, @userId, @platform, @vote, @at)
    ON CONFLICT (outbox_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at, platform = excluded.platform`);
  const begin = db.transaction((id: number, attemptId: string, at: number) => {
    const before = previousAttempt.get({ id });
    startAttempt.run({ id, attemptId, at });
    return { inDoubt: typeof before?.attempt_id === 'string' };
  });

  const claim = db.transaction((now: number, limit: number, owner: string, leaseUntil: number) => {
    const rows = selectClaimable.all({ now, limit });
    if (rows.length > 0) lease.run({ owner, leaseUntil, ids: JSON.stringify(rows.map((row) => row.outbox_id)) });
    return rows;
  });
  const write = db.transaction((statement: typeof sent, params: Record<string, unknown>) => {
    statement.run(params);
  });

  return {
    ...createSqliteDestinationPauses(db),
    async claimPending(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<OutboxEntry[]> {
      const at = msOf(now, 'now');
      const until = msOf(leaseUntil, 'leaseUntil');
      const count = Math.max(0, Math.floor(limit));
      if (count === 0) return [];
      return guard('claim pending alerts', () => claim.immediate(at, count, owner, until)).map(entryFromRow);
    },
    async markSent(id: number, sentAt: Date, receipt: string | null): Promise<void> {
      const at = msOf(sentAt, 'sentAt');
      guard('mark an alert sent', () => write.immediate(sent, { id, at, receipt }));
    },
    async markRetry(id: number, error: string, retryAt: Date): Promise<void> {
      const at = msOf(retryAt, 'retryAt');
      guard('schedule an alert retry', () => write.immediate(retry, { id, error, retryAt: at }));
    },
    async defer(id: number, retryAt: Date): Promise<void> {
      const at = msOf(retryAt, 'retryAt');
      guard('defer an alert', () => write.immediate(defer, { id, retryAt: at }));
    },
    async markDead(id: number, reason: string, at: Date): Promise<void> {
      const when = msOf(at, 'at');
      guard('mark an alert dead', () => write.immediate(dead, { id, reason, at: when }));
    },
    async pendingCount(): Promise<number> {
      return guard('count pending alerts', () => countPending.get() ?? 0);
    },
    async oldestPendingAt(): Promise<Date | null> {
      const oldest = guard('read the outbox age', () => oldestPending.get() ?? null);
      return oldest === null ? null : new Date(oldest);
    },
    async beginAttempt(id: number, attemptId: string, at: Date): Promise<{ inDoubt: boolean }> {
      const when = msOf(at, 'at');
      return guard('record a delivery attempt', () => begin.immediate(id, attemptId, when));
    },
    async settleAttempt(id: number, attemptId: string): Promise<void> {
      guard('settle a delivery attempt', () => write.immediate(settle, { id, attemptId }));
    },
    async recordFeedback(feedback: AlertFeedback): Promise<void> {
      const at = msOf(feedback.at, 'at');
      const params = { outboxId: feedback.outboxId, userId: feedback.userId, platform: feedback.platform, vote: feedback.vote, at };
      guard('record alert feedback', () => write.immediate(vote, params));
    },
  };
}
