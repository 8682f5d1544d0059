import type { Profile } from '../core/profile.js';
import type { ScorableText, ScoreResult } from '../core/score.js';
import { compileProfiles, type Target } from './compile.js';
import type { FieldAnalysis } from './hits.js';
import { wordKeys } from './keys.js';
import { resolveEntities, type ResolvedEntity } from './resolve.js';
import { scoreProfile, type WatchTermInput } from './score.js';
import { cleanText, tokenize } from './text.js';
import { walkTrie, type TrieMatch } from './trie.js';
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

export interface Scorer {
  readonly profiles: readonly Profile[];
  /** Scores one item against the named profiles (default: all). Pure, synchronous. */
  score(text: ScorableText, options?: ScoreOptions): ScoreResult[];
  /** Entities whose alias/label matches a free query in any script (e.g. 'socar', 'СОКАР', 'Орловка'): for /timeline. */
  resolveEntities(query: string): ResolvedEntity[];
}

/** Each field is cut to this many UTF-16 units before matching (feeds cap summaries at 64 KiB too). */
export const MAX_FIELD = 64 * 1024;

/** Compiles the profiles once (milliseconds, even for thousands of aliases) and scores items against them. */
export function createScorer(profiles: readonly Profile[]): Scorer {
  const matcher = compileProfiles(profiles);
  const watchMatcher = createWatchMatcher();
  const indexById = new Map(profiles.map((profile, index) => [profile.id, index]));

  const analyze = (field: FieldAnalysis['field'], text: string, watch: readonly WatchTermInput[]): FieldAnalysis => {
    const clean = cleanText(text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text);
    const tokens = tokenize(clean);
    const keys = tokens.map((token) => wordKeys(token.word));
    const matches: TrieMatch<Target>[] = walkTrie(matcher.trie, keys);
    if (watch.length > 0) matches.push(...watchMatcher.match(watch, keys));
    return { field, clean, tokens, matches };
  };

  return {
    profiles,
    score(text, options = {}) {
      const watch = options.watchTerms ?? [];
      const fields = [analyze('title', text.title, watch), analyze('summary', text.summary, watch)];
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
