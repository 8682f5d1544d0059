/**
 * One linear pass over the document with htmlparser2's tokenizer, before any real parsing:
 *  - the root element tells the format, or that this is not a feed at all (an HTML page);
 *  - nesting depth: a 200 000-deep document overflows the stack of recursive parsers and
 *    builders, so anything deeper than MAX_DEPTH is refused up front (reliability §3 A5);
 *  - the cost rss-parser's `stripHtml` regex `/<(?:.|\n)*?>/` would pay: for every `<` it scans to
 *    the next `>`, so `&lt;a` × 80 000 costs ~6·10⁹ steps (21 s, reliability §0.2). When the
 *    estimate is high we skip rss-parser and use the linear tolerant parser instead.
 * htmlparser2 closes unclosed children when their parent closes, so stray `<br>` in a
 * description does not inflate the depth.
 */
import { Parser } from 'htmlparser2';
import type { FeedFormat } from '../../core/item.js';

export const MAX_DEPTH = 1_000;

export interface DocumentScan {
  readonly root: string | null;
  readonly rootAttributes: Readonly<Record<string, string>>;
  readonly format: FeedFormat | null;
  readonly maxDepth: number;
  /** Estimated regex steps of rss-parser's stripHtml over every text run. */
  readonly stripCost: number;
  /**
   * When the feed has more than maxItems items: the document cut after the last kept item, with
   * its open ancestors closed, so no parser spends time on items that would be dropped anyway.
   */
  readonly truncatedBody: string | null;
}

const ITEM_NAMES = new Set(['item', 'entry']);

export function scanDocument(body: string, maxItems: number): DocumentScan {
  let root: string | null = null;
  let rootAttributes: Record<string, string> = {};
  const open: string[] = [];
  let maxDepth = 0;
  let stripCost = 0;
  let items = 0;
  let truncatedBody: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (root === null) {
          root = name;
          rootAttributes = Object.assign(Object.create(null) as Record<string, string>, attributes);
        }
        if (ITEM_NAMES.has(name) && open.length <= 2 && ++items > maxItems) {
          const closers = open.map((ancestor) => `</${ancestor}>`).reverse().join('');
          truncatedBody = `${body.slice(0, parser.startIndex)}${closers}`;
          parser.pause();
          return;
        }
        open.push(name);
        if (open.length > maxDepth) maxDepth = open.length;
        if (open.length > MAX_DEPTH) parser.pause();
      },
      onclosetag() {
        open.pop();
      },
      ontext(text) {
        if (text.length > 16) stripCost += estimateStripCost(text);
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.write(body);
  if (maxDepth <= MAX_DEPTH && truncatedBody === null) parser.end();
  return { root, rootAttributes, format: formatOf(root), maxDepth, stripCost, truncatedBody };
}

function formatOf(root: string | null): FeedFormat | null {
  if (root === null) return null;
  const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
  if (local === 'rss') return 'rss';
  if (local === 'feed') return 'atom';
  if (local === 'RDF') return 'rdf';
  return null;
}

const LT = /^(?:<|&lt;|&#0*60;|&#x0*3c;)/i;
const GT = /^(?:>|&gt;|&#0*62;|&#x0*3e;)/i;

/** Σ over each `<` of the distance to the next `>` (or the end): the lazy regex's work. */
export function estimateStripCost(text: string): number {
  let nextGt = text.length;
  let cost = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const code = text.charCodeAt(i);
    if (code === 0x3e /* > */ || (code === 0x26 /* & */ && GT.test(text.slice(i, i + 8)))) nextGt = i;
    else if (code === 0x3c /* < */ || (code === 0x26 && LT.test(text.slice(i, i + 8)))) cost += nextGt - i;
  }
  return cost;
}
