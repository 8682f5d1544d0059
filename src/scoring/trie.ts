/**
 * A token trie: each edge is one word key, so a multiword alias is a path and matching costs one
 * walk per word position regardless of how many aliases there are (performance.md §2: flat from 10
 * to 10,000 terms, and a rebuild takes milliseconds). Words offer several keys (see keys.ts), so a
 * walk follows every edge any of them names.
 */
export interface TrieNode<T> {
  readonly children: Map<string, TrieNode<T>>;
  readonly targets: T[];
}

export interface TrieMatch<T> {
  /** Token index of the first word. */
  readonly start: number;
  /** Token index after the last word. */
  readonly end: number;
  readonly target: T;
}

export function createTrie<T>(): TrieNode<T> {
  return { children: new Map(), targets: [] };
}

/** Stores `target` at the end of every path that picks one key per word. */
export function insertPath<T>(root: TrieNode<T>, words: readonly (readonly string[])[], target: T): void {
  if (words.length === 0) return;
  const visit = (node: TrieNode<T>, depth: number): void => {
    for (const key of words[depth] ?? []) {
      let child = node.children.get(key);
      if (!child) {
        child = createTrie<T>();
        node.children.set(key, child);
      }
      if (depth === words.length - 1) {
        if (!child.targets.includes(target)) child.targets.push(target);
      } else {
        visit(child, depth + 1);
      }
    }
  };
  visit(root, 0);
}

/** Every (span, target) the words spell, overlapping spans included. */
export function walkTrie<T>(root: TrieNode<T>, words: readonly (readonly string[])[]): TrieMatch<T>[] {
  const matches: TrieMatch<T>[] = [];
  for (let start = 0; start < words.length; start += 1) {
    let frontier: TrieNode<T>[] = [root];
    for (let index = start; index < words.length && frontier.length > 0; index += 1) {
      const next = new Set<TrieNode<T>>();
      for (const node of frontier) {
        for (const key of words[index] ?? []) {
          const child = node.children.get(key);
          if (child) next.add(child);
        }
      }
      const seen = new Set<T>();
      for (const node of next) {
        for (const target of node.targets) {
          if (seen.has(target)) continue;
          seen.add(target);
          matches.push({ start, end: index + 1, target });
        }
      }
      frontier = [...next];
    }
  }
  return matches;
}
