/**
 * Untrusted feed text → plain, safe text. HTML is stripped with htmlparser2's tokenizer (linear;
 * a regex is how rss-parser became quadratic), entities decoded, then the Unicode is cleaned:
 *  - removed: C0/C1 control characters (tab and newline become spaces), lone surrogates (they make
 *    JSON payloads invalid), bidi embeddings/overrides/isolates U+202A–U+202E and U+2066–U+2069
 *    (they reverse the text a chat user sees: reliability §3 A16), BOM/U+FFFE/U+FFFF;
 *  - kept: zero-width joiners and LRM/RLM (emoji and Persian/Arabic need them; term matching
 *    removes them itself), everything else; the result is NFC-normalized.
 */
import { Parser } from 'htmlparser2';

const BLOCK_TAGS = new Set([
  'p', 'br', 'div', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'table', 'blockquote', 'section', 'article',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'pre', 'dd', 'dt', 'figure', 'figcaption', 'header', 'footer',
]);
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object']);

/** HTML (or text with entities) → text, keeping block boundaries as newlines. */
export function htmlToText(html: string): string {
  if (!html.includes('<') && !html.includes('&')) return html;
  const parts: string[] = [];
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED_TAGS.has(name)) skipping++;
        else if (BLOCK_TAGS.has(name)) parts.push('\n');
      },
      onclosetag(name) {
        if (SKIPPED_TAGS.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCK_TAGS.has(name)) parts.push('\n');
      },
      ontext(text) {
        if (skipping === 0) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return parts.join('');
}

// Built from code points so the source file itself stays free of invisible characters.
const UNSAFE = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]',
    '[\\u202A-\\u202E\\u2066-\\u2069\\uFEFF\\uFFFE\\uFFFF]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);

export function cleanUnicode(text: string): string {
  return text.replace(UNSAFE, '').normalize('NFC');
}

// Collapsible whitespace. Not \s: a no-break space is content (`testing&nbsp;entity`), not layout.
const LAYOUT_SPACE = /[\t\n\v\f\r \u0085\u2028\u2029]+/g;

/** One line: every whitespace run becomes one space. */
export function oneLine(text: string): string {
  return text.replace(LAYOUT_SPACE, ' ').trim();
}

/** Paragraphs kept as single newlines, spaces collapsed inside lines. */
export function paragraphs(text: string): string {
  return text
    .split(/[^\S\u00a0]*\n[^\S\u00a0]*/)
    .map((line) => line.replace(LAYOUT_SPACE, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Cut to at most `max` UTF-16 units with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

export function plainTitle(raw: string | null, max: number): string {
  if (raw === null) return '';
  // Cap the input first: a 1 MB title must not cost a 1 MB parse per field downstream.
  return truncate(oneLine(cleanUnicode(htmlToText(raw.slice(0, max * 8)))), max);
}

export function plainSummary(raw: string | null, max: number): string {
  if (raw === null) return '';
  return truncate(paragraphs(cleanUnicode(htmlToText(raw.slice(0, max * 16)))), max);
}
