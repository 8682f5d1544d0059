import pg from 'pg';
import type { PostgresDatabase } from './database.js';

/** Whether this process is, right now, the one that sends alerts (see docs/adr/0001). */
export interface RelayElection {
  isRelay(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * One delivery relay across all workers, elected with a session-level advisory lock held on a
 * dedicated connection (not a pooled one: the lock lives as long as the session). When the relay
 * dies its connection closes and Postgres frees the lock, so the next worker to ask takes over;
 * when the relay's own connection breaks (a Postgres restart) it stops relaying at once, since it
 * can no longer know that it still holds the lock. Chat rate budgets thus hold across workers the
 * same way they hold in one process: only one process spends them.
 */
export function createRelayElection(db: PostgresDatabase, onWarning: (message: string, error: unknown) => void = () => {}): RelayElection {
  const key = `wirewatch-relay:${db.schema}`;
  let client: pg.Client | null = null;
  let holding = false;
  let closed = false;

  const drop = (): void => {
    const old = client;
    client = null;
    holding = false;
    old?.end().catch(() => {});
  };

  return {
    async isRelay(): Promise<boolean> {
      if (closed) return false;
      try {
        if (!client) {
          const fresh = new pg.Client({ ...db.clientConfig, application_name: `${db.clientConfig.application_name ?? 'wirewatch'}-relay`.slice(0, 63) });
          fresh.on('error', (error) => {
            onWarning('the relay lock connection failed; relaying stops until it is taken again', error);
            if (client === fresh) drop();
          });
          client = fresh;
          await fresh.connect();
        }
        if (holding) {
          // Still connected means still holding: the lock dies only with the session.
          await client.query('SELECT 1');
          return true;
        }
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
        holding = rows[0]?.locked === true;
        return holding;
      } catch (error) {
        onWarning('could not check the relay lock; not relaying this time', error);
        drop();
        return false;
      }
    },
    async close(): Promise<void> {
      closed = true;
      const old = client;
      client = null;
      holding = false;
      await old?.end().catch(() => {});
    },
  };
}
