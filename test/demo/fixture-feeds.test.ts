/**
 * The demo's fixture feeds are data the whole demo stands on: these checks keep them well-formed
 * (except the one deliberate fault in broken-en.xml), in the catalog, in their declared
 * encodings, and telling the story they are meant to tell.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const FEEDS = fileURLToPath(new URL('../../fixtures/feeds', import.meta.url));

interface CatalogFeed {
  file: string;
  id: string;
  name: string;
  language: string;
  format: 'rss' | 'atom';
  charset: string;
}
interface Catalog {
  replay: { from: string; to: string };
  feeds: CatalogFeed[];
}

const catalog = parse(readFileSync(path.join(FEEDS, 'catalog.yaml'), 'utf8')) as Catalog;

function decoded(feed: CatalogFeed): string {
  return new TextDecoder(feed.charset, { fatal: true }).decode(readFileSync(path.join(FEEDS, feed.file)));
}

function entries(text: string): string[] {
  return text.match(/<(item|entry)[\s>][\s\S]*?<\/\1>/g) ?? [];
}

function entryDate(entry: string): number | null {
  const raw = /<(pubDate|published)>([^<]*)<\/\1>/.exec(entry)?.[2];
  if (raw === undefined) return null;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : at;
}

const XML_REFERENCE = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

/**
 * A strict checker for the XML subset our fixtures use (elements, attributes, text, CDATA,
 * comments, one prolog): balanced tags, one root, no stray `<`, no bare or HTML-only `&`.
 * Returns the problems found; empty means well-formed.
 */
function wellFormedProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^\uFEFF?<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  let roots = 0;
  const checkText = (text: string, where: string): void => {
    for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) {
      if (!XML_REFERENCE.test(text.slice(at))) problems.push(`bare & in ${where}: ${text.slice(at, at + 20)}`);
    }
  };
  const token = /<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const match of body.matchAll(token)) {
    const [whole, closing, name, attributes, selfClosing, text, stray] = match;
    if (stray !== undefined) problems.push(`stray < at ${match.index}`);
    else if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '') problems.push('text outside the root element');
      checkText(text, stack.at(-1) ?? 'document');
    } else if (name !== undefined) {
      checkText(attributes ?? '', `<${name}> attributes`);
      if (closing === '/') {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      } else if (selfClosing !== '/') {
        if (stack.length === 0) roots += 1;
        stack.push(name);
      } else if (stack.length === 0) roots += 1;
    } else if (!whole.startsWith('<![CDATA[')) problems.push(`unexpected token ${whole.slice(0, 20)}`);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

describe('the well-formedness checker used below', () => {
  it.each([
    ['<rss><a>x</b></rss>', '</b> closes <a>'],
    ['<rss><a>x</a>', 'unclosed'],
    ['<rss>Tom & Jerry</rss>', 'bare &'],
    ['<rss>&nbsp;</rss>', 'bare &'],
    ['<rss>a < b</rss>', 'stray <'],
    ['<a/><b/>', '2 root elements'],
  ])('rejects %s', (xml, problem) => {
    expect(wellFormedProblems(xml).join('; ')).toContain(problem);
  });

  it('accepts CDATA, comments, entities and self-closing tags', () => {
    expect(wellFormedProblems('<?xml version="1.0"?><!-- a & b --><r x="1"><![CDATA[<b>&</b>]]>&amp;&#38;<br/></r>')).toEqual([]);
  });
});

describe('fixture catalog', () => {
  it('lists every feed file in the folder exactly once, with unique ids', () => {
    const files = readdirSync(FEEDS).filter((name) => /\.(xml|atom)$/.test(name)).sort();
    expect(catalog.feeds.map((feed) => feed.file).sort()).toEqual(files);
    expect(new Set(catalog.feeds.map((feed) => feed.id)).size).toBe(catalog.feeds.length);
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files.length).toBeLessThanOrEqual(14);
  });

  it('has a replay window of about a year starting around December 2024', () => {
    expect(catalog.replay.from).toBe('2024-12-01T00:00:00Z');
    expect(Date.parse(catalog.replay.to) - Date.parse(catalog.replay.from)).toBeGreaterThan(300 * 86_400_000);
  });

  it.each(catalog.feeds)('$file declares the format and charset the catalog says', (feed) => {
    const text = decoded(feed);
    expect(text.startsWith(`<?xml version="1.0" encoding="${feed.charset}"?>`)).toBe(true);
    expect(feed.format === 'atom' ? /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/ : /<rss version="2\.0"/).toSatisfy(
      (pattern: RegExp) => pattern.test(text),
    );
  });
});

describe('fixture feeds', () => {
  const wellFormed = catalog.feeds.filter((feed) => feed.file !== 'broken-en.xml');

  it.each(wellFormed)('$file is well-formed XML', (feed) => {
    expect(wellFormedProblems(decoded(feed))).toEqual([]);
  });

  it.each(catalog.feeds)('$file has 8–25 items, links, pre-crisis seeds and dates inside the window', (feed) => {
    const items = entries(decoded(feed));
    expect(items.length).toBeGreaterThanOrEqual(8);
    expect(items.length).toBeLessThanOrEqual(25);
    const dates = items.map(entryDate).filter((at): at is number => at !== null);
    expect(dates.filter((at) => at < Date.parse(catalog.replay.from)).length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...dates)).toBeLessThanOrEqual(Date.parse(catalog.replay.to));
    expect(Math.min(...dates)).toBeGreaterThanOrEqual(Date.parse('2024-10-01T00:00:00Z'));
    for (const item of items) expect(item).toMatch(/<link[\s>]/);
  });

  it('hold about two hundred items in total', () => {
    const total = catalog.feeds.reduce((sum, feed) => sum + entries(decoded(feed)).length, 0);
    expect(total).toBeGreaterThanOrEqual(180);
    expect(total).toBeLessThanOrEqual(240);
  });

  it('write Azerbaijani in Latin script, Ukrainian with its own letters, and Russian in windows-1251', () => {
    const byFile = new Map(catalog.feeds.map((feed) => [feed.file, feed]));
    const az = decoded(byFile.get('baku-az.xml') as CatalogFeed);
    for (const letter of ['ə', 'ğ', 'ı', 'ö', 'ü', 'ç', 'ş', 'Ə']) expect(az).toContain(letter);
    for (const file of ['kyiv-uk.xml', 'odesa-uk.xml']) expect(decoded(byFile.get(file) as CatalogFeed)).toMatch(/[іїєʼ’]/);
    const moscow = readFileSync(path.join(FEEDS, 'moscow-ru-1251.xml'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(moscow)).toThrow();
    expect(new TextDecoder('windows-1251').decode(moscow)).toContain('Путин принёс извинения');
  });
});

