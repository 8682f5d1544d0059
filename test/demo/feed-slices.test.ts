import { describe, expect, it } from 'vitest';
import { feedAt, sliceFeed } from '../../src/demo/feed-slices.js';

const at = (iso: string): number => Date.parse(iso);

describe('sliceFeed / feedAt', () => {
  it('dates an Atom entry by first publication, not by its later update', () => {
    const atom = Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><updated>2020-01-01T00:00:00Z</updated>' +
        '<entry><id>a</id><updated>2025-03-01T00:00:00Z</updated><published>2025-01-01T00:00:00Z</published></entry></feed>',
    );
    const file = sliceFeed('a.atom', atom);
    expect(file.format).toBe('atom');
    expect(file.entries.map((entry) => entry.at)).toEqual([at('2025-01-01T00:00:00Z')]);
    const snapshot = feedAt(file, at('2025-02-01T00:00:00Z'));
    expect(snapshot.served).toBe(1);
    expect(snapshot.bytes.toString('utf8')).toContain('<updated>2025-01-01T00:00:00.000Z</updated><entry>');
  });

  it('reads CDATA-wrapped dates, serves undated items always, and leaves a feed without items whole', () => {
    const rss = Buffer.from(
      '<rss><channel><items>not an item</items><lastBuildDate>x</lastBuildDate>\n  <item><pubDate><![CDATA[Tue, 01 Jul 2025 09:00:00 +0000]]></pubDate></item>' +
        '\n  <item><title>undated</title></item>\n</channel></rss>',
    );
    const file = sliceFeed('b.xml', rss);
    expect(file.format).toBe('rss');
    expect(file.charset).toBe('utf-8');
    expect(file.entries.map((entry) => entry.at)).toEqual([at('2025-07-01T09:00:00Z'), null]);
    const early = feedAt(file, at('2025-01-01T00:00:00Z'));
    expect(early.served).toBe(1);
    expect(early.newest).toBeNull();
    expect(early.bytes.toString('utf8')).toBe('<rss><channel><items>not an item</items><lastBuildDate>x</lastBuildDate>\n  <item><title>undated</title></item>\n</channel></rss>');
    const late = feedAt(file, at('2025-12-01T00:00:00Z'));
    expect(late.bytes.toString('utf8')).toContain('<lastBuildDate>Tue, 01 Jul 2025 09:00:00 GMT</lastBuildDate>');
    const empty = Buffer.from('<rss><channel><title>quiet</title></channel></rss>');
    expect(feedAt(sliceFeed('c.xml', empty), 0).bytes.equals(empty)).toBe(true);
  });

  it('keeps non-UTF-8 bytes exact and reads the charset from the prolog', () => {
    const prolog = Buffer.from('<?xml version="1.0" encoding="windows-1251"?><rss><channel><item><title>');
    const cp1251 = Buffer.from([0xcf, 0xf3, 0xf2, 0xe8, 0xed, 0x98, 0xff]); // "Путин", an unassigned byte, "я"
    const bytes = Buffer.concat([prolog, cp1251, Buffer.from('</title></item></channel></rss>')]);
    const file = sliceFeed('d.xml', bytes);
    expect(file.charset).toBe('windows-1251');
    expect(feedAt(file, 0).bytes.equals(bytes)).toBe(true);
  });
});
