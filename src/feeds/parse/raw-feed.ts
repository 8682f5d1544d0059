/**
 * What either parser (rss-parser, or the tolerant htmlparser2 fallback) hands to normalization:
 * untrusted strings exactly as the document had them, before any cleaning.
 */
import type { FeedFormat } from '../../core/item.js';

export interface RawItem {
  readonly title: string | null;
  readonly link: string | null;
  readonly guid: string | null;
  /** The date text as written (RFC 822, ISO 8601, or garbage). */
  readonly published: string | null;
  readonly author: string | null;
  /** description / Atom summary: HTML or text. */
  readonly summary: string | null;
  /** content:encoded / Atom content: HTML or text. */
  readonly content: string | null;
}

export interface RawFeed {
  readonly format: FeedFormat;
  readonly title: string | null;
  readonly link: string | null;
  readonly language: string | null;
  readonly ttl: string | null;
  readonly items: readonly RawItem[];
}
