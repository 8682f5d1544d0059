/**
 * Rules every chat renderer applies to text it did not write (feed titles, command echoes): cut to
 * the platform's limit with an ellipsis, and never let a label that looks like an address hide
 * a different address behind it.
 */

const ELLIPSIS = '…';

/** Control characters, newlines and bidi overrides: never shown as they are in a chat line. */
const UNSAFE_RUNS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Text for one chat line: unsafe runs become a space and whitespace collapses. Ends are kept, since
 * a segment's spaces ("1. ", "  · 3 outlets") belong to the line; callers trim whole values.
 */
export function oneLine(value: string): string {
  return value.replace(UNSAFE_RUNS, ' ').replace(/\s+/g, ' ');
}

/** At most `max` UTF-16 units, ending in "…" when cut; a surrogate pair is never split. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  if (max <= 0) return '';
  let cut = value.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}${ELLIPSIS}`;
}

/**
 * True when a link label reads like an address ("https://bank.example", "www.bank.example",
 * "bank.example/login"): such a label is shown beside its real link, never as the link's text.
 */
export function looksLikeAddress(label: string): boolean {
  const flat = label.trim().toLowerCase();
  return /[a-z][a-z0-9+.-]*:\/\//.test(flat) || /(^|\s)www\./.test(flat) || /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(\/|$)/u.test(flat);
}

/** An http(s) URL in canonical form, or null: nothing else is ever made clickable. */
export function httpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
