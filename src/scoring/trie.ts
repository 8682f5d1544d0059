/**
 * A word trie: each edge is one alias word, so a multiword alias is a path and matching costs one
 * walk per word position regardless of how many aliases there are (performance.md §2: flat from 10
 * to 10,000 terms).
 *
 * Words offer several lookup keys (see keys.ts) and a text word meets an alias word when any of
 * their keys are equal. Edges are keyed by alias-word ids, not by keys: every distinct alias word
 * gets an id, and a vocabulary maps each key to the ids stored under it. A trie keyed by the keys
 * themselves would need a path per combination of keys (a three-word alias with four keys a word
 * is 64 paths), which made a 10,000-term rebuild take most of a second; this one has one path per
 * alias spelling, so a rebuild is a few milliseconds.
 */
export interface TrieNode<T> {
  readonly children: Map<number, TrieNode<T>>;
  readonly targets: T[];
}

export interface WordTrie<T> {
  readonly root: TrieNode<T>;
  /** Key -> ids of the alias words stored under it. */
  readonly idsByKey: Map<string, number[]>;
  /** Alias word (its sorted keys) -> id. */
  readonly idBySpelling: Map<string, number>;
  /**
   * Text key list -> alias-word ids it meets (null: none). A text word's key list is one shared
   * array (keys.ts wordKeys), so after its first sight a word costs one identity lookup.
   */
  readonly memo: Map<readonly string[], readonly number[] | null>;
}

export interface TrieMatch<T> {
  /** Token index of the first word. */
  readonly start: number;
  /** Token index after the last word. */
  readonly end: number;
  readonly target: T;
}

const MEMO_LIMIT = 200_000;

export function createTrie<T>(): WordTrie<T> {
  return { root: { children: new Map(), targets: [] }, idsByKey: new Map(), idBySpelling: new Map(), memo: new Map() };
}

/** An alias word's identity, its sorted keys; remembered per key list (compile.ts caches those). */
const spellings = new WeakMap<readonly string[], string>();

function spellingOf(keys: readonly string[]): string {
  let spelling = spellings.get(keys);
  if (spelling === undefined) {
    spelling = [...keys].sort().join('\u0001');
    spellings.set(keys, spelling);
  }
  return spelling;
}

function wordId<T>(trie: WordTrie<T>, keys: readonly string[]): number {
  const spelling = spellingOf(keys);
  let id = trie.idBySpelling.get(spelling);
  if (id === undefined) {
    id = trie.idBySpelling.size;
    trie.idBySpelling.set(spelling, id);
    for (const key of new Set(keys)) {
      const ids = trie.idsByKey.get(key);
      if (ids) ids.push(id);
      else trie.idsByKey.set(key, [id]);
    }
    // A new alias word may meet text words already looked up.
    trie.memo.clear();
  }
  return id;
}

/** Stores `target` at the end of the path of these alias words (each given by its keys). */
export function insertPath<T>(trie: WordTrie<T>, words: readonly (readonly string[])[], target: T): void {
  if (words.length === 0 || words.some((keys) => keys.length === 0)) return;
  let node = trie.root;
  for (const keys of words) {
    const id = wordId(trie, keys);
    let child = node.children.get(id);
    if (!child) {
      child = { children: new Map(), targets: [] };
      node.children.set(id, child);
    }
    node = child;
  }
  if (!node.targets.includes(target)) node.targets.push(target);
}

function idsOf<T>(trie: WordTrie<T>, keys: readonly string[]): readonly number[] | null {
  const known = trie.memo.get(keys);
  if (known !== undefined) return known;
  let ids: number[] | null = null;
  for (const key of keys) {
    for (const id of trie.idsByKey.get(key) ?? []) {
      if (!ids?.includes(id)) (ids ??= []).push(id);
    }
  }
  if (trie.memo.size >= MEMO_LIMIT) trie.memo.clear();
  trie.memo.set(keys, ids);
  return ids;
}

function step<T>(from: readonly TrieNode<T>[], ids: readonly number[] | null): TrieNode<T>[] | null {
  if (ids === null) return null;
  let next: TrieNode<T>[] | null = null;
  for (const node of from) {
    if (node.children.size === 0) continue;
    for (const id of ids) {
      const child = node.children.get(id);
      if (child && !next?.includes(child)) (next ??= []).push(child);
    }
  }
  return next;
}

/**
 * Every (span, target) the words spell, overlapping spans included. Most words meet no alias word
 * at all, so a position costs one memo lookup and allocates nothing.
 */
export function walkTrie<T>(trie: WordTrie<T>, words: readonly (readonly string[])[]): TrieMatch<T>[] {
  const matches: TrieMatch<T>[] = [];
  const roots = [trie.root];
  for (let start = 0; start < words.length; start += 1) {
    let frontier = step(roots, idsOf(trie, words[start] ?? []));
    let end = start + 1;
    while (frontier !== null) {
      const emittedFrom = matches.length;
      for (const node of frontier) {
        for (const target of node.targets) {
          // One target reached along two paths of the same span is one match.
          if (!emittedSince(matches, emittedFrom, target)) matches.push({ start, end, target });
        }
      }
      if (end >= words.length) break;
      frontier = step(frontier, idsOf(trie, words[end] ?? []));
      end += 1;
    }
  }
  return matches;
}

function emittedSince<T>(matches: readonly TrieMatch<T>[], from: number, target: T): boolean {
  for (let index = from; index < matches.length; index += 1) if (matches[index]?.target === target) return true;
  return false;
}
