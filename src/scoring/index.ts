import type { Profile } from '../core/profile.js';
import type { ScorableText, ScoreResult } from '../core/score.js';
import { compileProfiles, insertPhrase, type Target } from './compile.js';
import type { FieldAnalysis } from './hits.js';
import { textKeys } from './keys.js';
import { resolveEntities, type ResolvedEntity } from './resolve.js';
import { scoreProfile, type WatchTermInput } from './score.js';
import { cleanText, tokenize } from './text.js';
import { createTrie, walkTrie, type TrieMatch, type TrieNode } from './trie.js';

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

const WATCH_CACHE_LIMIT = 64;

/** Watch terms change rarely but arrive as fresh arrays each poll: compile once per distinct list. */
function watchTrieCache(): (terms: readonly WatchTermInput[]) => TrieNode<Target> | null {
  const cache = new Map<string, TrieNode<Target>>();
  return (terms) => {
    if (terms.length === 0) return null;
    const key = JSON.stringify(terms.map((term) => [term.term, term.aliases]));
    const cached = cache.get(key);
    if (cached) return cached;
    const root = createTrie<Target>();
    terms.forEach((term, index) => {
      const target: Target = { kind: 'watch', profile: -1, index };
      for (const phrase of [term.term, ...term.aliases]) insertPhrase(root, phrase, { stem: true, lang: null }, target);
    });
    if (cache.size >= WATCH_CACHE_LIMIT) cache.clear();
    cache.set(key, root);
    return root;
  };
}

/** Compiles the profiles once (milliseconds, even for thousands of aliases) and scores items against them. */
export function createScorer(profiles: readonly Profile[]): Scorer {
  const matcher = compileProfiles(profiles);
  const watchTrie = watchTrieCache();
  const indexById = new Map(profiles.map((profile, index) => [profile.id, index]));

  const analyze = (field: FieldAnalysis['field'], text: string, watchRoot: TrieNode<Target> | null): FieldAnalysis => {
    const clean = cleanText(text);
    const tokens = tokenize(clean);
    const keys = tokens.map((token) => textKeys(token.raw, token.folded));
    const matches: TrieMatch<Target>[] = walkTrie(matcher.root, keys);
    if (watchRoot) matches.push(...walkTrie(watchRoot, keys));
    return { field, clean, tokens, matches };
  };

  return {
    profiles,
    score(text, options = {}) {
      const watch = options.watchTerms ?? [];
      const watchRoot = watchTrie(watch);
      const fields = [analyze('title', text.title, watchRoot), analyze('summary', text.summary, watchRoot)];
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
