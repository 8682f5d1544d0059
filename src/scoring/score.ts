import type { Reason, ScoreResult } from '../core/score.js';
import type { CompiledProfile, ContextRef, Target } from './compile.js';
import { bestHit, checkRule, dropContained, toHit, type FieldAnalysis, type Hit, type Presence } from './hits.js';

/** A per-destination extra term (/watch add). */
export interface WatchTermInput {
  readonly term: string;
  readonly weight: number;
  readonly aliases: readonly string[];
  readonly negative: boolean;
}

const round = (value: number): number => Math.round(value * 10) / 10;

function groupByIndex(hits: readonly Hit[], kind: Target['kind']): Map<number, Hit[]> {
  const groups = new Map<number, Hit[]>();
  for (const hit of hits) {
    if (hit.target.kind !== kind) continue;
    const list = groups.get(hit.target.index) ?? [];
    list.push(hit);
    groups.set(hit.target.index, list);
  }
  return groups;
}

function firstHits(groups: ReadonlyMap<number, Hit[]>): Map<number, Hit> {
  const result = new Map<number, Hit>();
  for (const [index, hits] of groups) {
    const hit = bestHit(hits);
    if (hit) result.set(index, hit);
  }
  return result;
}

interface SideHit {
  readonly hit: Hit;
  readonly viaEntity: boolean;
}

/** Records the side of a matched entity or keyword, preferring title hits and entities. */
function noteSide(sides: Map<string, SideHit>, side: string | null, hit: Hit, viaEntity: boolean): void {
  if (side === null) return;
  const known = sides.get(side);
  const better =
    !known ||
    (known.hit.field !== 'title' && hit.field === 'title') ||
    (known.hit.field === hit.field && viaEntity && !known.viaEntity);
  if (better) sides.set(side, { hit, viaEntity: viaEntity || (known?.viaEntity ?? false) });
}

/**
 * Scores one item for one profile. The score is the sum of the reasons' contributions:
 * entity and keyword weights (times the title boost when matched in the title), co-occurrence
 * bonuses, minus negative terms; a veto adds whatever brings the sum to 0.
 */
export function scoreProfile(
  compiled: CompiledProfile,
  profileIndex: number,
  fields: readonly FieldAnalysis[],
  watch: readonly WatchTermInput[],
  threshold: number,
): ScoreResult {
  const { profile } = compiled;
  const raw: Hit[] = [];
  for (const field of fields) {
    for (const match of field.matches) {
      if (match.target.profile === profileIndex || match.target.kind === 'watch') raw.push(toHit(field, match));
    }
  }
  // Most items mention nothing a profile knows: no reasons, nothing to weigh.
  if (raw.length === 0) return { profile: profile.id, score: 0, threshold, alert: threshold <= 0, reasons: [], entities: [] };
  const presence: Presence = {
    entities: firstHits(groupByIndex(raw, 'entity')),
    terms: firstHits(groupByIndex(raw, 'context')),
  };
  const describe = (ref: ContextRef): string =>
    'entity' in ref ? (profile.entities[ref.entity]?.id ?? '?') : (compiled.contextTerms[ref.term] ?? '?');

  const reasons: Reason[] = [];
  const rejected = new Set<Target>();
  const judge = (kind: 'entity' | 'keyword', index: number, hit: Hit): void => {
    const isEntity = kind === 'entity';
    const rule = isEntity ? compiled.entityRules[index] : compiled.keywordRules[index];
    if (!rule) return;
    const outcome = checkRule(rule, presence, isEntity ? index : null, describe);
    if (outcome.ok) return;
    rejected.add(hit.target);
    const name = isEntity ? profile.entities[index]?.id : profile.keywords[index]?.term;
    const label = isEntity ? profile.entities[index]?.label : profile.keywords[index]?.term;
    reasons.push({ kind: 'context', id: name ?? '?', label: `${label ?? '?'}: ignored, ${outcome.why}`, field: hit.field, matched: hit.text, contribution: 0 });
  };
  for (const [index, hit] of presence.entities) judge('entity', index, hit);
  for (const [index, hit] of firstHits(groupByIndex(raw, 'keyword'))) judge('keyword', index, hit);

  const counted = dropContained(raw.filter((hit) => hit.target.kind !== 'context' && !rejected.has(hit.target)));
  const boost = (hit: Hit): number => (hit.field === 'title' ? profile.titleBoost : 1);
  const sides = new Map<string, SideHit>();
  const entities: string[] = [];
  let vetoHit: { hit: Hit; term: string } | null = null;

  for (const [index, hit] of firstHits(groupByIndex(counted, 'entity'))) {
    const entity = profile.entities[index];
    if (!entity) continue;
    entities.push(entity.id);
    noteSide(sides, entity.side, hit, true);
    reasons.push({ kind: 'entity', id: entity.id, label: entity.label, field: hit.field, matched: hit.text, contribution: round(entity.weight * boost(hit)) });
  }
  for (const [index, hit] of firstHits(groupByIndex(counted, 'keyword'))) {
    const keyword = profile.keywords[index];
    if (!keyword) continue;
    noteSide(sides, keyword.side, hit, false);
    reasons.push({ kind: 'keyword', id: keyword.term, label: keyword.term, field: hit.field, matched: hit.text, contribution: round(keyword.weight * boost(hit)) });
  }
  for (const [index, hit] of firstHits(groupByIndex(counted, 'watch'))) {
    const term = watch[index];
    if (!term) continue;
    const contribution = term.negative ? -Math.abs(term.weight) : round(Math.abs(term.weight) * boost(hit));
    reasons.push({ kind: term.negative ? 'negative' : 'watch-term', id: term.term, label: term.term, field: hit.field, matched: hit.text, contribution });
  }
  for (const rule of profile.cooccurrence) {
    const [a, b] = rule.sides.map((side) => sides.get(side));
    if (!a || !b || !(a.viaEntity || b.viaEntity)) continue;
    // Two sides both buried in a summary are often a list of countries: half the bonus.
    const inTitle = a.hit.field === 'title' || b.hit.field === 'title';
    const field = a.hit.field === 'title' && b.hit.field === 'title' ? 'title' : 'summary';
    const contribution = round(inTitle ? rule.bonus : rule.bonus / 2);
    reasons.push({ kind: 'cooccurrence', id: rule.sides.join('+'), label: `${rule.sides[0]} with ${rule.sides[1]}`, field, matched: `${a.hit.text} + ${b.hit.text}`, contribution });
  }
  for (const [index, hit] of firstHits(groupByIndex(counted, 'negative'))) {
    const negative = profile.negatives[index];
    if (!negative) continue;
    if (negative.veto) {
      vetoHit ??= { hit, term: negative.term };
      continue;
    }
    reasons.push({ kind: 'negative', id: negative.term, label: negative.term, field: hit.field, matched: hit.text, contribution: -Math.abs(negative.weight) });
  }

  let score = round(reasons.reduce((sum, reason) => sum + reason.contribution, 0));
  if (vetoHit) {
    const { hit, term } = vetoHit;
    reasons.push({ kind: 'negative', id: term, label: `${term} (veto)`, field: hit.field, matched: hit.text, contribution: -score });
    score = 0;
  }
  reasons.sort((x, y) => rank(y) - rank(x));
  return { profile: profile.id, score, threshold, alert: score >= threshold, reasons, entities };
}

/** Reasons read best biggest first, with ignored matches (context, 0 points) last. */
function rank(reason: Reason): number {
  return reason.kind === 'context' ? -Infinity : reason.contribution;
}
