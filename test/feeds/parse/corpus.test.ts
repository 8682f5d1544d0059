/**
 * Every feed of ../shared/corpus/feeds through parseFeed: each answers (items or a typed error)
 * within its deadline, feedparser's own title expectations hold, and the windows-1251 / KOI8-R
 * Russian feeds come out as clean Cyrillic.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeParsers, parseFeed } from '../../../src/feeds/parse/index.js';
import type { ParseOutcome } from '../../../src/feeds/parse/index.js';

const CORPUS = path.resolve(process.cwd(), '../shared/corpus/feeds');
const present = existsSync(path.join(CORPUS, 'index.tsv'));
if (!present) console.warn(`corpus tests skipped: ${CORPUS} not found (needs ../shared/corpus next to the project)`);

const ERROR_CODES = new Set(['empty_body', 'not_a_feed', 'invalid_xml', 'parse_timeout', 'parse_crash', 'too_large']);
const DEADLINE_MS = 5_000;

interface Parsed {
  readonly file: string;
  readonly bytes: Buffer;
  readonly outcome: ParseOutcome;
}

/** feedparser files simulate HTTP headers in comments: `Header: Content-type: text/xml; charset=…`. */
function simulatedContentType(file: string, bytes: Buffer): string | null {
  if (!file.startsWith('feedparser/')) return null;
  const match = /Header:\s*Content-type:\s*([^\r\n]*?)\s*(?:\r?\n|-->)/i.exec(bytes.toString('latin1'));
  return match?.[1] ?? null;
}

/** `'testing \u00e9 entity'` (a Python literal) → the string it denotes. */
function pythonLiteral(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, escape: string) =>
    escape.length > 1 ? String.fromCharCode(Number.parseInt(escape.slice(1), 16)) : escape,
  );
}

interface TitleExpectation {
  readonly file: string;
  readonly where: 'feed' | 'entry';
  readonly title: string;
}

/**
 * The simple `[not bozo and] feed['title'] == 'literal'` / `entries[0]['title'] == …` assertions.
 * Literals with markup or entities (`'Example <b>Atom</b>'`, `'&lt;!DOCTYPE ~'`) are left out: feedparser
 * keeps sanitized HTML in titles, ours are plain text by design.
 */
function titleExpectation(file: string, bytes: Buffer): TitleExpectation | null {
  const expect = /Expect:\s*(.*)/.exec(bytes.toString('utf8'))?.[1]?.trim();
  if (!expect) return null;
  const match = /^(?:not bozo and )?(feed|entries\[0\])\['title'\] == (?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")$/.exec(expect);
  if (!match) return null;
  const title = pythonLiteral(match[2] ?? match[3] ?? '');
  if (/[<&]/.test(title)) return null;
  return { file, where: match[1] === 'feed' ? 'feed' : 'entry', title };
}

describe.skipIf(!present)('feed corpus', () => {
  const results = new Map<string, Parsed>();

  beforeAll(async () => {
    const files = readFileSync(path.join(CORPUS, 'index.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[0] ?? '')
      .filter((file) => file !== '');
    await Promise.all(
      files.map(async (file) => {
        const bytes = readFileSync(path.join(CORPUS, file));
        const outcome = await parseFeed(bytes, { contentType: simulatedContentType(file, bytes), deadlineMs: DEADLINE_MS });
        results.set(file, { file, bytes, outcome });
      }),
    );
  }, 120_000);

  afterAll(closeParsers);

  it('answers every file with items or a typed error', () => {
    expect(results.size).toBeGreaterThan(1_800);
    const counts: Record<string, number> = {};
    for (const { outcome } of results.values()) {
      const code = outcome.ok ? 'ok' : outcome.error.code;
      counts[code] = (counts[code] ?? 0) + 1;
      if (!outcome.ok) expect(ERROR_CODES).toContain(outcome.error.code);
    }
    console.log(`corpus: ${results.size} files`, counts);
    expect(counts['parse_crash'] ?? 0).toBe(0);
    expect(counts['ok'] ?? 0).toBeGreaterThan(results.size * 0.9);
  });

  it("meets feedparser's own title expectations (≥ 95%)", () => {
    const expectations = [...results.values()]
      .filter(({ file }) => file.startsWith('feedparser/'))
      .map(({ file, bytes }) => titleExpectation(file, bytes))
      .filter((expectation): expectation is TitleExpectation => expectation !== null);
    const failures: string[] = [];
    for (const { file, where, title } of expectations) {
      const { outcome } = results.get(file) as Parsed;
      const actual = !outcome.ok ? `<${outcome.error.code}>` : where === 'feed' ? outcome.feed.title : (outcome.items[0]?.title ?? null);
      if (actual !== title) failures.push(`${file}: expected ${JSON.stringify(title)}, got ${JSON.stringify(actual)}`);
    }
    const rate = (expectations.length - failures.length) / expectations.length;
    console.log(`feedparser title expectations: ${expectations.length - failures.length}/${expectations.length} (${(rate * 100).toFixed(1)}%)`);
    if (failures.length > 0) console.log(failures.join('\n'));
    expect(expectations.length).toBeGreaterThan(60);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    'miniflux/parser/testdata/encoding_WINDOWS-1251.xml',
    'node-feedparser/iconv.xml',
    'miniflux/encoding/testdata/koi8r.xml',
    'miniflux/xml/testdata/koi8r.xml',
    'feedparser/illformed/chardet/koi8r.xml',
  ])('decodes the Russian feed %s as clean Cyrillic', (file) => {
    const parsed = results.get(file);
    expect(parsed).toBeDefined();
    const outcome = (parsed as Parsed).outcome;
    if (!outcome.ok) throw new Error(`${file}: ${outcome.error.code} ${outcome.error.message}`);
    const text = [outcome.feed.title ?? '', ...outcome.items.flatMap((item) => [item.title, item.summary])].join('\n');
    expect(text).toMatch(/[а-яё]{3}/i);
    expect(text).not.toContain('\uFFFD');
    expect(text).not.toMatch(/[ÐÑÃÂ]/);
  });
});
