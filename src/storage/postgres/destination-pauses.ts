import type { DestinationPauses, PausedDestination } from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { dateOf } from './rows.js';

/** Paused destinations (migration 4), shared by every worker. The outbox store skips their rows when claiming. */
export function createPostgresDestinationPauses(db: PostgresDatabase): DestinationPauses {
  return {
    async pauseDestination(destinationId: string, reason: string, at: Date): Promise<boolean> {
      // A second pause keeps the first reason and time; only the worker whose row went in reports it.
      const inserted = await db.query<{ destination_id: string }>(
        'pause a destination',
        `INSERT INTO paused_destinations (destination_id, reason, paused_at) VALUES ($1, $2, $3)
         ON CONFLICT (destination_id) DO NOTHING RETURNING destination_id`,
        [destinationId, reason, dateOf(at, 'at')],
      );
      return inserted.length === 1;
    },
    async resumeDestination(destinationId: string): Promise<boolean> {
      const deleted = await db.query<{ destination_id: string }>(
        'resume a destination',
        'DELETE FROM paused_destinations WHERE destination_id = $1 RETURNING destination_id',
        [destinationId],
      );
      return deleted.length === 1;
    },
    async pausedDestinations(): Promise<PausedDestination[]> {
      const rows = await db.query<{ destination_id: string; reason: string; paused_at: Date }>(
        'read paused destinations',
        'SELECT destination_id, reason, paused_at FROM paused_destinations ORDER BY paused_at, destination_id',
      );
      return rows.map((row) => ({ destinationId: row.destination_id, reason: row.reason, pausedAt: row.paused_at.toISOString() }));
    },
  };
}
