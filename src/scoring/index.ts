import type { Profile } from '../core/profile.js';
import type { ScorableText, ScoreResult } from '../core/score.js';
import { compileProfiles } from './compile.js';
import type { FieldAnalysis } from './hits.js';
import { wordKeys } from './keys.js';
import { resolveEntities, type ResolvedEntity } from './resolve.js';
import { scoreProfile, type WatchTermInput } from './score.js';
import { cleanText, MAX_FIELD, tokenize } from './text.js';
import { walkTrie } from './trie.js';
import { createWatchMatcher } from './watch.js';

export type { WatchTermInput } from './score.js';
export type { ResolvedEntity } from './resolve.js';
export { analyzeText } from './text.js';
export { foldToken, canonicalKey } from './fold.js';

export interface ScoreOptions {
  /** Profile ids to score against (default: all). Unknown ids are skipped. */
  readonly profiles?: readonly string[];
  /** Overrides the profiles' thresholds (a destination's own threshold); null means the profile's. */
  readonly threshold?: number | null;
  /** A destination's extra terms (/watch add), scored in every selected profile. */
  readonly watchTerms?: readonly WatchTermInput[];
}

/**
 * An item's text cleaned, tokenized and matched against the profiles once: score it for as many
 * destinations as need it, and hand its words to story matching, without reading the text again.
 */
export interface AnalyzedText {
  readonly title: string;
  readonly summary: string;
  /** Folded words of a field, as the matcher read them; only those ending within `maxChars` of the cleaned text. */
  words(field: 'title' | 'summary', maxChars?: number): string[];
}

interface Analysis extends AnalyzedText {
  readonly fields: readonly (FieldAnalysis & { readonly keys: readonly (readonly string[])[] })[];
}

export interface Scorer {
  readonly profiles: readonly Profile[];
  /** Cleans, tokenizes and matches an item's text once (see AnalyzedText). */
  analyze(text: ScorableText): AnalyzedText;
  /** Scores one item (its text, or its analysis) against the named profiles (default: all). Pure, synchronous. */
  score(text: ScorableText | AnalyzedText, options?: ScoreOptions): ScoreResult[];
  /** Entities whose alias/label matches a free query in any script (e.g. 'socar', 'СОКАР', 'Орловка'): for /timeline. */
  resolveEntities(query: string): ResolvedEntity[];
}

export { MAX_FIELD } from './text.js';

/** Compiles the profiles once (milliseconds, even for thousands of aliases) and scores items against them. */
export function createScorer(profiles: readonly Profile[]): Scorer {
  const matcher = compileProfiles(profiles);
  const watchMatcher = createWatchMatcher();
  const indexById = new Map(profiles.map((profile, index) => [profile.id, index]));

  const analyzeField = (field: FieldAnalysis['field'], text: string): Analysis['fields'][number] => {
    const clean = cleanText(text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text);
    const tokens = tokenize(clean);
    const keys = tokens.map((token) => wordKeys(token.word));
    return { field, clean, tokens, keys, matches: walkTrie(matcher.trie, keys) };
  };
  const analyze = (text: ScorableText): Analysis => {
    const fields = [analyzeField('title', text.title), analyzeField('summary', text.summary)];
    return {
      title: text.title,
      summary: text.summary,
      fields,
      words(field, maxChars = Infinity) {
        const tokens = fields[field === 'title' ? 0 : 1]?.tokens ?? [];
        const words: string[] = [];
        for (const token of tokens) {
          if (token.end > maxChars) break;
          words.push(token.folded);
        }
        return words;
      },
    };
  };
  // A destination's watch terms match on the keys the analysis already made.
  const withWatch = (analysis: Analysis, watch: readonly WatchTermInput[]): readonly FieldAnalysis[] =>
    watch.length === 0 ? analysis.fields : analysis.fields.map((field) => ({ ...field, matches: [...field.matches, ...watchMatcher.match(watch, field.keys)] }));

  return {
    profiles,
    analyze,
    score(text, options = {}) {
      const watch = options.watchTerms ?? [];
      const fields = withWatch('fields' in text ? (text as Analysis) : analyze(text), watch);
      const wanted = options.profiles ?? profiles.map((profile) => profile.id);
      const results: ScoreResult[] = [];
      for (const id of wanted) {
        const index = indexById.get(id);
        const compiled = index === undefined ? undefined : matcher.profiles[index];
        if (index === undefined || !compiled) continue;
        const threshold = options.threshold ?? compiled.profile.threshold;
        results.push(scoreProfile(compiled, index, fields, watch, threshold));
      }
      return results;
    },
    resolveEntities(query) {
      return resolveEntities(matcher, query);
    },
  };
}
