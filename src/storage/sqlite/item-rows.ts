import type { FeedItem, StoredItem } from '../../core/item.js';
import type { ScoreResult } from '../../core/score.js';
import { isoOf } from './time.js';

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
  readonly first_seen_at: number;
  readonly scores: string;
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
    firstSeenAt: isoOf(row.first_seen_at),
  };
}

export function scoresFromRow(row: Pick<ItemRow, 'scores'>): ScoreResult[] {
  const parsed: unknown = JSON.parse(row.scores);
  return Array.isArray(parsed) ? (parsed as ScoreResult[]) : [];
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
export function publishedMs(item: FeedItem, firstSeenMs: number): number {
  if (item.published === null) return firstSeenMs;
  const ms = Date.parse(item.published);
  return Number.isFinite(ms) ? ms : firstSeenMs;
}
