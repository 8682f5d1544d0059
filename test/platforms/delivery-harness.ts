import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Destination } from '../../src/core/alert.js';
import { deliverOutbox, type DeliverySummary } from '../../src/pipeline/deliver-outbox.js';
import type { Notifier, OutboxStore } from '../../src/pipeline/ports.js';
import type { Logger } from '../../src/shared/logger.js';
import { openSqliteStores, type SqliteStores } from '../../src/storage/sqlite/index.js';
import { entry, feedItem, ingestInto, scoreResult, T0 } from '../contracts/stores.contract.js';

/** A logger whose every line is kept, so tests can scrape the logs for secrets. */
export function capturingLogger(): { logger: Logger; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), text: () => text };
}

export function destination(id: string, platform: 'slack' | 'discord', channel: string): Destination {
  return { id, platform, channel, profiles: ['p'], threshold: null, maxAlertsPerCycle: 10 };
}

export function openTempStores(): SqliteStores {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-chat-'));
  return openSqliteStores(path.join(dir, 'store.sqlite'));
}

let sequence = 0;

/** Queues one alert per destination id, with a title that tries to ping everyone. */
export async function queueAlerts(stores: SqliteStores, destinationIds: string[], title = 'Drone strike on <!channel> SOCAR depot @everyone'): Promise<void> {
  for (const destinationId of destinationIds) {
    const key = `k${++sequence}`;
    const item = feedItem(key, { title, summary: 'Azerbaijan condemned the strike. <@U024BE7LH> [bank](https://evil.example)' });
    const result = { ...scoreResult('p', 80, ['socar']), reasons: [{ kind: 'entity' as const, id: 'socar', label: 'SOCAR', field: 'title' as const, matched: 'SOCAR', contribution: 40 }] };
    await ingestInto(stores, 'wire', [entry(item, [result], [{ destinationId, profile: 'p', score: 80 }])], T0);
  }
}

/** Virtual time shared by the relay and the notifiers' gates: T0 + the offset of the last relay pass. */
export const virtualClock = { offsetSeconds: 0, now: (): number => T0.getTime() + virtualClock.offsetSeconds * 1000 };

/** Runs one relay pass at T0 + `offsetSeconds` (leases are 60 s, nothing is stale). */
export function relay(stores: { outbox: OutboxStore }, notifier: Notifier, destinations: Destination[], logger: Logger, offsetSeconds = 1): Promise<DeliverySummary> {
  virtualClock.offsetSeconds = offsetSeconds;
  const clock = { now: () => new Date(virtualClock.now()) };
  return deliverOutbox(
    { outbox: stores.outbox, notifiers: new Map([[notifier.platform, notifier]]), destinations: new Map(destinations.map((d) => [d.id, d])), clock, logger },
    { owner: `relay-${offsetSeconds}`, leaseSeconds: 60, staleAfterSeconds: 365 * 86_400, maxAttempts: 8 },
  );
}

/** The same store, except that the process "dies" right after the chat API call, before mark-sent. */
export function dyingBeforeMarkSent(outbox: OutboxStore): OutboxStore {
  return new Proxy(outbox, {
    get(target, property, receiver) {
      if (property === 'markSent') return async () => Promise.reject(new Error('SIGKILL before mark-sent'));
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
