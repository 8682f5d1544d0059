import { canonicalKey, foldToken } from './fold.js';
import { aliasInflectionKeys, textInflectionKeys } from './inflection.js';
import { stem, stemLanguagesFor, type StemLanguage } from './stem.js';
import type { Word } from './text.js';

/**
 * Lookup keys. A trie edge is a string key; a text word offers several keys and an alias word is
 * stored under several, and they meet when any pair is equal:
 * - plain keys: canonicalKey, plus inflection stems (see inflection.ts);
 * - "~" keys: canonicalKey of a Porter stem, for keywords that opt in (`stem: true`) and for
 *   context terms. The prefix keeps Porter's output from colliding with plain keys.
 */
const STEM_PREFIX = '~';

/**
 * Stems shorter than this say too little to match on ("ал" from "Алиев"), and three letters collide
 * across scripts: Ukrainian "боку" ("on the part of") stems to "бок", romanised "bok", the stem of
 * Azerbaijani "boks" (boxing), so "з боку Росії" tripped the wrestling exclusion.
 */
const MIN_STEM_KEY = 4;

function addStem(keys: Set<string>, stemmed: string): void {
  const key = canonicalKey(foldToken(stemmed));
  if (key.length >= MIN_STEM_KEY) keys.add(STEM_PREFIX + key);
}

const CACHE_LIMIT = 200_000;
const MAX_WORD = 64;
const textKeyCache = new Map<string, readonly string[]>();
const NO_KEYS: readonly string[] = Object.freeze([]);

/** Every key a text word can be found under. Cached: the same words recur in every item. */
export function textKeys(raw: string, folded: string): readonly string[] {
  // No alias word is this long; a giant "word" (base64, a URL-safe blob) is not worth stemming.
  if (raw.length > MAX_WORD) return NO_KEYS;
  const cached = textKeyCache.get(raw);
  if (cached) return cached;
  const key = canonicalKey(folded);
  const keys = new Set(textInflectionKeys(key));
  const lower = raw.toLowerCase();
  for (const language of stemLanguagesFor(lower)) addStem(keys, stem(lower, language));
  const result = [...keys];
  if (textKeyCache.size >= CACHE_LIMIT) textKeyCache.clear();
  textKeyCache.set(raw, result);
  return result;
}

/** The keys of a shared Word, computed once and kept on it: one lookup per token instead of two. */
export function wordKeys(word: Word): readonly string[] {
  return (word.keys ??= textKeys(word.raw, word.folded));
}

export interface AliasKeyOptions {
  /** Also store under Porter stems. */
  readonly stem: boolean;
  /** The alias' language, when known: picks the stemmer. Otherwise the script decides. */
  readonly lang: string | null;
}

function stemLanguages(word: string, lang: string | null): StemLanguage[] {
  if (lang === 'en' || lang === 'ru' || lang === 'uk') return [lang];
  return stemLanguagesFor(word);
}

/** Every key one word of an alias is stored under. */
export function aliasKeys(raw: string, folded: string, options: AliasKeyOptions): string[] {
  const keys = new Set(aliasInflectionKeys(canonicalKey(folded)));
  if (options.stem) {
    const lower = raw.toLowerCase();
    for (const language of stemLanguages(lower, options.lang)) addStem(keys, stem(lower, language));
  }
  return [...keys];
}
