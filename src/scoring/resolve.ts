import type { CompiledMatcher } from './compile.js';
import { canonicalKey, foldToken } from './fold.js';
import { textKeys } from './keys.js';
import { cleanText, tokenize } from './text.js';
import { walkTrie } from './trie.js';

export interface ResolvedEntity {
  readonly id: string;
  readonly label: string;
  readonly profile: string;
}

/**
 * Entities a free query names, in any script: the query is read like an item ("СОКАР", "Орловке",
 * "Zəngəzur" all find their entity), and an entity id typed as such ("azal-crash") also counts.
 * Context rules do not apply: the user asked for the entity by name.
 */
export function resolveEntities(matcher: CompiledMatcher, query: string): ResolvedEntity[] {
  const tokens = tokenize(cleanText(query));
  const keys = tokens.map((token) => textKeys(token.raw, token.folded));
  const found = new Map<string, ResolvedEntity>();
  const add = (profileIndex: number, entityIndex: number): void => {
    const compiled = matcher.profiles[profileIndex];
    const entity = compiled?.profile.entities[entityIndex];
    if (!compiled || !entity) return;
    found.set(`${compiled.profile.id}\u0000${entity.id}`, { id: entity.id, label: entity.label, profile: compiled.profile.id });
  };
  const matches = walkTrie(matcher.trie, keys).filter((match) => match.target.kind === 'entity');
  // "Bank of England" asks for the bank, not also for England: drop matches inside longer ones.
  const longest = matches.filter(
    (match) => !matches.some((other) => other.start <= match.start && other.end >= match.end && other.end - other.start > match.end - match.start),
  );
  for (const match of longest) add(match.target.profile, match.target.index);
  const wantedId = canonicalKey(foldToken(query.trim()));
  matcher.profiles.forEach((compiled, profileIndex) => {
    compiled.profile.entities.forEach((entity, entityIndex) => {
      if (canonicalKey(foldToken(entity.id)) === wantedId) add(profileIndex, entityIndex);
    });
  });
  return [...found.values()];
}
