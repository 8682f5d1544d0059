/**
 * An item's identity within its feed: GUID, else canonical link, else a content hash. Feeds that
 * repeat a GUID for different items must not lose any of them (reliability §3 A13), so a repeated
 * key is disambiguated with a hash of what makes the second item different.
 */
import { createHash } from 'node:crypto';
import type { FeedItem } from '../../core/item.js';
import { canonicalLink } from './links.js';

type Unkeyed = Omit<FeedItem, 'key'>;

export function itemKey(item: Unkeyed): string {
  const guid = item.guid?.trim() ?? '';
  if (guid !== '') return guid;
  if (item.link !== null) return canonicalLink(item.link);
  return `sha256:${shortHash(`${item.title}\n${item.summary}`)}`;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Keys every item, so that no two items of one feed share a key. */
export function assignKeys(items: readonly Unkeyed[]): FeedItem[] {
  const used = new Set<string>();
  return items.map((item) => {
    const base = itemKey(item);
    let key = base;
    for (let attempt = 0; used.has(key); attempt++) {
      const distinct = `${item.link ?? ''}\n${item.title}\n${item.published ?? ''}\n${attempt === 0 ? '' : attempt}`;
      key = `${base}#${shortHash(distinct).slice(0, 12)}`;
    }
    used.add(key);
    return { key, ...item };
  });
}
