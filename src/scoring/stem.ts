import { createRequire } from 'node:module';

/**
 * natural's Porter stemmers, loaded by file path: the package root pulls in database clients and
 * WordNet (~0.7 s, +114 MiB) and runs dotenv; these three files load in a few milliseconds.
 * Stemming costs 1–2 µs a token, so every result is kept in a bounded Map: news vocabulary is
 * small and repeats, and a warm lookup costs about as much as the Map.get itself.
 */
interface NaturalStemmer {
  stem(token: string): string;
}

const require = createRequire(import.meta.url);
const STEMMERS: Readonly<Record<StemLanguage, NaturalStemmer>> = {
  en: require('natural/lib/natural/stemmers/porter_stemmer.js') as NaturalStemmer,
  ru: require('natural/lib/natural/stemmers/porter_stemmer_ru.js') as NaturalStemmer,
  uk: require('natural/lib/natural/stemmers/porter_stemmer_uk.js') as NaturalStemmer,
};

export type StemLanguage = 'en' | 'ru' | 'uk';

const CACHE_LIMIT = 200_000;
const cache = new Map<string, string>();

/** Porter stem of one lowercase word in the given language, through the cache. */
export function stem(word: string, language: StemLanguage): string {
  const key = `${language}:${word}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let result: string;
  try {
    result = STEMMERS[language].stem(word);
  } catch {
    // A stemmer bug on an odd word must not fail scoring: the word simply has no stem.
    result = word;
  }
  // Dropping everything at the cap is crude but cheap, and the vocabulary refills quickly.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

const CYRILLIC = /[\u0400-\u04ff]/;

/** Stemmers that apply to a word by its script: Cyrillic gets Russian and Ukrainian, Latin English. */
export function stemLanguagesFor(word: string): StemLanguage[] {
  return CYRILLIC.test(word) ? ['ru', 'uk'] : ['en'];
}
