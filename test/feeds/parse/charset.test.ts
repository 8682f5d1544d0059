/** reliability §1.5, §3 A15: charset from BOM, Content-Type, XML declaration or sniffing; documented winner on conflict. */
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../../src/feeds/decode/index.js';
import { closeParsers, parseFeed } from '../../../src/feeds/parse/index.js';

afterAll(closeParsers);

const RUSSIAN = 'Новости: Москва и Баку подписали соглашение о транзите';
const FRENCH = 'Élection présidentielle : résultats définitifs à Besançon';
const JAPANESE = '東京で新しい経済対策を発表';

function feed(title: string, encoding: string | null): string {
  const declaration = encoding === null ? '<?xml version="1.0"?>' : `<?xml version="1.0" encoding="${encoding}"?>`;
  return `${declaration}\n<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title><guid>1</guid></item></channel></rss>`;
}

function encoded(text: string, charset: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, charset));
}

describe('decodeFeedBytes', () => {
  it.each([
    ['windows-1251', RUSSIAN],
    ['iso-8859-1', FRENCH],
    ['shift_jis', JAPANESE],
    ['koi8-r', RUSSIAN],
  ])('decodes %s declared only in Content-Type (A15a)', (charset, text) => {
    const decoded = decodeFeedBytes(encoded(feed(text, null), charset), `application/rss+xml; charset=${charset}`);
    expect(decoded.text).toContain(text);
    expect(decoded.charset).toBe(charset);
  });

  it.each([
    ['windows-1251', RUSSIAN],
    ['ISO-8859-1', FRENCH],
    ['Shift_JIS', JAPANESE],
    ['KOI8-R', RUSSIAN],
  ])('decodes %s declared only in the XML declaration (A15b), removing the declared encoding', (charset, text) => {
    const decoded = decodeFeedBytes(encoded(feed(text, charset), charset), 'text/xml');
    expect(decoded.text).toContain(text);
    expect(decoded.text).not.toMatch(/encoding=/);
  });

  it('lets Content-Type win over a conflicting XML declaration (A15c)', () => {
    const decoded = decodeFeedBytes(encoded(feed(RUSSIAN, 'iso-8859-1'), 'windows-1251'), 'text/xml; charset=windows-1251');
    expect(decoded.text).toContain(RUSSIAN);
    expect(decoded.charset).toBe('windows-1251');
  });

  it('falls back to the XML declaration when the declared UTF-8 does not decode (A15c)', () => {
    const decoded = decodeFeedBytes(encoded(feed(RUSSIAN, 'windows-1251'), 'windows-1251'), 'text/xml; charset=utf-8');
    expect(decoded.text).toContain(RUSSIAN);
    expect(decoded.warnings.join(' ')).toMatch(/not valid UTF-8/);
  });

  it('prefers clean multi-byte UTF-8 over a server-default ISO-8859-1 (A15c)', () => {
    const decoded = decodeFeedBytes(new TextEncoder().encode(feed(FRENCH, 'utf-8')), 'text/xml; charset=ISO-8859-1');
    expect(decoded.text).toContain(FRENCH);
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.warnings).toHaveLength(1);
  });

  it('falls back to UTF-8 with a warning for an unknown label (A15d)', () => {
    const decoded = decodeFeedBytes(new TextEncoder().encode(feed(FRENCH, 'x-klingon-9')), 'text/xml; charset=bogus-charset');
    expect(decoded.text).toContain(FRENCH);
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.warnings.join(' ')).toMatch(/unknown charset "bogus-charset".*unknown charset "x-klingon-9"/);
  });

  it.each([
    ['windows-1251', RUSSIAN],
    ['koi8-r', RUSSIAN],
    ['windows-1252', FRENCH],
  ])('sniffs undeclared %s bytes', (charset, text) => {
    const decoded = decodeFeedBytes(encoded(feed(text, null), charset), null);
    expect(decoded.charset).toBe(charset);
    expect(decoded.text).toContain(text);
  });

  it.each([
    ['utf-16le', true],
    ['utf-16be', true],
    ['utf-16le', false],
    ['utf-16be', false],
    ['utf-32le', true],
    ['utf-32be', false],
  ])('decodes %s (BOM: %s)', (charset, bom) => {
    const body = encoded(`${bom ? '\uFEFF' : ''}${feed(RUSSIAN, 'utf-16')}`, charset);
    const decoded = decodeFeedBytes(body, 'text/xml; charset=iso-8859-1');
    expect(decoded.charset).toBe(charset);
    expect(decoded.text.startsWith('<?xml')).toBe(true);
    expect(decoded.text).toContain(RUSSIAN);
  });

  it('lets a UTF-8 BOM win over everything', () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(feed(RUSSIAN, 'windows-1251'))]);
    expect(decodeFeedBytes(body, 'text/xml; charset=koi8-r').text).toContain(RUSSIAN);
  });
});

describe('parseFeed with charsets', () => {
  it('gives clean titles for windows-1251 declared only in the prolog, never U+FFFD', async () => {
    const outcome = await parseFeed(encoded(feed(RUSSIAN, 'windows-1251'), 'windows-1251'), { contentType: 'application/rss+xml' });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.charset).toBe('windows-1251');
    expect(outcome.items[0]?.title).toBe(RUSSIAN);
    expect(outcome.feed.title).not.toContain('\uFFFD');
  });
});
