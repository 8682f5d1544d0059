import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEvalSet } from '../../src/cli/eval-command.js';
import { loadProfileFile } from '../../src/config/profile.js';
import type { Profile } from '../../src/core/profile.js';
import { evaluate } from '../../src/scoring/evaluate.js';
import { createScorer } from '../../src/scoring/index.js';

const tiny: Profile = {
  id: 'tiny',
  label: 'Tiny',
  description: '',
  threshold: 10,
  titleBoost: 1,
  entities: [{ id: 'acme', label: 'Acme', kind: 'org', weight: 10, side: null, aliases: [], context: { requires: [], excludes: [] } }],
  keywords: [],
  negatives: [],
  cooccurrence: [],
};

describe('evaluate', () => {
  it('counts the confusion matrix overall and per language and lists the mistakes', () => {
    const items = [
      { id: '1', lang: 'en', title: 'Acme news', summary: '', label: true },
      { id: '2', lang: 'en', title: 'Acme again', summary: '', label: false },
      { id: '3', lang: 'ru', title: 'Нечто', summary: '', label: true },
      { id: '4', lang: 'ru', title: 'Другое', summary: '', label: false },
    ];
    const result = evaluate(createScorer([tiny]), items);
    expect(result.overall).toMatchObject({ tp: 1, fp: 1, fn: 1, tn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(result.byLanguage.en).toMatchObject({ tp: 1, fp: 1, precision: 0.5, recall: 1 });
    expect(result.byLanguage.ru).toMatchObject({ fn: 1, tn: 1, recall: 0 });
    expect(result.misclassified.map((miss) => [miss.id, miss.label])).toEqual([
      ['2', false],
      ['3', true],
    ]);
    expect(result.misclassified[0]?.reasons).toEqual(['entity:acme[Acme]+10']);
  });
});

const devSet = 'fixtures/eval/dev.jsonl';

describe.skipIf(!existsSync(devSet))('the default profile on the dev set', () => {
  it('keeps precision and recall high in every language (regression guard, not a benchmark)', () => {
    const items = readEvalSet(devSet);
    expect(items.length).toBeGreaterThanOrEqual(200);
    expect(new Set(items.map((item) => item.lang))).toEqual(new Set(['en', 'ru', 'az', 'uk']));
    const result = evaluate(createScorer([loadProfileFile('config/profiles/azerbaijan-russia.yaml')]), items);
    expect(result.overall.precision).toBeGreaterThanOrEqual(0.9);
    expect(result.overall.recall).toBeGreaterThanOrEqual(0.9);
    for (const stats of Object.values(result.byLanguage)) expect(stats.f1).toBeGreaterThanOrEqual(0.85);
  });
});
