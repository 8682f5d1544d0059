import type { MatchField } from '../core/score.js';
import type { ContextRef, CompiledRule, Target } from './compile.js';
import type { Token } from './text.js';
import type { TrieMatch } from './trie.js';

/** One field of an item, read once: cleaned text, words, and every trie match in it. */
export interface FieldAnalysis {
  readonly field: MatchField;
  readonly clean: string;
  readonly tokens: readonly Token[];
  readonly matches: readonly TrieMatch<Target>[];
}

/** A match located for a reader: the words as written. */
export interface Hit {
  readonly target: Target;
  readonly field: MatchField;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function toHit(analysis: FieldAnalysis, match: TrieMatch<Target>): Hit {
  const first = analysis.tokens[match.start];
  const last = analysis.tokens[match.end - 1];
  const text = first && last ? analysis.clean.slice(first.start, last.end) : '';
  return { target: match.target, field: analysis.field, start: match.start, end: match.end, text };
}

/**
 * Longest match wins: a hit lying inside a longer hit of something else in the same field is
 * dropped, so "Bank of England" does not also count "England", and the negative "Sputnik V"
 * swallows the entity "Sputnik".
 */
export function dropContained(hits: readonly Hit[]): Hit[] {
  // Only multiword hits can contain others; index them by the positions they cover so that a
  // summary repeating one name ten thousand times stays linear.
  const coverers = new Map<string, Hit[]>();
  for (const hit of hits) {
    if (hit.end - hit.start < 2) continue;
    for (let position = hit.start; position < hit.end; position += 1) {
      const key = `${hit.field}:${position}`;
      const list = coverers.get(key) ?? [];
      list.push(hit);
      coverers.set(key, list);
    }
  }
  if (coverers.size === 0) return [...hits];
  return hits.filter(
    (hit) =>
      !(coverers.get(`${hit.field}:${hit.start}`) ?? []).some(
        (other) =>
          other.target !== hit.target &&
          other.start <= hit.start &&
          other.end >= hit.end &&
          other.end - other.start > hit.end - hit.start,
      ),
  );
}

/** The hit a reason quotes: the first in the title, else the first in the summary; the longest at a place. */
export function bestHit(hits: readonly Hit[]): Hit | undefined {
  let best: Hit | undefined;
  for (const hit of hits) {
    if (!best) {
      best = hit;
      continue;
    }
    const fieldOrder = Number(best.field !== 'title') - Number(hit.field !== 'title');
    const better =
      fieldOrder > 0 ||
      (fieldOrder === 0 && (hit.start < best.start || (hit.start === best.start && hit.end > best.end)));
    if (better) best = hit;
  }
  return best;
}

/** What an item contains, for context rules. */
export interface Presence {
  readonly entities: ReadonlyMap<number, Hit>;
  readonly terms: ReadonlyMap<number, Hit>;
}

export type RuleOutcome = { readonly ok: true } | { readonly ok: false; readonly why: string };

function found(presence: Presence, ref: ContextRef, self: number | null): Hit | undefined {
  if ('entity' in ref) return ref.entity === self ? undefined : presence.entities.get(ref.entity);
  return presence.terms.get(ref.term);
}

/** Checks a context rule; on failure says why, in words a reader of the reasons understands. */
export function checkRule(
  rule: CompiledRule,
  presence: Presence,
  self: number | null,
  describe: (ref: ContextRef) => string,
): RuleOutcome {
  for (const ref of rule.excludes) {
    const hit = found(presence, ref, self);
    if (hit) return { ok: false, why: `excluded by "${hit.text}"` };
  }
  if (rule.requires.length > 0 && !rule.requires.some((ref) => found(presence, ref, self))) {
    const wanted = rule.requires.slice(0, 4).map(describe).join(', ');
    return { ok: false, why: `needs context (${wanted}${rule.requires.length > 4 ? ', …' : ''})` };
  }
  return { ok: true };
}
