/**
 * Postgres-only behaviour beyond the shared contracts: in-doubt delivery attempts, the advisory-lock
 * relay election, and riding out terminated connections.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { dropSchema, openPostgresStores, type PostgresStores } from '../../src/storage/postgres/index.js';
import { at, entry, feedItem, ingestInto, scoreResult } from '../contracts/stores.contract.js';
import { POSTGRES_URL } from './postgres-url.js';

const opened: { stores: PostgresStores; schema: string }[] = [];
async function open(): Promise<PostgresStores> {
  const schema = `wwx_${process.pid}_${randomBytes(3).toString('hex')}`;
  const stores = await openPostgresStores(POSTGRES_URL, { schema, maxConnections: 3, applicationName: `wwx-${schema}` });
  opened.push({ stores, schema });
  return stores;
}
afterEach(async () => {
  for (const { stores, schema } of opened.splice(0)) {
    await stores.close();
    await dropSchema(POSTGRES_URL, schema);
  }
});

async function queueOne(stores: PostgresStores): Promise<number> {
  await ingestInto(stores, 'wire', [entry(feedItem('k1'), [scoreResult('p', 9)], [{ destinationId: 'd1', profile: 'p', score: 9 }])]);
  const [row] = await stores.outbox.claimPending(at(1), 1, 'r1', at(60));
  return row!.id;
}

describe('Postgres store extras', () => {
  it('marks a row in doubt when an attempt began and never settled', async () => {
    const stores = await open();
    const id = await queueOne(stores);
    expect(await stores.outbox.beginAttempt(id, 'a1', at(2))).toEqual({ inDoubt: false });
    expect(await stores.outbox.beginAttempt(id, 'a2', at(3))).toEqual({ inDoubt: true });
    await stores.outbox.settleAttempt(id, 'a2');
    expect(await stores.outbox.beginAttempt(id, 'a3', at(4))).toEqual({ inDoubt: false });
    await stores.outbox.markSent(id, at(5), 'm1');
    await stores.outbox.recordFeedback({ outboxId: id, platform: 'slack', userId: 'U1', vote: 1, at: at(6) });
    await stores.outbox.recordFeedback({ outboxId: id, platform: 'slack', userId: 'U1', vote: -1, at: at(7) });
    expect(await stores.outbox.pendingCount()).toBe(0);
  });

  it('elects one relay at a time and hands over when the relay goes away', async () => {
    const first = await open();
    const schema = opened[0]!.schema;
    const second = await openPostgresStores(POSTGRES_URL, { schema, maxConnections: 2 });
    try {
      expect(await first.relay.isRelay()).toBe(true);
      expect(await second.relay.isRelay()).toBe(false);
      expect(await first.relay.isRelay()).toBe(true);
      await first.relay.close();
      expect(await second.relay.isRelay()).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('retries through terminated connections without losing the write', async () => {
    const stores = await open();
    const schema = opened[0]!.schema;
    const id = await queueOne(stores);
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [`wwx-${schema}`]);
      expect(killed.rowCount).toBeGreaterThan(0);
      await stores.outbox.markSent(id, at(5), 'm1');
      expect(await stores.outbox.pendingCount()).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
