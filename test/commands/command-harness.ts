import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandContext, CommandDeps } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/registry.js';
import { loadProfiles } from '../../src/config/profile.js';
import type { Destination } from '../../src/core/alert.js';
import type { FeedItem } from '../../src/core/item.js';
import type { Reply } from '../../src/core/reply.js';
import { createScorer, type Scorer } from '../../src/scoring/index.js';
import { openSqliteStores, type SqliteStores } from '../../src/storage/sqlite/index.js';
import { REPO_ROOT } from '../support/app-config.js';

let shared: Scorer | null = null;
/** The shipped profiles, compiled once for every command test. */
export function shippedScorer(): Scorer {
  shared ??= createScorer(loadProfiles(path.join(REPO_ROOT, 'config/profiles')));
  return shared;
}

export const DESTINATION: Destination = {
  id: 'ops',
  platform: 'console',
  channel: 'ops-room',
  profiles: ['azerbaijan-russia'],
  threshold: null,
  maxAlertsPerCycle: 10,
};

export const NOW = new Date('2025-10-26T12:00:00Z');

export interface Harness {
  readonly stores: SqliteStores;
  readonly deps: CommandDeps;
  /** Runs a command as a channel manager (or not) and returns the reply with its error, if any. */
  run(input: string, options?: { canConfigure?: boolean; destination?: Destination }): ReturnType<typeof runCommand>;
  /** Stores items under a feed, as one poll would. */
  store(items: readonly FeedItem[]): Promise<void>;
  close(): Promise<void>;
}

/** A real SQLite file in a temp folder, with the shipped profiles' scorer. */
export async function openHarness(): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-commands-'));
  const stores = openSqliteStores(path.join(dir, 'store.sqlite'));
  const scorer = shippedScorer();
  const deps: CommandDeps = { items: stores.items, feeds: stores.feeds, watchTerms: stores.watchTerms, scorer };
  await stores.feeds.syncFromConfig([{ id: 'wire', url: 'https://news.example/wire.xml', name: 'Test Wire', intervalSeconds: 900, alertNewestOnFirstPoll: 0 }], NOW);
  return {
    stores,
    deps,
    run(input, options = {}) {
      const context: CommandContext = {
        destination: options.destination ?? DESTINATION,
        user: { id: 'U1', name: 'tester', canConfigure: options.canConfigure ?? true },
        now: NOW,
      };
      return runCommand(input, context, deps);
    },
    async store(items) {
      const entries = items.map((item) => ({ item, scores: scorer.score({ title: item.title, summary: item.summary }), alerts: [] }));
      await stores.ingest.commit('wire', entries, {
        checkedAt: NOW.toISOString(),
        nextCheckAt: NOW.toISOString(),
        etag: null,
        lastModified: null,
        failures: 0,
        lastError: null,
        disabledAt: null,
        disabledReason: null,
        seeded: true,
      }, NOW);
    },
    async close() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every piece of text in a reply, in order, as one string (segments joined). */
export function replyText(reply: Reply): string {
  return reply.blocks
    .map((block) => {
      if (block.kind === 'heading') return block.text;
      if (block.kind === 'line') return block.segments.map((segment) => (segment.kind === 'link' ? `[${segment.label}](${segment.url})` : segment.text)).join('');
      if (block.kind === 'card') return block.card.title;
      return '---';
    })
    .join('\n');
}

/** Link segments of a reply: user input must never become one. */
export function replyLinks(reply: Reply): string[] {
  return reply.blocks.flatMap((block) => (block.kind === 'line' ? block.segments.flatMap((segment) => (segment.kind === 'link' ? [segment.url] : [])) : []));
}

export function item(key: string, title: string, summary = '', link = `https://news.example/${key}`): FeedItem {
  return { key, guid: key, link, title, summary, published: '2025-10-26T09:00:00Z', author: null };
}
