import type { WatchTerm, WatchTermStore } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { isoOf, msOf } from './time.js';

interface WatchTermRow {
  readonly destination_id: string;
  readonly term: string;
  readonly weight: number;
  readonly aliases: string;
  readonly negative: number;
  readonly created_by: string;
  readonly created_at: number;
}

function termFromRow(row: WatchTermRow): WatchTerm {
  const aliases: unknown = JSON.parse(row.aliases);
  return {
    destinationId: row.destination_id,
    term: row.term,
    weight: row.weight,
    aliases: Array.isArray(aliases) ? aliases.filter((alias): alias is string => typeof alias === 'string') : [],
    negative: row.negative === 1,
    createdBy: row.created_by,
    createdAt: isoOf(row.created_at),
  };
}

/**
 * Per-channel watch terms, unique per (destination, term) as given: normalising the spelling
 * (case, spaces) is the command's job, so the store never merges two terms a user typed apart.
 */
export function createSqliteWatchTermStore(db: SqliteDatabase): WatchTermStore {
  const select = db.prepare<[string], WatchTermRow>(
    'SELECT * FROM watch_terms WHERE destination_id = ? ORDER BY created_at, term',
  );
  const upsert = db.prepare(`
    INSERT INTO watch_terms (destination_id, term, weight, aliases, negative, created_by, created_at)
    VALUES (@destinationId, @term, @weight, @aliases, @negative, @createdBy, @createdAt)
    ON CONFLICT (destination_id, term) DO UPDATE SET
      weight = excluded.weight, aliases = excluded.aliases, negative = excluded.negative,
      created_by = excluded.created_by, created_at = excluded.created_at`);
  const remove = db.prepare('DELETE FROM watch_terms WHERE destination_id = ? AND term = ?');
  const add = db.transaction((term: WatchTerm) => {
    upsert.run({
      destinationId: term.destinationId,
      term: term.term,
      weight: term.weight,
      aliases: JSON.stringify(term.aliases),
      negative: term.negative ? 1 : 0,
      createdBy: term.createdBy,
      createdAt: msOf(term.createdAt, 'createdAt'),
    });
  });
  const removeOne = db.transaction((destinationId: string, term: string) => remove.run(destinationId, term).changes > 0);

  return {
    async list(destinationId: string): Promise<WatchTerm[]> {
      return guard('list watch terms', () => select.all(destinationId)).map(termFromRow);
    },
    async add(term: WatchTerm): Promise<void> {
      guard('add a watch term', () => add.immediate(term));
    },
    async remove(destinationId: string, term: string): Promise<boolean> {
      return guard('remove a watch term', () => removeOne.immediate(destinationId, term));
    },
  };
}
