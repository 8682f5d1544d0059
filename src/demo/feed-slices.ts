/**
 * Cuts a fixture feed into head, dated entries and tail, and puts it back together with only the
 * entries a reader at a given virtual time could have seen. It works on the raw bytes read as
 * latin1 (one char per byte) so windows-1251 files come out byte for byte as written; it is a
 * text slicer, not an XML parser, so the deliberately malformed fixture is served as malformed.
 */

export type FeedFormat = 'rss' | 'atom';

export interface FeedEntry {
  /** The entry's bytes (as latin1 text), with the whitespace that led up to it. */
  readonly text: string;
  /** Epoch ms of the entry's date, or null when it has none we can read (always served). */
  readonly at: number | null;
}

export interface FeedFile {
  readonly name: string;
  readonly format: FeedFormat;
  /** Lower-cased encoding from the XML prolog; 'utf-8' when the prolog names none. */
  readonly charset: string;
  readonly head: string;
  readonly entries: readonly FeedEntry[];
  readonly tail: string;
}

export interface FeedSnapshot {
  readonly bytes: Buffer;
  /** Epoch ms of the newest entry served, or null when no served entry has a date. */
  readonly newest: number | null;
  readonly served: number;
}

const ENTRY = /<(item|entry)(?=[\s>/])[\s\S]*?<\/\1\s*>/g;
const DATE_TAG = /<(pubDate|published|dc:date|updated)(?=[\s>])[^>]*>([\s\S]*?)<\/\1\s*>/g;
/** Which date decides when an entry appears: first publication beats later updates. */
const DATE_PRIORITY = ['pubDate', 'published', 'dc:date', 'updated'];
const PROLOG_ENCODING = /^(?:\u00ef\u00bb\u00bf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/;

function entryDate(text: string): number | null {
  const found = new Map<string, string>();
  for (const match of text.matchAll(DATE_TAG)) {
    const [, tag = '', value = ''] = match;
    if (!found.has(tag)) found.set(tag, value);
  }
  for (const tag of DATE_PRIORITY) {
    const raw = found.get(tag);
    if (raw === undefined) continue;
    const at = Date.parse(raw.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '').trim());
    return Number.isNaN(at) ? null : at;
  }
  return null;
}

export function sliceFeed(name: string, bytes: Buffer): FeedFile {
  const text = bytes.toString('latin1');
  const entries: FeedEntry[] = [];
  let cursor = -1;
  let headEnd = text.length;
  for (const match of text.matchAll(ENTRY)) {
    const start = match.index;
    const end = start + match[0].length;
    if (cursor < 0) {
      // The first entry keeps its own indentation; the head ends where that whitespace begins.
      headEnd = start - (/\s*$/.exec(text.slice(0, start))?.[0].length ?? 0);
      cursor = headEnd;
    }
    entries.push({ text: text.slice(cursor, end), at: entryDate(match[0]) });
    cursor = end;
  }
  const head = text.slice(0, headEnd);
  const format: FeedFormat = /<feed[\s>]/.test(head) && !/<channel[\s>]/.test(head) ? 'atom' : 'rss';
  const charset = (PROLOG_ENCODING.exec(text)?.[1] ?? 'utf-8').toLowerCase();
  return { name, format, charset, head, entries, tail: cursor < 0 ? '' : text.slice(cursor) };
}

/** The feed-level "last updated" dates follow the newest entry served, as a live feed's would. */
function refreshHead(file: FeedFile, newest: number | null): string {
  if (newest === null) return file.head;
  const at = new Date(newest);
  if (file.format === 'atom') {
    return file.head.replace(/(<updated>)[^<]*(<\/updated>)/, `$1${at.toISOString()}$2`);
  }
  return file.head.replace(/(<(lastBuildDate|pubDate)>)[^<]*(<\/\2>)/g, `$1${at.toUTCString()}$3`);
}

export function feedAt(file: FeedFile, virtualNowMs: number): FeedSnapshot {
  const visible = file.entries.filter((entry) => entry.at === null || entry.at <= virtualNowMs);
  let newest: number | null = null;
  for (const entry of visible) {
    if (entry.at !== null && (newest === null || entry.at > newest)) newest = entry.at;
  }
  const text = refreshHead(file, newest) + visible.map((entry) => entry.text).join('') + file.tail;
  return { bytes: Buffer.from(text, 'latin1'), newest, served: visible.length };
}
