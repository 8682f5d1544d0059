import type { Alias, ContextRule, Profile } from '../core/profile.js';
import { schwaVariants } from './fold.js';
import { aliasKeys, type AliasKeyOptions } from './keys.js';
import { cleanText, tokenize } from './text.js';
import { createTrie, insertPath, type WordTrie } from './trie.js';

/** What a trie path stands for. `profile` indexes CompiledProfiles; `index` the definition list. */
export type Target =
  | { readonly kind: 'entity' | 'keyword' | 'negative' | 'context'; readonly profile: number; readonly index: number }
  | { readonly kind: 'watch'; readonly profile: -1; readonly index: number };

/** A context reference: an entity of the same profile, or a term in `contextTerms`. */
export type ContextRef = { readonly entity: number } | { readonly term: number };

export interface CompiledRule {
  readonly requires: readonly ContextRef[];
  readonly excludes: readonly ContextRef[];
}

export interface CompiledProfile {
  readonly profile: Profile;
  readonly contextTerms: readonly string[];
  readonly entityRules: readonly CompiledRule[];
  readonly keywordRules: readonly CompiledRule[];
}

export interface CompiledMatcher {
  readonly trie: WordTrie<Target>;
  readonly profiles: readonly CompiledProfile[];
}

const ENTITY_KEYS: AliasKeyOptions = { stem: false, lang: null };
const CONTEXT_KEYS: AliasKeyOptions = { stem: true, lang: null };

type PhrasePaths = readonly (readonly (readonly string[])[])[];
const PATH_CACHE_LIMIT = 100_000;
const pathCache = new Map<string, PhrasePaths>();

/**
 * The trie paths of a phrase: per ə spelling, the keys of each word. Computing keys (folding,
 * romanizing, stemming) is most of a compile, and a watch-term change recompiles a destination's
 * whole list; remembering each phrase's paths makes that rebuild cost only the trie inserts.
 */
function phrasePaths(phrase: string, options: AliasKeyOptions): PhrasePaths {
  const cacheKey = `${options.stem ? 's' : '-'}${options.lang ?? ''}\u0000${phrase}`;
  const cached = pathCache.get(cacheKey);
  if (cached) return cached;
  const paths = schwaVariants(phrase).map((variant) => tokenize(cleanText(variant)).map((token) => aliasKeys(token.raw, token.folded, options)));
  if (pathCache.size >= PATH_CACHE_LIMIT) pathCache.clear();
  pathCache.set(cacheKey, paths);
  return paths;
}

/** Adds one phrase (all its ə spellings) to the trie. */
export function insertPhrase(trie: WordTrie<Target>, phrase: string, options: AliasKeyOptions, target: Target): void {
  for (const words of phrasePaths(phrase, options)) insertPath(trie, words, target);
}

function insertAliases(
  trie: WordTrie<Target>,
  phrases: readonly Alias[],
  options: (alias: Alias) => AliasKeyOptions,
  target: Target,
): void {
  for (const alias of phrases) insertPhrase(trie, alias.text, options(alias), target);
}

function compileRule(
  rule: ContextRule,
  entityIndex: ReadonlyMap<string, number>,
  termIndex: Map<string, number>,
): CompiledRule {
  const ref = (value: string): ContextRef => {
    const entity = entityIndex.get(value);
    if (entity !== undefined) return { entity };
    let term = termIndex.get(value);
    if (term === undefined) {
      term = termIndex.size;
      termIndex.set(value, term);
    }
    return { term };
  };
  return { requires: rule.requires.map(ref), excludes: rule.excludes.map(ref) };
}

/** Compiles every profile into one trie: one walk per item serves them all. */
export function compileProfiles(profiles: readonly Profile[]): CompiledMatcher {
  const trie = createTrie<Target>();
  const compiled = profiles.map((profile, p): CompiledProfile => {
    const entityIndex = new Map(profile.entities.map((entity, index) => [entity.id, index]));
    const termIndex = new Map<string, number>();
    profile.entities.forEach((entity, index) => {
      const target: Target = { kind: 'entity', profile: p, index };
      insertAliases(trie, [{ text: entity.label, lang: null }, ...entity.aliases], () => ENTITY_KEYS, target);
    });
    profile.keywords.forEach((keyword, index) => {
      const target: Target = { kind: 'keyword', profile: p, index };
      const phrases = [{ text: keyword.term, lang: keyword.lang }, ...keyword.aliases];
      insertAliases(trie, phrases, (alias) => ({ stem: keyword.stem, lang: alias.lang }), target);
    });
    profile.negatives.forEach((negative, index) => {
      const target: Target = { kind: 'negative', profile: p, index };
      insertAliases(trie, [{ text: negative.term, lang: null }, ...negative.aliases], () => ENTITY_KEYS, target);
    });
    const entityRules = profile.entities.map((entity) => compileRule(entity.context, entityIndex, termIndex));
    const keywordRules = profile.keywords.map((keyword) => compileRule(keyword.context, entityIndex, termIndex));
    const contextTerms = [...termIndex.keys()];
    contextTerms.forEach((term, index) => {
      insertPhrase(trie, term, CONTEXT_KEYS, { kind: 'context', profile: p, index });
    });
    return { profile, contextTerms, entityRules, keywordRules };
  });
  return { trie, profiles: compiled };
}
