import type { DestinationPauses, PausedDestination } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { isoOf, msOf } from './time.js';

/** Paused destinations (migration 6). The outbox store serves these and skips their rows when claiming. */
export function createSqliteDestinationPauses(db: SqliteDatabase): DestinationPauses {
  // A second pause keeps the first reason and time: that is when the destination went wrong.
  const pause = db.prepare('INSERT INTO paused_destinations (destination_id, reason, paused_at) VALUES (?, ?, ?) ON CONFLICT (destination_id) DO NOTHING');
  const resume = db.prepare('DELETE FROM paused_destinations WHERE destination_id = ?');
  const list = db.prepare<[], { destination_id: string; reason: string; paused_at: number }>(
    'SELECT destination_id, reason, paused_at FROM paused_destinations ORDER BY paused_at, destination_id',
  );
  return {
    async pauseDestination(destinationId: string, reason: string, at: Date): Promise<boolean> {
      const when = msOf(at, 'at');
      return guard('pause a destination', () => pause.run(destinationId, reason, when).changes === 1);
    },
    async resumeDestination(destinationId: string): Promise<boolean> {
      return guard('resume a destination', () => resume.run(destinationId).changes === 1);
    },
    async pausedDestinations(): Promise<PausedDestination[]> {
      const rows = guard('read paused destinations', () => list.all());
      return rows.map((row) => ({ destinationId: row.destination_id, reason: row.reason, pausedAt: isoOf(row.paused_at) }));
    },
  };
}
