import { foldToken } from './fold.js';

/**
 * Tokenizing. Letters, digits and combining marks make words (\p{M} keeps decomposed "é" whole);
 * everything else separates, so "SOCAR-owned" is two words and "Azərbaycan'ın" is
 * "azərbaycan" + "ın". Invisible characters (zero-width space/joiner, soft hyphen, bidi controls)
 * are removed first: a feed can hide them inside a word to dodge filters.
 */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF]/g;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export interface Token {
  /** The word as written (NFC, invisibles removed). */
  readonly raw: string;
  readonly folded: string;
  /** Offsets into the cleaned text. */
  readonly start: number;
  readonly end: number;
}

/** The text the scorer and the reasons quote: NFC, invisibles removed. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '');
}

/** Words of already-cleaned text, with their offsets. */
export function tokenize(clean: string): Token[] {
  const tokens: Token[] = [];
  for (const match of clean.matchAll(WORD)) {
    const raw = match[0];
    tokens.push({ raw, folded: foldToken(raw), start: match.index, end: match.index + raw.length });
  }
  return tokens;
}

/** Folded words of any text: shared with near-duplicate detection, so both read text alike. */
export function analyzeText(text: string): { tokens: string[] } {
  return { tokens: tokenize(cleanText(text)).map((token) => token.folded) };
}
