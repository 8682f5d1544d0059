/** reliability.md §3 A1–A9, A12–A13, A16–A18 at the parse level: every hostile feed gets a typed answer. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closeParsers, parseFeed } from '../../../src/feeds/parse/index.js';
import type { ParseOutcome } from '../../../src/feeds/parse/index.js';
import { parseDocument } from '../../../src/feeds/parse/parse-document.js';
import { atom, bytes, rss } from './feed-builders.js';

afterAll(closeParsers);

function expectError(outcome: ParseOutcome, code: string): void {
  if (outcome.ok) throw new Error(`expected ${code}, got ${outcome.items.length} items`);
  expect(outcome.error.code).toBe(code);
}

function expectOk(outcome: ParseOutcome): Extract<ParseOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected a parsed feed, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome;
}

describe('entity attacks (A1, A2)', () => {
  it('refuses a billion-laughs DOCTYPE as invalid_xml without expanding it', async () => {
    const lol = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${lol.join('\n')}\n]>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>`;
    const before = process.memoryUsage().rss;
    expectError(await parseFeed(bytes(doc)), 'invalid_xml');
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses an external entity and never shows the file contents (XXE)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-xxe-'));
    const secret = path.join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-MARKER-42');
    try {
      for (const decl of [`<!ENTITY xxe SYSTEM "${pathToFileURL(secret).href}">`, `<!ENTITY % p SYSTEM "${pathToFileURL(secret).href}"> %p;`]) {
        const doc = `<?xml version="1.0"?>\n<!DOCTYPE rss [ ${decl} ]>\n<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>`;
        const outcome = await parseFeed(bytes(doc));
        expectError(outcome, 'invalid_xml');
        expect(JSON.stringify(outcome)).not.toContain('TOP-SECRET');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops a harmless DOCTYPE (RSS 0.91) and parses the feed', async () => {
    const doc = rss([{ title: 'One', guid: 'g1' }]).replace('<rss', '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss');
    expect(expectOk(await parseFeed(bytes(doc))).items.map((item) => item.title)).toEqual(['One']);
  });
});

describe('prototype pollution (A3)', () => {
  const doc = rss([{ title: 'Item <__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor>', guid: 'p1' }], '<__proto__><polluted>yes</polluted></__proto__><constructor><polluted>yes</polluted></constructor>');

  it('parses in the worker', async () => {
    expect(expectOk(await parseFeed(bytes(doc))).items).toHaveLength(1);
  });

  it('leaves Object.prototype clean in the realm that parsed it', async () => {
    const result = await parseDocument(bytes(doc), { contentType: null, baseUrl: null, maxItems: 10 });
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('CPU and depth attacks (A4, A5)', () => {
  it('keeps the main event loop ticking on the quadratic stripHtml payload (&lt;a × 80 000)', async () => {
    const doc = rss([{ title: 'Hostile', guid: 'h1', description: '&lt;a'.repeat(80_000) }]);
    let ticks = 0;
    let last = Date.now();
    let worstGap = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const outcome = await parseFeed(bytes(doc), { deadlineMs: 3_000 });
    clearInterval(timer);
    if (outcome.ok) {
      expect(outcome.items[0]?.title).toBe('Hostile');
      expect(outcome.warnings.join(' ')).toMatch(/quadratic/);
    }
    else expect(outcome.error.code).toBe('parse_timeout');
    expect(ticks).toBeGreaterThan(0);
    // The work is in a worker: the main loop is never blocked for the seconds rss-parser needs in-thread.
    expect(worstGap).toBeLessThan(1_000);
  });

  it('kills a parse at its deadline, then parses the next feed with a fresh worker', async () => {
    const many = Array.from({ length: 4_000 }, (_, i) => ({ title: `Item ${i}`, guid: `g${i}`, description: '&lt;p&gt;text&lt;/p&gt;'.repeat(50) }));
    expectError(await parseFeed(bytes(rss(many)), { deadlineMs: 1 }), 'parse_timeout');
    expect(expectOk(await parseFeed(bytes(rss([{ title: 'After', guid: 'a' }])))).items[0]?.title).toBe('After');
  });

  it('refuses 200 000-deep nesting as invalid_xml', async () => {
    const deep = `${'<x>'.repeat(200_000)}${'</x>'.repeat(200_000)}`;
    expectError(await parseFeed(bytes(rss([{ title: 'Deep', guid: 'd', description: deep }]))), 'invalid_xml');
  });
});

describe('broken documents (A6–A9)', () => {
  it('keeps the valid Atom entries when one has <updated>garbage</updated> (A6)', async () => {
    const doc = atom([
      { title: 'Good one', id: 'urn:1', updated: '2024-03-01T10:00:00Z' },
      { title: 'Bad date', id: 'urn:2', updated: 'garbage' },
      { title: 'Good two', id: 'urn:3', updated: '2024-03-02T10:00:00Z' },
    ]);
    const outcome = expectOk(await parseFeed(bytes(doc)));
    expect(outcome.items.map((item) => [item.title, item.published])).toEqual([
      ['Good one', '2024-03-01T10:00:00.000Z'],
      ['Bad date', null],
      ['Good two', '2024-03-02T10:00:00.000Z'],
    ]);
    expect(outcome.format).toBe('atom');
    expect(outcome.feed.language).toBe('en');
  });

  it('recovers the items of a feed with a bare & (A7)', async () => {
    const outcome = expectOk(await parseFeed(bytes(rss([{ title: 'AT&T buys X', link: 'https://e.example/?a=1&b=2', guid: 'b1' }]))));
    expect(outcome.items[0]?.title).toBe('AT&T buys X');
    expect(outcome.items[0]?.link).toBe('https://e.example/?a=1&b=2');
  });

  it('recovers the complete items of a truncated document, with a warning (A7)', async () => {
    const full = rss([1, 2, 3, 4, 5].map((n) => ({ title: `Item ${n}`, guid: `t${n}` })));
    const truncated = full.slice(0, full.indexOf('<item><title>Item 5') + 20);
    const outcome = expectOk(await parseFeed(bytes(truncated)));
    expect(outcome.items.slice(0, 4).map((item) => item.title)).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4']);
    expect(outcome.warnings.join(' ')).toMatch(/tolerant parser/);
  });

  it('answers invalid_xml for a document with nothing recoverable (A7)', async () => {
    expectError(await parseFeed(bytes('<rss version="2.0">&&& <<< </channel>')), 'invalid_xml');
  });

  it('answers not_a_feed for an HTML challenge page served with 200 (A8)', async () => {
    const page = '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><script>window._cf_chl_opt={}</script></head><body><div id="challenge-form">Checking your browser</div></body></html>';
    expectError(await parseFeed(bytes(page), { contentType: 'text/html; charset=UTF-8' }), 'not_a_feed');
    expectError(await parseFeed(bytes('{"items": []}'), { contentType: 'application/json' }), 'not_a_feed');
  });

  it.each([['empty', new Uint8Array()], ['whitespace', bytes(' \r\n\t  ')], ['BOM only', Uint8Array.of(0xef, 0xbb, 0xbf)]])(
    'answers empty_body for a %s body (A9)',
    async (_name, body) => {
      expectError(await parseFeed(body), 'empty_body');
    },
  );

  it('refuses a body over the byte cap as too_large', async () => {
    expectError(await parseFeed(bytes(rss([{ title: 'x'.repeat(2_000) }])), { maxBytes: 1_000 }), 'too_large');
  });
});

describe('identity (A12, A13)', () => {
  it('keeps every item of a feed that repeats a GUID, with distinct keys stable across parses (A13)', async () => {
    const doc = rss([
      { title: 'First story', link: 'https://e.example/1', guid: 'same' },
      { title: 'Second story', link: 'https://e.example/2', guid: 'same' },
      { title: 'Third story', link: 'https://e.example/3', guid: 'same' },
    ]);
    const first = expectOk(await parseFeed(bytes(doc)));
    const second = expectOk(await parseFeed(bytes(doc)));
    const keys = first.items.map((item) => item.key);
    expect(first.items.map((item) => item.title)).toEqual(['First story', 'Second story', 'Third story']);
    expect(keys[0]).toBe('same');
    expect(new Set(keys).size).toBe(3);
    expect(second.items.map((item) => item.key)).toEqual(keys);
  });

  it('keys GUID-less items by canonical link, then by content hash', async () => {
    const outcome = expectOk(await parseFeed(bytes(rss([{ title: 'Linked', link: 'https://e.example/a#comments' }, { title: 'Bare', description: 'no link' }]))));
    expect(outcome.items[0]?.key).toBe('https://e.example/a');
    expect(outcome.items[1]?.key).toMatch(/^sha256:[0-9a-f]{32}$/);
  });

  it('gives churned-GUID items the same title and link, so story folding can match them (A12)', async () => {
    const make = (run: number) => rss([{ title: 'Stable title', link: 'https://e.example/story', guid: `churn-${run}` }]);
    const [a, b] = [expectOk(await parseFeed(bytes(make(1)))), expectOk(await parseFeed(bytes(make(2))))];
    expect(a.items[0]?.key).not.toBe(b.items[0]?.key);
    expect([a.items[0]?.title, a.items[0]?.link]).toEqual([b.items[0]?.title, b.items[0]?.link]);
  });
});

describe('hostile text and links (A16–A18)', () => {
  it('strips NUL, lone surrogates and bidi overrides, keeps joiners, and stays valid JSON (A16)', async () => {
    const title = 'A&#x202E;B\u0000C&#xD800;D\u200DE \u202Egnp.exe';
    const outcome = expectOk(await parseFeed(bytes(rss([{ title, guid: 'u1' }]))));
    const cleaned = outcome.items[0]?.title ?? '';
    expect(cleaned).not.toMatch(/[\u0000\u202A-\u202E\u2066-\u2069]/);
    expect(cleaned).not.toMatch(/[\uD800-\uDFFF]/);
    expect(cleaned).toContain('\u200D');
    expect(JSON.parse(JSON.stringify(outcome.items[0]))).toEqual(outcome.items[0]);
  });

  it('caps a 1 MB title and a 5 MB description (A17)', async () => {
    const outcome = expectOk(await parseFeed(bytes(rss([{ title: 'T'.repeat(1_000_000), guid: 'big', description: 'word '.repeat(1_000_000) }])), { deadlineMs: 20_000 }));
    expect(outcome.items[0]?.title.length).toBeLessThanOrEqual(1_000);
    expect(outcome.items[0]?.summary.length).toBeLessThanOrEqual(64 * 1024);
    expect(outcome.items[0]?.summary.endsWith('…')).toBe(true);
  });

  it('keeps only absolute http(s) links, resolving relative ones against the feed (A18)', async () => {
    const links = ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', ' JaVaScRiPt:alert(1)', '/relative/path', 'https://ok.example/x'];
    const outcome = expectOk(await parseFeed(bytes(rss(links.map((link, i) => ({ title: `L${i}`, link, guid: `l${i}` })))), { baseUrl: 'https://feeds.example/rss' }));
    expect(outcome.items.map((item) => item.link)).toEqual([null, null, null, null, 'https://news.example/relative/path', 'https://ok.example/x']);
  });

  it('keeps the first maxItems items and says so', async () => {
    const outcome = expectOk(await parseFeed(bytes(rss(Array.from({ length: 30 }, (_, i) => ({ title: `N${i}`, guid: `n${i}` })))), { maxItems: 10 }));
    expect(outcome.items.map((item) => item.title)).toEqual(Array.from({ length: 10 }, (_, i) => `N${i}`));
    expect(outcome.warnings.join(' ')).toMatch(/beyond the first 10/);
  });
});
