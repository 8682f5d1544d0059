/**
 * Folding: one spelling per word so that case, diacritics, script and common romanizations stop
 * mattering. Two levels:
 * - `foldToken`: lowercase, compatibility-decomposed, marks stripped ("Zəngəzur" -> "zengezur",
 *   "Одещині" -> "одещині" without the diaeresis). This is what near-duplicate detection reads.
 * - `canonicalKey`: the folded token transliterated to Latin and reduced to a spelling skeleton, so
 *   that "Орловка" = "Orlovka", "Алиев" = "Aliyev" = "Əliyev", "Азербайджан" = "Azerbaijan",
 *   "Одесса" = "Odesa", "СОКАР" = "SOCAR". Lossy on purpose: it is only ever compared with keys of
 *   profile aliases built by the same function, never shown to anyone.
 */

/** Letters NFKD does not decompose, or that must become two letters before the marks go. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ə: 'e', // Azerbaijani schwa; alias variants add the 'a' reading (see schwaVariants)
  ә: 'e', // Cyrillic schwa (Kazakh, Tatar)
  ı: 'i',
  ç: 'ch', // Azerbaijani/Turkish: Çeçenistan ~ Chechnya
  ş: 'sh', // Paşinyan ~ Pashinyan
  ł: 'l',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  қ: 'к', // Kazakh: Ақтау ~ Актау
  ғ: 'г',
  ү: 'у',
  ұ: 'у',
  ң: 'н',
  ө: 'о',
  һ: 'х',
};
const SPECIAL_PATTERN = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');
const MARKS = /\p{M}/gu;

export function foldToken(token: string): string {
  return token
    .toLowerCase()
    .replace(SPECIAL_PATTERN, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .normalize('NFKD')
    .replace(MARKS, '');
}

/**
 * Russian and Ukrainian Cyrillic to Latin, after folding (so й is already и, ё is е, ї is і).
 * One table for both languages: the text carries no language tag, and the key only has to agree
 * with itself. и and і both become i; the skeleton below merges y into i anyway.
 */
const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', є: 'ie', ж: 'zh', з: 'z', и: 'i', і: 'i',
  к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: 'u', ф: 'f',
  х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'i', ь: '', э: 'e', ю: 'iu', я: 'ia',
};
const CYRILLIC_PATTERN = /[\u0400-\u04ff]/g;

/**
 * Spelling skeleton of a Latin word. Each rule merges romanizations we meet in the news:
 * dzh/j (Azerbaidzhan), kh/x/h (Khankendi, Xankəndi, Ханкенди), c/k (SOCAR, СОКАР), q/k, w/v,
 * y/i (Aliyev, Aliev, Алиев; "iy" becomes "ii" and then "i"), a leading ye/e (Yekaterinburg,
 * Екатеринбург). Doubled consonants stay: merging them would turn the acronym TRIPP into "trip";
 * profiles list both Odessa and Odesa instead.
 */
function skeleton(latin: string): string {
  return latin
    .replace(/dzh/g, 'j')
    .replace(/kh/g, 'h')
    .replace(/x/g, 'h')
    .replace(/ck/g, 'k')
    .replace(/c(?!h)/g, 'k')
    .replace(/q/g, 'k')
    .replace(/w/g, 'v')
    .replace(/y/g, 'i')
    .replace(/^ie/, 'e')
    .replace(/i{2,}/g, 'i');
}

/**
 * Cyrillic and Greek letters that look like Latin ones. A word mixing them with Latin letters
 * ("SОCAR" with a Cyrillic О, "SОСAR" with a Cyrillic С too) is a look-alike spelling of a Latin
 * word, so there they stand for the letter they look like, not the one they transliterate to
 * (Cyrillic с is "s" in Сочи but "c" in a Latin word). Pure Cyrillic words are transliterated.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  α: 'a', β: 'b', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'm', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};
const LOOKALIKE_PATTERN = /[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]/g;
const LATIN_LETTER = /[a-z]/;
const NON_LATIN_LETTER = /[\u0370-\u03ff\u0400-\u052f]/;

/** The key a folded token is looked up by: Latin skeleton, whatever the script. */
export function canonicalKey(folded: string): string {
  // One letter is too little to guess a script from: Russian "в" (in) is not the "V" of Sputnik V.
  if (folded.length <= 1) return folded;
  if (LATIN_LETTER.test(folded) && NON_LATIN_LETTER.test(folded)) {
    return skeleton(folded.replace(LOOKALIKE_PATTERN, (letter) => LOOKALIKES[letter] ?? letter));
  }
  const latin = folded.replace(CYRILLIC_PATTERN, (letter) => CYRILLIC[letter] ?? letter);
  return skeleton(latin);
}

const SCHWA = /[əƏ]/g;
const MAX_SCHWA_VARIANTS = 8;

/**
 * An Azerbaijani alias with ə also stands for its English spellings, where ə became a or e
 * (Əliyev -> Aliyev, Zəngəzur -> Zangezur). Folding maps ə to e; this adds every a/e mix
 * (capped) so a profile author writes the Azerbaijani form once.
 */
export function schwaVariants(alias: string): string[] {
  const count = alias.match(SCHWA)?.length ?? 0;
  if (count === 0) return [alias];
  const variants = new Set<string>([alias, alias.replace(SCHWA, (s) => (s === 'Ə' ? 'A' : 'a'))]);
  if (2 ** count <= MAX_SCHWA_VARIANTS) {
    for (let mask = 0; mask < 2 ** count; mask += 1) {
      let index = 0;
      variants.add(
        alias.replace(SCHWA, (s) => {
          const useA = (mask >> index++) & 1;
          if (!useA) return s;
          return s === 'Ə' ? 'A' : 'a';
        }),
      );
    }
  }
  return [...variants];
}
