import type { AlertFeedback, OutboxEntry, OutboxStore } from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { createPostgresDestinationPauses } from './destination-pauses.js';
import { dateOf, ITEM_COLUMNS, itemFromRow, scoresFromRow, type ItemRow } from './rows.js';

interface OutboxRow extends ItemRow {
  readonly outbox_id: number;
  readonly destination_id: string;
  readonly profile: string;
  readonly score: number;
  readonly attempts: number;
  readonly created_at: Date;
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
    createdAt: row.created_at.toISOString(),
  };
}

/** The Postgres outbox implements the port's optional in-doubt and feedback methods too. */
export type PostgresOutboxStore = OutboxStore & Required<Pick<OutboxStore, 'beginAttempt' | 'settleAttempt' | 'recordFeedback'>>;

/**
 * The transactional outbox shared by every worker. Pending rows are leased (owner + expiry) with
 * `FOR UPDATE SKIP LOCKED`, so two relays never send the same row, and a relay killed mid-send
 * leaves rows that come back when the lease runs out. Only 'pending' rows change state; rows of a
 * paused destination stay pending and are not handed out until it is resumed.
 */
export function createPostgresOutboxStore(db: PostgresDatabase): PostgresOutboxStore {
  const write = async (operation: string, sql: string, values: unknown[]): Promise<void> => {
    await db.query(operation, sql, values);
  };
  return {
    ...createPostgresDestinationPauses(db),
    async claimPending(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<OutboxEntry[]> {
      const count = Math.max(0, Math.floor(limit));
      if (count === 0) return [];
      const rows = await db.query<OutboxRow>(
        'claim pending alerts',
        `WITH claimable AS (
           SELECT id FROM outbox
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
             AND destination_id NOT IN (SELECT destination_id FROM paused_destinations)
           ORDER BY created_at, id
           LIMIT $2
           FOR UPDATE SKIP LOCKED),
         leased AS (
           UPDATE outbox o SET lease_owner = $3, lease_until = $4
           FROM claimable c WHERE o.id = c.id
           RETURNING o.id, o.destination_id, o.item_id, o.profile, o.score, o.attempts, o.created_at)
         SELECT l.id AS outbox_id, l.destination_id, l.profile, l.score, l.attempts, l.created_at,
                f.name AS feed_name, ${ITEM_COLUMNS}
         FROM leased l
         JOIN items i ON i.id = l.item_id
         JOIN feeds f ON f.id = i.feed_id
         ORDER BY l.created_at, l.id`,
        [dateOf(now, 'now'), count, owner, dateOf(leaseUntil, 'leaseUntil')],
      );
      return rows.map(entryFromRow);
    },
    markSent: (id, sentAt, receipt) =>
      write(
        'mark an alert sent',
        `UPDATE outbox SET status = 'sent', sent_at = $2, receipt = $3, lease_owner = NULL, lease_until = NULL, attempt_id = NULL
         WHERE id = $1 AND status <> 'sent'`,
        [id, dateOf(sentAt, 'sentAt'), receipt],
      ),
    markRetry: (id, error, retryAt) =>
      write(
        'schedule an alert retry',
        `UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND status = 'pending'`,
        [id, error, dateOf(retryAt, 'retryAt')],
      ),
    defer: (id, retryAt) =>
      write(
        'defer an alert',
        `UPDATE outbox SET next_attempt_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [id, dateOf(retryAt, 'retryAt')],
      ),
    markDead: (id, reason, at) =>
      write(
        'mark an alert dead',
        `UPDATE outbox SET status = 'dead', last_error = $2, dead_at = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND status = 'pending'`,
        [id, reason, dateOf(at, 'at')],
      ),
    async pendingCount(): Promise<number> {
      const [row] = await db.query<{ count: number }>('count pending alerts', "SELECT count(*) AS count FROM outbox WHERE status = 'pending'");
      return row?.count ?? 0;
    },
    async beginAttempt(id: number, attemptId: string, at: Date): Promise<{ inDoubt: boolean }> {
      return db.transaction('record a delivery attempt', async (client) => {
        // An attempt id left on the row means an earlier send began and its outcome was never recorded.
        const before = await client.query<{ attempt_id: string | null }>('SELECT attempt_id FROM outbox WHERE id = $1 FOR UPDATE', [id]);
        await client.query("UPDATE outbox SET attempt_id = $2, attempt_started_at = $3 WHERE id = $1 AND status = 'pending'", [
          id,
          attemptId,
          dateOf(at, 'at'),
        ]);
        return { inDoubt: typeof before.rows[0]?.attempt_id === 'string' };
      });
    },
    settleAttempt: (id, attemptId) =>
      write('settle a delivery attempt', 'UPDATE outbox SET attempt_id = NULL WHERE id = $1 AND attempt_id = $2', [id, attemptId]),
    recordFeedback: (feedback: AlertFeedback) =>
      write(
        'record alert feedback',
        `INSERT INTO alert_feedback (outbox_id, user_id, platform, vote, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (outbox_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at, platform = excluded.platform`,
        [feedback.outboxId, feedback.userId, feedback.platform, feedback.vote, dateOf(feedback.at, 'at')],
      ),
    // Served by the partial index outbox_pending (created_at, id).
    async oldestPendingAt(): Promise<Date | null> {
      const [row] = await db.query<{ oldest: Date | null }>(
        'read the outbox age',
        "SELECT min(created_at) AS oldest FROM outbox WHERE status = 'pending'",
      );
      return row?.oldest ?? null;
    },
  };
}
