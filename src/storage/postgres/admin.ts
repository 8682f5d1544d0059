import { openPostgresDatabase } from './database.js';

/**
 * Operator and harness helpers that speak SQL so that callers outside storage/ (benchmarks, fault
 * tests, CI) never need the driver: drop a run's schema, make every feed due, see who holds leases.
 */

export interface LeaseSnapshot {
  readonly feeds: readonly { id: string; owner: string; until: Date }[];
  readonly outbox: readonly { id: number; owner: string; until: Date }[];
}

async function withDatabase<T>(url: string, schema: string, work: (db: ReturnType<typeof openPostgresDatabase>) => Promise<T>): Promise<T> {
  const db = openPostgresDatabase(url, { schema, maxConnections: 1, retries: 2 });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Drops a schema and everything in it (a test or benchmark run's own). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await withDatabase(url, schema, (db) => db.query('drop a schema', `DROP SCHEMA IF EXISTS ${db.schema} CASCADE`));
}

/** Every enabled feed next due at `now` (or later, to hold them back), leases cleared: the start of a measured poll cycle. */
export async function makeAllFeedsDue(url: string, schema: string, now: Date): Promise<number> {
  return withDatabase(url, schema, async (db) => {
    const rows = await db.query(
      'make all feeds due',
      'UPDATE feeds SET next_check_at = $1, lease_owner = NULL, lease_until = NULL WHERE disabled_at IS NULL RETURNING id',
      [now],
    );
    return rows.length;
  });
}

/** The leases held right now, feeds and outbox rows, with their owners. */
export async function leaseSnapshot(url: string, schema: string): Promise<LeaseSnapshot> {
  return withDatabase(url, schema, async (db) => {
    const feeds = await db.query<{ id: string; owner: string; until: Date }>(
      'read feed leases',
      'SELECT id, lease_owner AS owner, lease_until AS until FROM feeds WHERE lease_owner IS NOT NULL ORDER BY id',
    );
    const outbox = await db.query<{ id: number; owner: string; until: Date }>(
      'read outbox leases',
      "SELECT id, lease_owner AS owner, lease_until AS until FROM outbox WHERE lease_owner IS NOT NULL AND status = 'pending' ORDER BY id",
    );
    return { feeds, outbox };
  });
}
