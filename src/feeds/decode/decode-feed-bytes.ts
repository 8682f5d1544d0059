/**
 * Feed bytes → text, choosing the charset deterministically (reliability §1.5, §3 A15).
 *
 * Precedence, like browsers and feedparser: byte-order mark > Content-Type charset > XML
 * declaration > sniffing. Two exceptions, both because a declaration that the bytes contradict is
 * the usual real-world bug (a server default `charset=ISO-8859-1`, a CMS that re-encoded the body):
 *  - a declared UTF-8 whose bytes are not valid UTF-8 loses to the next declaration (prolog), or
 *    to sniffing when there is none;
 *  - a declared single-byte charset (Latin-1, windows-125x, KOI8) loses to UTF-8 when the bytes
 *    contain multi-byte sequences and are valid UTF-8: such sequences essentially never occur in
 *    real single-byte text.
 * An unknown label is skipped with a warning; with nothing usable left we fall back to UTF-8 (or
 * the sniffed legacy charset if the bytes are not UTF-8). Every override is reported in `warnings`.
 *
 * The XML declaration's `encoding` is removed from the returned text, so no parser decodes twice.
 */
import {
  charsetFromContentType,
  isSingleByteLabel,
  isUtf8Label,
  isWideLabel,
  normalizeLabel,
  prologEncodingFromBytes,
  readByteOrderMark,
  sniffWideEncoding,
} from './charset-labels.js';
import { sniffLegacyCharset } from './legacy-sniff.js';
import { decodeAs, decodeStrictUtf8, hasNonAscii, isKnownCharset } from './text-decoders.js';

export interface DecodedFeed {
  readonly text: string;
  readonly charset: string;
  readonly warnings: string[];
}

export function decodeFeedBytes(bytes: Uint8Array, contentType: string | null | undefined): DecodedFeed {
  const warnings: string[] = [];
  const bom = readByteOrderMark(bytes);
  if (bom) {
    const text = decodeAs(bytes.subarray(bom.length), bom.charset) ?? '';
    return { text: withoutDeclaredEncoding(text), charset: bom.charset, warnings };
  }
  const wide = sniffWideEncoding(bytes);
  const declared = [
    { source: 'Content-Type', label: charsetFromContentType(contentType) },
    { source: 'XML declaration', label: prologEncodingFromBytes(bytes, wide) },
  ];
  const candidates: string[] = [];
  for (const { source, label } of declared) {
    if (label === null) continue;
    const normalized = normalizeLabel(label);
    if (!isKnownCharset(normalized) && !isWideLabel(normalized)) {
      warnings.push(`unknown charset "${label}" in ${source} ignored`);
    } else if (isWideLabel(normalized) && wide === null) {
      // An ASCII-readable document cannot be UTF-16/32, whatever it says.
      warnings.push(`${source} says ${label} but the bytes are ASCII-compatible; ignored`);
    } else {
      candidates.push(normalized);
    }
  }
  const charset = chooseCharset(bytes, candidates, wide, warnings);
  const text = decodeAs(bytes, charset) ?? new TextDecoder('utf-8').decode(bytes);
  return { text: withoutDeclaredEncoding(stripLeadingBom(text)), charset, warnings };
}

function chooseCharset(bytes: Uint8Array, candidates: string[], wide: string | null, warnings: string[]): string {
  // `<` spelled as 2 or 4 bytes shows width and byte order; no label can override that.
  if (wide !== null) return wide;
  const utf8 = decodeStrictUtf8(bytes);
  for (const label of candidates) {
    if (isUtf8Label(label)) {
      if (utf8 !== null) return 'utf-8';
      warnings.push('declared UTF-8 but the bytes are not valid UTF-8');
      continue;
    }
    if (utf8 !== null && hasNonAscii(bytes) && isSingleByteLabel(label)) {
      warnings.push(`declared ${label} but the bytes are valid multi-byte UTF-8; decoded as UTF-8`);
      return 'utf-8';
    }
    return label;
  }
  if (utf8 !== null) return 'utf-8';
  const sniffed = sniffLegacyCharset(bytes);
  warnings.push(`bytes are not valid UTF-8; sniffed ${sniffed}`);
  return sniffed;
}

function stripLeadingBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `<?xml version="1.0" encoding="koi8-r"?>` → `<?xml version="1.0"?>`: the text is already decoded. */
function withoutDeclaredEncoding(text: string): string {
  return text.replace(/^(\s*<\?xml\s[^>]*?)\s*encoding\s*=\s*(["'])[^"']*\2/, '$1');
}
