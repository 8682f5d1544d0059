/**
 * Shared pieces of the store contract suites: the set of ports a backend provides, and builders
 * for the domain values the suites feed them. Every backend (SQLite now, Postgres later) runs the
 * same suites through a factory that opens a fresh, empty store.
 */
import { afterEach, beforeEach } from 'vitest';
import type { FeedCheck, FeedSpec } from '../../src/core/feed.js';
import type { FeedItem } from '../../src/core/item.js';
import type { ScoreResult } from '../../src/core/score.js';
import type {
  FeedStore,
  IngestEntry,
  IngestStore,
  ItemStore,
  OutboxStore,
  WatchTermStore,
} from '../../src/pipeline/ports.js';

export interface Stores {
  readonly feeds: FeedStore;
  readonly ingest: IngestStore;
  readonly outbox: OutboxStore;
  readonly items: ItemStore;
  readonly watchTerms: WatchTermStore;
}

export type OpenStores = () => Promise<{ stores: Stores; close(): Promise<void> }>;

/** A fresh store per test; returns a getter valid inside each test. */
export function freshStores(open: OpenStores): () => Stores {
  let current: { stores: Stores; close(): Promise<void> } | null = null;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  return () => {
    if (!current) throw new Error('stores are only open inside a test');
    return current.stores;
  };
}

export const T0 = new Date('2025-03-01T12:00:00.000Z');

/** T0 shifted by whole seconds. */
export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export function feedSpec(id: string, overrides: Partial<FeedSpec> = {}): FeedSpec {
  return {
    id,
    url: `https://news.example/${id}.xml`,
    name: `Feed ${id}`,
    intervalSeconds: 900,
    alertNewestOnFirstPoll: 0,
    ...overrides,
  };
}

export function okCheck(checkedAt: Date, overrides: Partial<FeedCheck> = {}): FeedCheck {
  return {
    checkedAt: checkedAt.toISOString(),
    nextCheckAt: new Date(checkedAt.getTime() + 900_000).toISOString(),
    etag: '"v1"',
    lastModified: null,
    failures: 0,
    lastError: null,
    disabledAt: null,
    disabledReason: null,
    seeded: true,
    ...overrides,
  };
}

export function feedItem(key: string, overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    key,
    guid: key,
    link: `https://news.example/story/${key}`,
    title: `Story ${key}`,
    summary: `Summary of ${key}.`,
    published: T0.toISOString(),
    author: null,
    ...overrides,
  };
}

export function scoreResult(profile: string, score: number, entities: string[] = [], threshold = 5): ScoreResult {
  return {
    profile,
    score,
    threshold,
    alert: score >= threshold,
    reasons: entities.map((id) => ({
      kind: 'entity' as const,
      id,
      label: id,
      field: 'title' as const,
      matched: id,
      contribution: score / Math.max(1, entities.length),
    })),
    entities,
  };
}

export function entry(
  item: FeedItem,
  scores: ScoreResult[] = [],
  alerts: IngestEntry['alerts'] = [],
): IngestEntry {
  return { item, scores, alerts };
}

/** Syncs one feed and commits entries to it at `now`: the usual arrange step. */
export async function ingestInto(
  stores: Stores,
  feedId: string,
  entries: IngestEntry[],
  now: Date = T0,
): Promise<{ stored: number; queued: number }> {
  const existing = await stores.feeds.get(feedId);
  if (!existing) await stores.feeds.syncFromConfig([...(await configuredSpecs(stores)), feedSpec(feedId)], now);
  return stores.ingest.commit(feedId, entries, okCheck(now), now);
}

async function configuredSpecs(stores: Stores): Promise<FeedSpec[]> {
  const feeds = await stores.feeds.list();
  return feeds
    .filter((feed) => feed.disabledAt === null)
    .map((feed) => ({
      id: feed.id,
      url: feed.url,
      name: feed.name,
      intervalSeconds: feed.intervalSeconds,
      alertNewestOnFirstPoll: feed.alertNewestOnFirstPoll,
    }));
}
