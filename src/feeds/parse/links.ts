/**
 * Links from a feed are relative, padded, or hostile (`javascript:`, `data:`, `file:`): only
 * absolute http(s) URLs survive (reliability §3 A18); the rest become null.
 */

export function absoluteHttpUrl(raw: string | null, base: string | null): string | null {
  if (raw === null) return null;
  const text = raw.replace(/[\u0000-\u0020\u007F]+/g, '');
  if (text === '' || text.length > 4096) return null;
  let url: URL;
  try {
    url = base === null ? new URL(text) : new URL(text, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** The form used for identity: no fragment, so `#comments` variants are one item. */
export function canonicalLink(link: string): string {
  const url = new URL(link);
  url.hash = '';
  return url.href;
}
