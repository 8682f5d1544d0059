/**
 * Inflection without a dictionary, on canonical (Latin skeleton) keys. Names are what the profile
 * matches, and Porter stemmers mangle names (Russian Porter stems "Алиев" to "ал" but "Алиева" to
 * "алиев"), so names match by a closed list of endings instead:
 * - a text word also tries itself minus one known ending ("azerbaijanom" -> "azerbaijan",
 *   "bakida" -> "baki", "rusianin" -> "rusia", "drones" -> "drone");
 * - an alias also answers to itself minus its nominative vowel ("odesa" -> "odes", so "Одессе",
 *   "Одесі" and "Odesa'da" meet it; "rosiski" (российский) -> "rosisk" for adjective forms).
 * A stem must keep at least MIN_STEM letters, which keeps short words from matching by accident.
 */
const MIN_STEM = 4;

/** Endings as they look after canonicalKey (Cyrillic romanized, y->i, doubled letters merged). */
const TEXT_ENDINGS: readonly string[] = [
  // Russian nouns and adjectives
  'a', 'u', 'e', 'i', 'o', 'om', 'oi', 'oiu', 'ov', 'ev', 'am', 'ami', 'ah', 'ei', 'iu', 'ia', 'em',
  'iam', 'iami', 'iah', 'im', 'imi', 'ih', 'ogo', 'omu', 'ego', 'emu', 'aia', 'uiu', 'ie', 'ei',
  // Ukrainian
  'ovi', 'evi', 'eiu', 'iv',
  // Azerbaijani cases, plurals and possessives (ı/i/u/ü and a/ə already merged by folding)
  'in', 'un', 'nin', 'nun', 'da', 'de', 'dan', 'den', 'ta', 'te', 'tan', 'ten', 'la', 'le', 'ile',
  'ila', 'ni', 'nu', 'si', 'su', 'sinin', 'sini', 'sina', 'sine', 'dir', 'dur', 'lar', 'ler',
  'lari', 'leri', 'larin', 'lerin', 'lara', 'lere', 'larda', 'lerde', 'daki', 'deki', 'nda',
  'nde', 'ndan', 'nden', 'li', 'lu',
  // Azerbaijani "our" (güləşçimiz, ölkəmiz, soydaşlarımızın), bare and with a case after it
  'imiz', 'umuz', 'miz', 'muz', 'imizin', 'umuzun', 'mizin', 'muzun', 'imiza', 'imize', 'umuza',
  'imizda', 'imizde', 'umuzda', 'imizdan', 'imizden',
  // English plurals and demonyms (Azerbaijani, Russian, Azerbaijanis)
  's', 'es', 'n', 'an', 'is', 'ns',
];

/** Nominative endings an alias may drop to form its stem. */
const ALIAS_ENDINGS: readonly string[] = ['a', 'ia', 'o', 'e', 'i', 'ie', 'oi', 'aia', 'oe'];

const ENDINGS_BY_LENGTH = [...new Set(TEXT_ENDINGS)].sort((a, b) => b.length - a.length);

function strip(key: string, endings: readonly string[]): string[] {
  const stems: string[] = [];
  for (const ending of endings) {
    if (key.length - ending.length >= MIN_STEM && key.endsWith(ending)) {
      stems.push(key.slice(0, key.length - ending.length));
    }
  }
  return stems;
}

/** Keys a text word is looked up by: itself, then itself minus each ending it has. */
export function textInflectionKeys(key: string): string[] {
  return [key, ...strip(key, ENDINGS_BY_LENGTH)];
}

/** Keys an alias word is stored under: itself, and its stem without the nominative ending. */
export function aliasInflectionKeys(key: string): string[] {
  return [key, ...strip(key, ALIAS_ENDINGS)];
}
