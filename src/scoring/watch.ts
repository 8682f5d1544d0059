import { insertPhrase, type Target } from './compile.js';
import type { WatchTermInput } from './score.js';
import { createTrie, walkTrie, type TrieMatch } from './trie.js';

/**
 * Per-destination watch terms (/watch add), matched beside the profiles.
 *
 * Every watch phrase any destination uses goes once into one shared trie, whose targets are phrase
 * ids. A destination's list is compiled into a small table phrase id -> its own targets (term
 * indexes). So adding a term inserts one phrase (microseconds) and builds the table (one Map entry
 * per phrase: a few milliseconds at 10,000 terms); removing one only builds the table. The profiles'
 * trie is never rebuilt. Phrases no list uses any more stay in the shared trie, harmless, until it
 * holds PHRASE_LIMIT of them; then it starts afresh and lists recompile on their next use.
 */
const WATCH_OPTIONS = { stem: true, lang: null } as const;
const PHRASE_LIMIT = 200_000;
const LIST_CACHE_LIMIT = 64;

interface CompiledList {
  readonly generation: number;
  /** Phrase id -> the targets (one per term using the phrase) in this list. */
  readonly targets: ReadonlyMap<number, readonly Target[]>;
}

export interface WatchMatcher {
  /** Matches of a list's terms in one field's words; targets index the list. */
  match(terms: readonly WatchTermInput[], words: readonly (readonly string[])[]): TrieMatch<Target>[];
}

export function createWatchMatcher(): WatchMatcher {
  let trie = createTrie<Target>();
  let phraseIds = new Map<string, number>();
  let generation = 0;
  const byList = new WeakMap<readonly WatchTermInput[], CompiledList>();
  const byContent = new Map<string, CompiledList>();

  const phraseId = (phrase: string): number => {
    let id = phraseIds.get(phrase);
    if (id === undefined) {
      id = phraseIds.size;
      phraseIds.set(phrase, id);
      insertPhrase(trie, phrase, WATCH_OPTIONS, { kind: 'watch', profile: -1, index: id });
    }
    return id;
  };

  const compile = (terms: readonly WatchTermInput[]): CompiledList => {
    if (phraseIds.size >= PHRASE_LIMIT) {
      trie = createTrie<Target>();
      phraseIds = new Map();
      generation += 1;
      byContent.clear();
    }
    const targets = new Map<number, Target[]>();
    terms.forEach((term, index) => {
      const target: Target = { kind: 'watch', profile: -1, index };
      for (const phrase of new Set([term.term, ...term.aliases])) {
        const id = phraseId(phrase);
        const list = targets.get(id);
        if (list) list.push(target);
        else targets.set(id, [target]);
      }
    });
    return { generation, targets };
  };

  /** The pipeline passes one list object for every item of a poll: one identity lookup per item. */
  const compiled = (terms: readonly WatchTermInput[]): CompiledList => {
    const known = byList.get(terms);
    if (known && known.generation === generation) return known;
    // Weights and polarity are read from the list when scoring; only the phrases shape the table.
    const key = JSON.stringify(terms.map((term) => [term.term, term.aliases]));
    let list = byContent.get(key);
    if (!list || list.generation !== generation) {
      list = compile(terms);
      if (byContent.size >= LIST_CACHE_LIMIT) byContent.clear();
      byContent.set(key, list);
    }
    byList.set(terms, list);
    return list;
  };

  return {
    match(terms, words) {
      if (terms.length === 0) return [];
      const list = compiled(terms);
      const matches: TrieMatch<Target>[] = [];
      const seen = new Set<string>();
      for (const match of walkTrie(trie, words)) {
        for (const target of list.targets.get(match.target.index) ?? []) {
          // A term whose term and alias both match one span counts once there.
          const key = `${match.start}:${match.end}:${target.index}`;
          if (seen.has(key)) continue;
          seen.add(key);
          matches.push({ start: match.start, end: match.end, target });
        }
      }
      return matches;
    },
  };
}
