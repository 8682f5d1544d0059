import { AppError } from '../../core/errors.js';
import type { Feed } from '../../core/feed.js';
import type { FeedItem, StoredItem } from '../../core/item.js';
import type { ScoreResult } from '../../core/score.js';

/**
 * Row shapes and conversions. Times are timestamptz (pg returns Dates); the ports speak ISO
 * strings. The folding and relevance rules are the SQLite store's (storage/sqlite/item-rows.ts),
 * repeated here because sibling stores may not import each other: both must agree, and the
 * shared contract suites check that they do.
 */

export function dateOf(value: Date | string, field: string): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!Number.isFinite(date.getTime())) throw new AppError('bad_input', `${field} is not a valid time: ${String(value)}`);
  return date;
}

export function dateOrNull(value: string | null, field: string): Date | null {
  return value === null ? null : dateOf(value, field);
}

const isoOrNull = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export interface FeedRow {
  readonly id: string;
  readonly url: string;
  readonly name: string;
  readonly interval_seconds: number;
  readonly alert_newest_on_first_poll: number;
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly next_check_at: Date;
  readonly last_checked_at: Date | null;
  readonly failures: number;
  readonly last_error_code: string | null;
  readonly last_error_message: string | null;
  readonly disabled_at: Date | null;
  readonly disabled_reason: string | null;
  readonly seeded: boolean;
}

export function feedFromRow(row: FeedRow): Feed {
  return {
    id: row.id,
    url: row.url,
    name: row.name,
    intervalSeconds: row.interval_seconds,
    etag: row.etag,
    lastModified: row.last_modified,
    nextCheckAt: row.next_check_at.toISOString(),
    lastCheckedAt: isoOrNull(row.last_checked_at),
    failures: row.failures,
    lastError: row.last_error_code === null ? null : { code: row.last_error_code, message: row.last_error_message ?? '' },
    disabledAt: isoOrNull(row.disabled_at),
    disabledReason: row.disabled_reason,
    seeded: row.seeded,
    alertNewestOnFirstPoll: row.alert_newest_on_first_poll,
  };
}

/** The columns of `items` a StoredItem is read from (selected with the `i.` alias). */
export const ITEM_COLUMNS =
  'i.id, i.feed_id, i.key, i.guid, i.link, i.title, i.summary, i.published, i.author, i.first_seen_at, i.scores';

export interface ItemRow {
  readonly id: number;
  readonly feed_id: string;
  readonly key: string;
  readonly guid: string | null;
  readonly link: string | null;
  readonly title: string;
  readonly summary: string;
  readonly published: string | null;
  readonly author: string | null;
  readonly first_seen_at: Date;
  readonly scores: unknown;
}

export function itemFromRow(row: ItemRow): StoredItem {
  return {
    id: row.id,
    feedId: row.feed_id,
    key: row.key,
    guid: row.guid,
    link: row.link,
    title: row.title,
    summary: row.summary,
    published: row.published,
    author: row.author,
    firstSeenAt: row.first_seen_at.toISOString(),
  };
}

export function scoresFromRow(row: Pick<ItemRow, 'scores'>): ScoreResult[] {
  return Array.isArray(row.scores) ? (row.scores as ScoreResult[]) : [];
}

/** Lowercased title and summary: word search is a substring test on this, case-insensitive. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function foldedItemText(item: Pick<FeedItem, 'title' | 'summary'>): string {
  return foldText(`${item.title}\n${item.summary}`);
}

/** Whether a result makes its item relevant for its profile (what the timeline shows). */
export function isRelevant(result: ScoreResult): boolean {
  return result.score >= result.threshold;
}

/** Ordering time: the feed's date when it gave a usable one, else when we first saw the item. */
export function publishedAt(item: FeedItem, firstSeen: Date): Date {
  if (item.published === null) return firstSeen;
  const ms = Date.parse(item.published);
  return Number.isFinite(ms) ? new Date(ms) : firstSeen;
}
