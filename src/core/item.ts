/** One entry of a feed after parsing and normalization: plain text, no markup, bounded lengths. */
export interface FeedItem {
  /** Stable identity within a feed: GUID, else canonical link, else content hash (see itemKey). */
  readonly key: string;
  readonly guid: string | null;
  readonly link: string | null;
  readonly title: string;
  /** Plain text, HTML stripped and entities decoded, capped (64 KiB). */
  readonly summary: string;
  /** ISO-8601, or null when the feed gave no usable date. */
  readonly published: string | null;
  readonly author: string | null;
}

/** An item as the store knows it. */
export interface StoredItem extends FeedItem {
  readonly id: number;
  readonly feedId: string;
  /** ISO-8601 time we first saw it. */
  readonly firstSeenAt: string;
}

/** What a parsed document says about itself. */
export interface FeedMeta {
  readonly title: string | null;
  readonly link: string | null;
  readonly language: string | null;
  /** RSS <ttl> in minutes, when given. */
  readonly ttlMinutes: number | null;
}

export type FeedFormat = 'rss' | 'atom' | 'rdf';