describe('broken-en.xml', () => {
  const text = readFileSync(path.join(FEEDS, 'broken-en.xml'), 'utf8');
  const items = entries(text);

  it('is malformed only by its one bare ampersand', () => {
    const problems = wellFormedProblems(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('bare &');
    expect(wellFormedProblems(text.replace('Oil & gas', 'Oil &amp; gas'))).toEqual([]);
  });

  it('carries each hostile case', () => {
    expect(items.filter((item) => /<pubDate>/.test(item) && entryDate(item) === null)).toHaveLength(1);
    expect(items.filter((item) => !/<title>/.test(item))).toHaveLength(1);
    expect(items.filter((item) => /<link>javascript:/.test(item))).toHaveLength(1);
    expect(items.filter((item) => /<link>\//.test(item))).toHaveLength(1);
    expect(text).toContain('&lt;script&gt;');
    expect(text).toContain('@everyone &lt;!channel&gt;');
    expect(text).toContain('\u00ad');
    const guids = items.map((item) => /<guid[^>]*>([^<]*)<\/guid>/.exec(item)?.[1]);
    const repeated = guids.filter((guid, index) => guids.indexOf(guid) !== index);
    expect(repeated).toEqual(['frontier-0042']);
  });
});

describe('the story the feeds tell', () => {
  const all = catalog.feeds.flatMap((feed) => entries(decoded(feed)).map((item) => ({ feed, item })));
  const beats: Record<string, RegExp> = {
    'AZAL crash (Dec 2024)': /Aktau|Актау|AZAL|Azerbaijan Airlines|shot down by Russia|сбит Россией|збила Росія/,
    'Yekaterinburg deaths and Sputnik Azerbaijan (Jun 2025)': /Safarov|Səfərov|Сафаров|Sputnik Az|Sputnik Азербайджан|Kartavykh|Картавых|Госдум|Duma/,
    'Orlovka strike and SOCAR in Odesa (Aug–Oct 2025)': /(Orlovka|Orlivka|Орловк|Орлівк)[\s\S]*(gas|газ|qaz|compressor|компрес)|SOCAR[\s\S]*(Odes|Одес|Одещ)|(Odes|Одес|Одещ)[\s\S]*SOCAR/,
    'Washington declaration and TRIPP (Aug 2025)': /TRIPP|Trump Route|Tramp Marşrutu|Zangezur|Zəngəzur|Вашингтон/,
    'Dushanbe acknowledgement (Oct 2025)': /Dushanbe|Düşənbə|Душанбе/,
  };

  it.each(Object.entries(beats))('%s is reported by several outlets in several languages', (_beat, pattern) => {
    const hits = all.filter(({ item }) => pattern.test(item));
    expect(new Set(hits.map(({ feed }) => feed.file)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(hits.map(({ feed }) => feed.language)).size).toBeGreaterThanOrEqual(3);
  });

  it('is mostly noise and look-alikes', () => {
    const onStory = all.filter(({ item }) => Object.values(beats).some((pattern) => pattern.test(item)));
    expect(onStory.length / all.length).toBeGreaterThan(0.25);
    expect(onStory.length / all.length).toBeLessThan(0.5);
    const lookAlikes = [/Odessa, Texas|Odessa High|north of Odessa/, /Sputnik V|Спутник/, /Rashad Aliyev|Rəşad Əliyev/, /Grand Prix|Qran-pri|Гран-при/, /Shahed|шахед|Шахед/, /SOCAR/];
    for (const pattern of lookAlikes) expect(all.filter(({ item }) => pattern.test(item)).length).toBeGreaterThanOrEqual(2);
    // Villages called Orlovka far from Odesa: Voronezh, Kazakhstan, Donetsk.
    const otherOrlovkas = all.filter(({ item }) => /Orlovka|Orlivka|Орловк|Орлівк/.test(item) && !/Odes|Одес|Одещ|Ізмаїл/.test(item));
    expect(otherOrlovkas.length).toBeGreaterThanOrEqual(4);
  });

  it('syndicates some stories with tracking parameters under the same title', () => {
    const tracked = all.filter(({ item }) => /<link>[^<]*utm_source=/.test(item));
    expect(tracked.length).toBeGreaterThanOrEqual(8);
    const titles = new Map<string, Set<string>>();
    for (const { feed, item } of all) {
      const title = /<title>([^<]*)<\/title>/.exec(item)?.[1];
      if (title !== undefined) titles.set(title, (titles.get(title) ?? new Set()).add(feed.file));
    }
    expect([...titles.values()].filter((feeds) => feeds.size >= 2).length).toBeGreaterThanOrEqual(5);
  });
});
