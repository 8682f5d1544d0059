/** RawFeed (untrusted strings) → FeedMeta + FeedItem[] (clean, bounded, absolute links, ISO dates). */
import type { FeedItem, FeedMeta } from '../../core/item.js';
import { toIsoDate } from './dates.js';
import { assignKeys } from './item-key.js';
import { absoluteHttpUrl } from './links.js';
import { oneLine, cleanUnicode, plainSummary, plainTitle, truncate } from './plain-text.js';
import type { RawFeed, RawItem } from './raw-feed.js';

export const TITLE_MAX = 1_000;
export const SUMMARY_MAX = 64 * 1024;
const SHORT_MAX = 500;

export interface Normalized {
  readonly feed: FeedMeta;
  readonly items: FeedItem[];
  readonly warnings: string[];
}

export function normalizeFeed(raw: RawFeed, baseUrl: string | null, maxItems: number): Normalized {
  const warnings: string[] = [];
  const base = absoluteHttpUrl(baseUrl, null);
  const feedLink = absoluteHttpUrl(raw.link, base);
  const kept = raw.items.slice(0, maxItems);
  if (raw.items.length > maxItems) warnings.push(`${raw.items.length - maxItems} items beyond the first ${maxItems} dropped`);
  let badDates = 0;
  const items = kept.map((item) => {
    const normalized = normalizeItem(item, feedLink ?? base);
    if (item.published !== null && item.published.trim() !== '' && normalized.published === null) badDates++;
    return normalized;
  });
  if (badDates > 0) warnings.push(`${badDates} item date(s) unparseable; kept without a date`);
  const ttl = raw.ttl === null ? NaN : Number.parseInt(raw.ttl.trim(), 10);
  const feed: FeedMeta = {
    title: nullIfEmpty(plainTitle(raw.title, TITLE_MAX)),
    link: feedLink,
    language: nullIfEmpty(truncate(oneLine(cleanUnicode(raw.language ?? '')), 35)),
    ttlMinutes: Number.isSafeInteger(ttl) && ttl > 0 ? ttl : null,
  };
  return { feed, items: assignKeys(items), warnings };
}

function normalizeItem(item: RawItem, base: string | null): Omit<FeedItem, 'key'> {
  const guid = nullIfEmpty(truncate(oneLine(cleanUnicode(item.guid ?? '')), 2_000));
  // RSS permalinks often live only in <guid>.
  const link = absoluteHttpUrl(item.link, base) ?? (guid !== null && /^https?:\/\//i.test(guid) ? absoluteHttpUrl(guid, null) : null);
  const summarySource = nonBlank(item.summary) ?? nonBlank(item.content);
  return {
    guid,
    link,
    title: plainTitle(item.title, TITLE_MAX),
    summary: plainSummary(summarySource, SUMMARY_MAX),
    published: toIsoDate(item.published),
    author: nullIfEmpty(plainTitle(item.author, SHORT_MAX)),
  };
}

function nonBlank(text: string | null): string | null {
  return text === null || text.trim() === '' ? null : text;
}

function nullIfEmpty(text: string): string | null {
  return text === '' ? null : text;
}
