/**
 * The primary parser: rss-parser's `parseString` (DESIGN.md), its output mapped to a RawFeed.
 * Only reached after the prolog and scan checks, and only inside a parse worker. rss-parser fields
 * are loosely typed (a string, or an xml2js object when the element had attributes or children),
 * so every value goes through `textOf`.
 */
import Parser from 'rss-parser';
import type { FeedFormat } from '../../core/item.js';
import type { RawFeed, RawItem } from './raw-feed.js';

type Loose = Record<string, unknown>;

// `defaultRSS: 2`: an <rss> without a version attribute is still RSS 2.0 in practice.
const parser: Parser<Loose, Loose> = new Parser({
  defaultRSS: 2,
  customFields: { feed: [], item: [['id', 'id'], ['media:title', 'mediaTitle']] },
});

export async function parseWithRssParser(body: string, format: FeedFormat, language: string | null): Promise<RawFeed> {
  const output: Loose = await parser.parseString(body);
  const items = Array.isArray(output['items']) ? (output['items'] as unknown[]) : [];
  return {
    format,
    title: textOf(output['title']),
    link: textOf(output['link']),
    language: textOf(output['language']) ?? language,
    ttl: textOf(output['ttl']),
    items: items.map((item) => rawItem(isRecord(item) ? item : {}, format)),
  };
}

function rawItem(item: Loose, format: FeedFormat): RawItem {
  const atom = format === 'atom';
  return {
    title: textOf(item['title']) ?? textOf(item['mediaTitle']),
    link: textOf(item['link']),
    guid: textOf(atom ? item['id'] : item['guid']),
    published: textOf(item['isoDate']) ?? textOf(item['pubDate']) ?? textOf(item['date']),
    author: textOf(item['creator']) ?? textOf(item['author']),
    summary: atom ? textOf(item['summary']) : textOf(item['content']),
    content: atom ? textOf(item['content']) : textOf(item['content:encoded']),
  };
}

/** String value of an xml2js node: its text, or the text of its children, attributes ignored. */
export function textOf(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (depth > 50 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    const parts = value.map((entry) => textOf(entry, depth + 1)).filter((part): part is string => part !== null);
    return parts.length === 0 ? null : parts.join(' ');
  }
  const record = value as Loose;
  if (typeof record['_'] === 'string') return record['_'];
  const parts = Object.keys(record)
    .filter((key) => key !== '$')
    .map((key) => textOf(record[key], depth + 1))
    .filter((part): part is string => part !== null);
  return parts.length === 0 ? null : parts.join(' ');
}

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
