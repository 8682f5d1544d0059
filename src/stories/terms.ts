import { analyzeText, canonicalKey } from '../scoring/index.js';

const folded = (words: string): string[] =>
  words
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => analyzeText(word).tokens[0] ?? word);

/**
 * Function words of the four languages the demo feeds use: articles, prepositions, conjunctions,
 * pronouns, auxiliaries. Compared after folding (lowercase, marks stripped), before transliteration.
 */
const FUNCTION_WORDS = new Set(
  folded(
    'the a an and or of to in on at for from by with as is are was were be been has have had it its this that these those ' +
      'after before over under into about will would could amid than also but not no who what when where which how why ' +
      'и в во на по с со к ко о об от до из за для не что как это его ее их он она они был была были будет ' +
      'после перед при также уже или но а же ли бы ' +
      'і й та у на з зі до від для не що як це його її їх він вона вони був була були буде після також вже або але ' +
      've ile bu bir da de ki ucun üçün olan olub edib etdi sonra daha artıq ilə oldu',
  ),
);

/** Words that carry no story: the function words, and news boilerplate ("says", "report", "year"). */
const STOPWORDS = new Set([
  ...FUNCTION_WORDS,
  ...folded(
    'says said say new news report reports near more up out all one two three first last year years day days week ' +
      'года году день дней заявил заявила сообщил сообщает року заявив повідомив повідомляє il gün bildirib deyib',
  ),
]);

const STEM = 5;

/** Terms already made: a news vocabulary repeats, and transliteration was a third of the features' cost. */
const known = new Map<string, string | null>();
const KNOWN_MAX = 50_000;

/** A folded token as a join term: transliterated skeleton, cut to a stem so inflections agree. */
function termOf(token: string): string | null {
  const cached = known.get(token);
  if (cached !== undefined) return cached;
  const term = token.length < 4 || STOPWORDS.has(token) || /^\d+$/.test(token) ? null : canonicalKey(token).slice(0, STEM);
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(token, term);
  return term;
}

/**
 * The distinctive terms of a report: title terms first (they name the event), then the summary's
 * most frequent, at most `limit`. Cyrillic and Latin spellings of a name meet in one stem, so a
 * Russian and an English report of the same strike share "orlov", "kompr", "odesa".
 */
export function distinctiveTerms(titleTokens: readonly string[], summaryTokens: readonly string[], limit = 24): string[] {
  const counts = new Map<string, number>();
  for (const token of titleTokens) {
    const term = termOf(token);
    if (term) counts.set(term, (counts.get(term) ?? 0) + 3);
  }
  for (const token of summaryTokens) {
    const term = termOf(token);
    if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return [...counts.entries()]
    // Ties by code unit, not localeCompare: as deterministic, and ICU collation was half this function's time.
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([term]) => term);
}

/** A function word of the four languages ("the", "и", "та", "ve"…): it narrows no search ("new", "report" do). */
export function isFunctionWord(word: string): boolean {
  const tokens = analyzeText(word).tokens;
  return tokens.length === 1 && FUNCTION_WORDS.has(tokens[0] ?? '');
}

/** Folded tokens of a text, as the scorer makes them. */
export function tokensOf(text: string): string[] {
  return analyzeText(text).tokens;
}

/** Folded tokens ending within the first `maxChars` characters of the cleaned text (the scorer's AnalyzedText.words cut). */
export function leadTokensOf(text: string, maxChars: number): string[] {
  return analyzeText(text, maxChars).tokens;
}
