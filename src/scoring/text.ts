import { foldToken } from './fold.js';

/**
 * Tokenizing. Letters, digits and combining marks make words (\p{M} keeps decomposed "é" whole);
 * everything else separates, so "SOCAR-owned" is two words and "Azərbaycan'ın" is
 * "azərbaycan" + "ın". Invisible characters (zero-width space/joiner, soft hyphen, bidi controls,
 * variation selectors) are removed first: a feed can hide them inside a word to dodge filters.
 * Tag characters, variation selectors, NUL and other non-space controls, and lone surrogates go
 * too (see INVISIBLE). Emoji and symbols separate words.
 */
// Written without the u flag (as UTF-16 units; tags U+E0000–E007F and selectors U+E0100–E01EF are
// \uDB40 pairs): the non-Unicode regex scans several times faster, and this runs on every field.
// Also removed: control characters other than whitespace (NUL, U+0001–U+0008, U+000E–U+001F,
// DEL, C1 but NEL) and lone surrogates. Removed, not turned into spaces, so that one hidden inside
// a word ("SO\0CAR") cannot split it; a feed that uses them as word separators is broken anyway.
const INVISIBLE =
  /\uDB40[\uDC00-\uDC7F\uDD00-\uDDEF]|[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF]/g;
/** Checked for only when the text has surrogates at all: lookarounds make a scan several times slower. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]+$/u;

/** A distinct word as written, shared by every occurrence: folding and lookup keys are computed once. */
export interface Word {
  readonly raw: string;
  readonly folded: string;
  /** Lookup keys of the word as item text (see keys.ts), filled on first use. */
  keys: readonly string[] | undefined;
}

export interface Token {
  /** The word as written (NFC, invisibles removed). */
  readonly raw: string;
  readonly folded: string;
  /** Offsets into the cleaned text. */
  readonly start: number;
  readonly end: number;
  readonly word: Word;
}

/**
 * The text the scorer and the reasons quote: invisibles removed, then NFKC, so that look-alike
 * compatibility forms read as the letters they stand for (fullwidth ＳＯＣＡＲ, math bold 𝐒𝐎𝐂𝐀𝐑, the
 * ﬁ ligature) and composed and decomposed accents are one spelling.
 */
export function cleanText(text: string): string {
  const visible = text.replace(INVISIBLE, '');
  return (ANY_SURROGATE.test(visible) ? visible.replace(LONE_SURROGATE, '') : visible).normalize('NFKC');
}

/** Each field is cut to this many UTF-16 units before matching (feeds cap summaries at 64 KiB too); analyzeText cuts the same. */
export const MAX_FIELD = 64 * 1024;

const WORD_CACHE_LIMIT = 200_000;
const words = new Map<string, Word>();

/**
 * The shared Word for a spelling. Folding (lowercase, NFKD, mark stripping) was a third of the
 * scorer's time, and news vocabulary repeats, so most words are folded once per process.
 */
function wordOf(raw: string): Word {
  let word = words.get(raw);
  if (word === undefined) {
    word = { raw, folded: foldToken(raw), keys: undefined };
    // Dropping everything at the cap is crude but cheap, and the vocabulary refills quickly.
    if (words.size >= WORD_CACHE_LIMIT) words.clear();
    words.set(raw, word);
  }
  return word;
}

/** Word-character class of each BMP code unit, decided once by the Unicode regex: 1 word, 2 not. */
const bmpClass = new Uint8Array(0x10000);

function isWordUnit(code: number): boolean {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
  let known = bmpClass[code];
  if (!known) {
    // Surrogates are never word characters on their own; real pairs take the slow path below.
    known = code >= 0xd800 && code <= 0xdfff ? 2 : WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    bmpClass[code] = known;
  }
  return known === 1;
}

/** Code units (0, 1 or 2) of the word character at `index`; a lone surrogate is not one. */
function wordCharLength(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (isWordUnit(code)) return 1;
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = text.charCodeAt(index + 1);
    if (low >= 0xdc00 && low <= 0xdfff && WORD_CHAR.test(text.slice(index, index + 2))) return 2;
  }
  return 0;
}

/**
 * Words of already-cleaned text, with their offsets. A charCode scan with a per-code-unit class
 * table is 2.7× faster than matchAll over /[\p{L}\p{N}\p{M}]+/gu (measured) and reads the same
 * words; NUL, controls, emoji and lone surrogates are not word characters, so they separate.
 */
export function tokenize(clean: string): Token[] {
  const tokens: Token[] = [];
  const length = clean.length;
  let index = 0;
  while (index < length) {
    let step = wordCharLength(clean, index);
    if (step === 0) {
      index += 1;
      continue;
    }
    const start = index;
    while (step > 0) {
      index += step;
      step = index < length ? wordCharLength(clean, index) : 0;
    }
    const word = wordOf(clean.slice(start, index));
    tokens.push({ raw: word.raw, folded: word.folded, start, end: index, word });
  }
  return tokens;
}

/**
 * Folded words of any text: shared with near-duplicate detection, so both read text alike. With
 * `maxChars`, only the words ending within that many characters of the cleaned text (what the
 * scorer's analysis gives for the same cut).
 */
export function analyzeText(text: string, maxChars = Infinity): { tokens: string[] } {
  // Cut where the scorer cuts a field: a tighter cut could lose words when cleaning
  // removes most of a text (a feed padding words with invisible characters).
  const source = Number.isFinite(maxChars) && text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text;
  const tokens: string[] = [];
  for (const token of tokenize(cleanText(source))) {
    if (token.end > maxChars) break;
    tokens.push(token.folded);
  }
  return { tokens };
}
