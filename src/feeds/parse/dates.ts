/**
 * Feed dates → ISO 8601, or null. Never throws: one bad date must not drop its item or the feed
 * (rss-parser's buildAtomFeed does exactly that, reliability §0.3).
 */

const RUSSIAN_STYLE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}):?(\d{2})$/;

export function toIsoDate(raw: string | null): string | null {
  if (raw === null) return null;
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 100) return null;
  const candidates = [text];
  // `2019-05-18 10:58:46 +0300` (seen in Russian news feeds) → ISO.
  const match = RUSSIAN_STYLE.exec(text);
  if (match) candidates.push(`${match[1]}T${match[2]}${match[3]}:${match[4]}`);
  // RFC 822 zone names Date.parse does not know, and a stray weekday comma.
  candidates.push(text.replace(/\b(UT)\b/, 'GMT').replace(/^[A-Za-z]+,?\s*/, ''));
  for (const candidate of candidates) {
    const time = Date.parse(candidate);
    if (Number.isFinite(time)) {
      const date = new Date(time);
      const year = date.getUTCFullYear();
      if (year >= 1970 && year <= 9999) return date.toISOString();
    }
  }
  return null;
}
