/**
 * The fallback parser, for documents rss-parser rejects: htmlparser2 in XML mode builds a DOM from
 * anything (bare `&`, unclosed tags, truncation) without recursion limits, and each item is read on
 * its own, so one bad entry (a garbage Atom date) cannot take the feed down (reliability §0.3, §3
 * A6–A7; performance.md §1: it recovered the most items in every malformed case).
 */
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import type { FeedFormat } from '../../core/item.js';
import type { RawFeed, RawItem } from './raw-feed.js';

type DomElement = ReturnType<typeof DomUtils.getElementsByTagName>[number];
type DomNode = DomElement['children'][number];

/** Namespaces whose elements are the feed's own, whatever prefix the document gives them. */
const FEED_NAMESPACES = new Set([
  'http://www.w3.org/2005/Atom',
  'http://purl.org/atom/ns#',
  'http://purl.org/rss/1.0/',
  'http://backend.userland.com/rss2',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://channel.netscape.com/rdf/simple/0.9/',
]);

/** Prefixes bound to a feed namespace on the root (`<a:feed xmlns:a="…Atom">`, `rss:item`). */
let feedPrefixes = new Set<string>();

export function parseTolerantly(body: string, format: FeedFormat): RawFeed {
  const document = parseDocument(body, { xmlMode: true });
  const root = document.children.find(isElement);
  if (root === undefined) return { format, title: null, link: null, language: null, ttl: null, items: [] };
  feedPrefixes = new Set(
    Object.entries(root.attribs)
      .filter(([name, value]) => name.startsWith('xmlns:') && FEED_NAMESPACES.has(value.trim()))
      .map(([name]) => name.slice('xmlns:'.length)),
  );
  const channel = format === 'atom' ? root : (child(root, 'channel') ?? root);
  const itemName = format === 'atom' ? 'entry' : 'item';
  const entries = DomUtils.findAll((element) => named(element, itemName), root.children);
  return {
    format,
    title: text(child(channel, 'title')),
    link: format === 'atom' ? atomLink(channel) : text(child(channel, 'link')),
    language: attribute(root, 'xml:lang') ?? text(child(channel, 'language')) ?? text(child(channel, 'dc:language')),
    ttl: text(child(channel, 'ttl')),
    items: entries.map((entry) => (format === 'atom' ? atomItem(entry) : rssItem(entry))),
  };
}

function rssItem(item: DomElement): RawItem {
  return {
    title: text(child(item, 'title')) ?? text(child(item, 'dc:title')) ?? text(child(item, 'media:title')),
    link: text(child(item, 'link')) ?? attribute(item, 'rdf:about'),
    guid: text(child(item, 'guid')),
    published: text(child(item, 'pubDate')) ?? text(child(item, 'dc:date')),
    author: text(child(item, 'dc:creator')) ?? text(child(item, 'author')),
    summary: markup(child(item, 'description')),
    content: markup(child(item, 'content:encoded')),
  };
}

function atomItem(entry: DomElement): RawItem {
  const author = child(entry, 'author');
  return {
    title: markup(child(entry, 'title')),
    link: atomLink(entry),
    guid: text(child(entry, 'id')),
    published: text(child(entry, 'published')) ?? text(child(entry, 'updated')) ?? text(child(entry, 'issued')),
    author: author === null ? null : (text(child(author, 'name')) ?? text(author)),
    summary: markup(child(entry, 'summary')),
    content: markup(child(entry, 'content')),
  };
}

function atomLink(element: DomElement): string | null {
  const links = element.children.filter((node): node is DomElement => isElement(node) && named(node, 'link'));
  const alternate = links.find((link) => (attribute(link, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
  return alternate === undefined ? null : attribute(alternate, 'href');
}

function isElement(node: DomNode): node is DomElement {
  return node.type === ElementType.Tag || node.type === ElementType.Script || node.type === ElementType.Style;
}

function named(element: DomElement, name: string): boolean {
  if (element.name === name) return true;
  const colon = element.name.indexOf(':');
  return colon > 0 && element.name.slice(colon + 1) === name && feedPrefixes.has(element.name.slice(0, colon));
}

function child(element: DomElement, name: string): DomElement | null {
  for (const node of element.children) if (isElement(node) && node.name === name) return node;
  if (name.includes(':')) return null;
  for (const node of element.children) if (isElement(node) && named(node, name)) return node;
  return null;
}

function attribute(element: DomElement, name: string): string | null {
  return Object.hasOwn(element.attribs, name) ? (element.attribs[name] ?? null) : null;
}

function text(element: DomElement | null): string | null {
  return element === null ? null : DomUtils.textContent(element);
}

/** Inline XHTML (Atom type="xhtml", unescaped HTML) is kept as markup for the HTML stripper. */
function markup(element: DomElement | null): string | null {
  if (element === null) return null;
  const hasElements = element.children.some((node: DomNode) => isElement(node));
  return hasElements ? DomUtils.getInnerHTML(element, { xmlMode: true }) : DomUtils.textContent(element);
}
