import type { WatchTerm, WatchTermStore } from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { dateOf } from './rows.js';

interface WatchTermRow {
  readonly destination_id: string;
  readonly term: string;
  readonly weight: number;
  readonly aliases: unknown;
  readonly negative: boolean;
  readonly created_by: string;
  readonly created_at: Date;
}

function termFromRow(row: WatchTermRow): WatchTerm {
  return {
    destinationId: row.destination_id,
    term: row.term,
    weight: row.weight,
    aliases: Array.isArray(row.aliases) ? row.aliases.filter((alias): alias is string => typeof alias === 'string') : [],
    negative: row.negative,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

/** Per-channel watch terms, unique per (destination, term) as given (the SQLite store's rules). */
export function createPostgresWatchTermStore(db: PostgresDatabase): WatchTermStore {
  return {
    async list(destinationId: string): Promise<WatchTerm[]> {
      const rows = await db.query<WatchTermRow>(
        'list watch terms',
        'SELECT * FROM watch_terms WHERE destination_id = $1 ORDER BY created_at, term COLLATE "C"',
        [destinationId],
      );
      return rows.map(termFromRow);
    },
    async add(term: WatchTerm): Promise<void> {
      await db.query(
        'add a watch term',
        `INSERT INTO watch_terms (destination_id, term, weight, aliases, negative, created_by, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
         ON CONFLICT (destination_id, term) DO UPDATE SET
           weight = excluded.weight, aliases = excluded.aliases, negative = excluded.negative,
           created_by = excluded.created_by, created_at = excluded.created_at`,
        [term.destinationId, term.term, term.weight, JSON.stringify(term.aliases), term.negative, term.createdBy, dateOf(term.createdAt, 'createdAt')],
      );
    },
    async remove(destinationId: string, term: string): Promise<boolean> {
      const rows = await db.query(
        'remove a watch term',
        'DELETE FROM watch_terms WHERE destination_id = $1 AND term = $2 RETURNING term',
        [destinationId, term],
      );
      return rows.length > 0;
    },
  };
}
