import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/core/profile.js';
import { createScorer, type WatchTermInput } from '../../src/scoring/index.js';

const empty: Profile = { id: 'p', label: 'P', description: '', threshold: 10, titleBoost: 2, entities: [], keywords: [], negatives: [], cooccurrence: [] };
const term = (text: string, extra: Partial<WatchTermInput> = {}): WatchTermInput => ({ term: text, weight: 5, aliases: [], negative: false, ...extra });

describe('per-destination watch terms', () => {
  const scorer = createScorer([empty]);
  const watched = (title: string, watchTerms: readonly WatchTermInput[]) =>
    (scorer.score({ title, summary: '' }, { watchTerms })[0]?.reasons ?? []).map((reason) => `${reason.kind}:${reason.id}:${reason.contribution}`);

  it('keeps each destination to its own list, even when they share phrases', () => {
    const a = [term('Caspian pipeline', { weight: 7 }), term('tariff')];
    const b = [term('tariff', { weight: 3, negative: true })];
    expect(watched('Caspian pipelines tariff row', a)).toEqual(['watch-term:Caspian pipeline:14', 'watch-term:tariff:10']);
    expect(watched('Caspian pipelines tariff row', b)).toEqual(['negative:tariff:-3']);
    expect(watched('Caspian pipelines tariff row', [])).toEqual([]);
  });

  it('sees an added or removed term on the very next call, with a fresh list or the same content', () => {
    const before = [term('alpha'), term('beta')];
    expect(watched('alpha gamma', before)).toEqual(['watch-term:alpha:10']);
    const added = [...before, term('gamma', { weight: 1 })];
    expect(watched('alpha gamma', added)).toEqual(['watch-term:alpha:10', 'watch-term:gamma:2']);
    const removed = added.filter((entry) => entry.term !== 'alpha');
    expect(watched('alpha gamma', removed)).toEqual(['watch-term:gamma:2']);
    // Same phrases, new weights: weights are read from the list, not from the compiled form.
    expect(watched('alpha gamma', removed.map((entry) => ({ ...entry, weight: 4 })))).toEqual(['watch-term:gamma:8']);
  });

  it('counts a term once when the term and its alias both match', () => {
    expect(watched('Caspian Каспий', [term('Caspian', { aliases: ['Каспий'] })])).toEqual(['watch-term:Caspian:10']);
  });

  it('handles ten thousand terms and an item repeating one of them', () => {
    const many = Array.from({ length: 10_000 }, (_, index) => term(`term${index} word${index % 7}`));
    const result = watched(`${'term9 word2 '.repeat(5_000)}`, many);
    expect(result).toEqual(['watch-term:term9 word2:10']);
  });
});
