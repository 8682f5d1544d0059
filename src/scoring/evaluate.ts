import type { Scorer } from './index.js';

/** One labelled item of an evaluation set (fixtures/eval/*.jsonl). */
export interface EvalItem {
  readonly id: string;
  readonly lang: string;
  readonly title: string;
  readonly summary: string;
  /** True when the item is relevant (should alert). */
  readonly label: boolean;
  readonly note?: string;
}

export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Misclassified {
  readonly id: string;
  readonly lang: string;
  readonly title: string;
  readonly label: boolean;
  readonly score: number;
  readonly note: string;
  /** The reasons, compact: "entity:socar[СОКАР]+37.5". */
  readonly reasons: readonly string[];
}

export interface Evaluation {
  readonly overall: Confusion;
  readonly byLanguage: Readonly<Record<string, Confusion>>;
  readonly misclassified: readonly Misclassified[];
}

function confusion(counts: { tp: number; fp: number; fn: number; tn: number }): Confusion {
  const { tp, fp, fn } = counts;
  // With nothing predicted (or nothing relevant) the ratio is undefined; 1 keeps "no mistakes" perfect.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...counts, precision, recall, f1 };
}

/**
 * Scores labelled items with one profile (the scorer's first, unless named) and counts hits and
 * misses overall and per language. Pure: the caller reads the set and prints the result.
 */
export function evaluate(scorer: Scorer, items: readonly EvalItem[], profileId?: string): Evaluation {
  const profile = profileId ?? scorer.profiles[0]?.id;
  const empty = () => ({ tp: 0, fp: 0, fn: 0, tn: 0 });
  const overall = empty();
  const byLanguage = new Map<string, ReturnType<typeof empty>>();
  const misclassified: Misclassified[] = [];
  for (const item of items) {
    const [result] = scorer.score({ title: item.title, summary: item.summary }, profile ? { profiles: [profile] } : {});
    const alert = result?.alert ?? false;
    const cell = item.label ? (alert ? 'tp' : 'fn') : alert ? 'fp' : 'tn';
    const language = byLanguage.get(item.lang) ?? empty();
    byLanguage.set(item.lang, language);
    overall[cell] += 1;
    language[cell] += 1;
    if (alert !== item.label) {
      misclassified.push({
        id: item.id,
        lang: item.lang,
        title: item.title,
        label: item.label,
        score: result?.score ?? 0,
        note: item.note ?? '',
        reasons: (result?.reasons ?? []).map((reason) => `${reason.kind}:${reason.id}[${reason.matched}]${reason.contribution >= 0 ? '+' : ''}${reason.contribution}`),
      });
    }
  }
  return {
    overall: confusion(overall),
    byLanguage: Object.fromEntries([...byLanguage].sort(([a], [b]) => a.localeCompare(b)).map(([lang, counts]) => [lang, confusion(counts)])),
    misclassified,
  };
}
