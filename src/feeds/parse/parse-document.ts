/**
 * The whole bytes → items path as it runs inside a parse worker: decode, check the prolog, scan,
 * parse (rss-parser, or the tolerant parser when rss-parser would be slow or throws), normalize.
 * Returns plain data (no class instances) so the result can cross the worker boundary.
 */
import type { FeedFormat, FeedItem, FeedMeta } from '../../core/item.js';
import { decodeFeedBytes } from '../decode/index.js';
import { MAX_DEPTH, scanDocument } from './document-scan.js';
import { normalizeFeed } from './normalize.js';
import { prepareDocument } from './prolog.js';
import type { RawFeed } from './raw-feed.js';
import { parseWithRssParser } from './rss-parser-feed.js';
import { parseTolerantly } from './tolerant-feed.js';

export type ParseFailureCode = 'empty_body' | 'not_a_feed' | 'invalid_xml' | 'parse_timeout' | 'parse_crash' | 'too_large';

export type ParseResult =
  | { ok: true; format: FeedFormat; charset: string; feed: FeedMeta; items: FeedItem[]; warnings: string[] }
  | { ok: false; code: ParseFailureCode; message: string };

export interface DocumentOptions {
  readonly contentType: string | null;
  readonly baseUrl: string | null;
  readonly maxItems: number;
}

/** ~0.1 s of rss-parser's quadratic stripHtml; above it the linear tolerant parser is used. */
const STRIP_COST_BUDGET = 30_000_000;

export async function parseDocument(bytes: Uint8Array, options: DocumentOptions): Promise<ParseResult> {
  try {
    return await parseUnsafely(bytes, options);
  } catch (error) {
    return { ok: false, code: 'parse_crash', message: `parser failed unexpectedly: ${messageOf(error)}` };
  }
}

async function parseUnsafely(bytes: Uint8Array, options: DocumentOptions): Promise<ParseResult> {
  const decoded = decodeFeedBytes(bytes, options.contentType);
  const warnings = [...decoded.warnings];
  const prepared = prepareDocument(decoded.text);
  if (!prepared.ok) return { ok: false, code: prepared.code, message: prepared.message };
  const scan = scanDocument(prepared.body, options.maxItems);
  if (scan.maxDepth > MAX_DEPTH) {
    return { ok: false, code: 'invalid_xml', message: `elements nested deeper than ${MAX_DEPTH} levels` };
  }
  if (scan.format === null) {
    const what = scan.root === null ? 'no XML root element' : `root element <${scan.root}>`;
    return { ok: false, code: 'not_a_feed', message: `${what} is not RSS, Atom or RDF` };
  }
  const body = scan.truncatedBody ?? prepared.body;
  if (scan.truncatedBody !== null) warnings.push(`items beyond the first ${options.maxItems} dropped`);
  const language = scan.rootAttributes['xml:lang'] ?? null;
  let raw: RawFeed;
  if (scan.stripCost > STRIP_COST_BUDGET) {
    warnings.push('markup too costly for rss-parser (quadratic HTML stripping); read with the tolerant parser');
    raw = parseTolerantly(body, scan.format);
  } else {
    try {
      raw = await parseWithRssParser(body, scan.format, language);
    } catch (error) {
      raw = parseTolerantly(body, scan.format);
      // xml2js/sax syntax errors carry a position; anything else (a TypeError on an <rss> without
      // <channel>) is rss-parser tripping over a well-formed but unusual structure.
      const syntaxError = error instanceof Error && /\nLine: \d+/.test(error.message);
      if (syntaxError && raw.items.length === 0 && raw.title === null) {
        return { ok: false, code: 'invalid_xml', message: `not well-formed: ${messageOf(error)}` };
      }
      warnings.push(`rss-parser rejected the document (${messageOf(error)}); read with the tolerant parser`);
    }
  }
  const normalized = normalizeFeed(raw, options.baseUrl, options.maxItems);
  return {
    ok: true,
    format: scan.format,
    charset: decoded.charset,
    feed: normalized.feed,
    items: normalized.items,
    warnings: [...warnings, ...normalized.warnings],
  };
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 200) ?? '';
}
