import { describe, expect, it } from 'vitest';
import type { EntityDefinition, KeywordDefinition, Profile } from '../../src/core/profile.js';
import { createScorer } from '../../src/scoring/index.js';

const NO_CONTEXT = { requires: [], excludes: [] };

function entity(id: string, weight: number, aliases: string[], extra: Partial<EntityDefinition> = {}): EntityDefinition {
  return { id, label: id, kind: 'org', weight, side: null, aliases: aliases.map((text) => ({ text, lang: null })), context: NO_CONTEXT, ...extra };
}

function keyword(term: string, weight: number, extra: Partial<KeywordDefinition> = {}): KeywordDefinition {
  return { term, weight, lang: null, aliases: [], stem: false, side: null, context: NO_CONTEXT, ...extra };
}

const base: Profile = {
  id: 'test',
  label: 'Test',
  description: '',
  threshold: 20,
  titleBoost: 2,
  entities: [
    entity('acme', 10, ['Acme', 'Акме'], { side: 'a' }),
    entity('globex', 10, ['Globex'], { side: 'b' }),
    entity('bank-of-england', 10, ['Bank of England']),
    entity('england', 5, ['England']),
    entity('orlovka', 10, ['Orlovka'], { context: { requires: ['gas', 'acme'], excludes: ['Voronezh'] } }),
  ],
  keywords: [keyword('pipeline', 4, { stem: true, aliases: [{ text: 'трубопровод', lang: 'ru' }] }), keyword('sanction', 3, { side: 'b' })],
  negatives: [
    { term: 'bond', aliases: [], weight: 6, veto: false },
    { term: 'horoscope', aliases: [], weight: 0, veto: true },
  ],
  cooccurrence: [{ sides: ['a', 'b'], bonus: 7 }],
};

const scorer = createScorer([base]);
const scoreOf = (title: string, summary = '', options = {}) => {
  const [result] = scorer.score({ title, summary }, options);
  if (!result) throw new Error('no result');
  return result;
};
const sum = (result: ReturnType<typeof scoreOf>): number =>
  Math.round(result.reasons.reduce((total, reason) => total + reason.contribution, 0) * 10) / 10;

describe('scorer mechanics', () => {
  it('boosts title matches and explains each with the text as written', () => {
    const result = scoreOf('ACME expands', 'Acme said so.');
    expect(result.score).toBe(20);
    expect(result.reasons).toEqual([{ kind: 'entity', id: 'acme', label: 'acme', field: 'title', matched: 'ACME', contribution: 20 }]);
    expect(scoreOf('News', 'Акме said so.').score).toBe(10);
  });

  it('adds the co-occurrence bonus, in full only with a side in the title', () => {
    expect(scoreOf('Acme and Globex').score).toBe(20 + 20 + 7);
    expect(scoreOf('News', 'Acme and Globex').score).toBe(10 + 10 + 3.5);
    const viaKeyword = scoreOf('Acme hit by sanctions');
    expect(viaKeyword.reasons.map((reason) => reason.kind)).toContain('cooccurrence');
  });

  it('does not pay the bonus for two keywords alone', () => {
    const onlyKeywords = createScorer([{ ...base, keywords: [keyword('alpha', 1, { side: 'a' }), keyword('beta', 1, { side: 'b' })] }]);
    const [result] = onlyKeywords.score({ title: 'alpha beta', summary: '' });
    expect(result?.reasons.some((reason) => reason.kind === 'cooccurrence')).toBe(false);
  });

  it('lets the longest match win', () => {
    const result = scoreOf('Bank of England raises rates');
    expect(result.entities).toEqual(['bank-of-england']);
    expect(scoreOf('England win the cup').entities).toEqual(['england']);
  });

  it('applies requires and excludes, and says why an entity was ignored', () => {
    expect(scoreOf('Orlovka harvest').entities).toEqual([]);
    const ignored = scoreOf('Orlovka harvest').reasons[0];
    expect(ignored?.kind).toBe('context');
    expect(ignored?.contribution).toBe(0);
    expect(ignored?.label).toMatch(/needs context/);
    expect(scoreOf('Orlovka gas station hit').entities).toEqual(['orlovka']);
    expect(scoreOf('Orlovka', 'Acme owns it').entities).toEqual(['orlovka', 'acme']);
    const excluded = scoreOf('Orlovka gas, Voronezh region');
    expect(excluded.entities).toEqual([]);
    expect(excluded.reasons[0]?.label).toMatch(/excluded by "Voronezh"/);
  });

  it('matches stemmed keywords across inflection and subtracts negatives', () => {
    expect(scoreOf('Pipelines', '').reasons[0]?.id).toBe('pipeline');
    expect(scoreOf('Трубопроводы', '').reasons[0]?.id).toBe('pipeline');
    const withBond = scoreOf('Acme bonds priced');
    expect(withBond.score).toBe(20 - 6);
    expect(sum(withBond)).toBe(withBond.score);
  });

  it('vetoes to zero and keeps the reasons summing to the score', () => {
    const result = scoreOf('Acme and Globex horoscope');
    expect(result.score).toBe(0);
    expect(result.alert).toBe(false);
    expect(sum(result)).toBe(0);
    expect(result.reasons.some((reason) => reason.label === 'horoscope (veto)')).toBe(true);
  });

  it('uses the profile threshold unless the caller overrides it', () => {
    expect(scoreOf('Acme').alert).toBe(true);
    expect(scoreOf('Acme', '', { threshold: 50 }).alert).toBe(false);
    expect(scoreOf('Acme', '', { threshold: 50 }).threshold).toBe(50);
    expect(scoreOf('Acme', '', { threshold: null }).threshold).toBe(20);
  });

  it('scores per-destination watch terms, positive and negative', () => {
    const watchTerms = [
      { term: 'Caspian', weight: 9, aliases: ['Каспий'], negative: false },
      { term: 'football', weight: 15, aliases: [], negative: true },
    ];
    const result = scoreOf('Нефть Каспия', '', { watchTerms });
    expect(result.reasons.find((reason) => reason.kind === 'watch-term')).toMatchObject({ id: 'Caspian', matched: 'Каспия' });
    const negative = scoreOf('Acme football', '', { watchTerms });
    expect(negative.reasons.find((reason) => reason.kind === 'negative')).toMatchObject({ id: 'football', contribution: -15 });
    expect(negative.score).toBe(5);
    expect(scoreOf('Caspian').reasons).toEqual([]);
  });

  it('scores only the profiles asked for, skipping unknown ids', () => {
    const two = createScorer([base, { ...base, id: 'other' }]);
    expect(two.score({ title: 'Acme', summary: '' }).map((result) => result.profile)).toEqual(['test', 'other']);
    expect(two.score({ title: 'Acme', summary: '' }, { profiles: ['other', 'gone'] }).map((result) => result.profile)).toEqual(['other']);
  });

  it('resolves entities from any script, by alias or id', () => {
    expect(scorer.resolveEntities('акме')).toEqual([{ id: 'acme', label: 'acme', profile: 'test' }]);
    expect(scorer.resolveEntities('bank-of-england').map((entity) => entity.id)).toEqual(['bank-of-england']);
    expect(scorer.resolveEntities('nothing here')).toEqual([]);
  });

  it('survives empty and hostile text', () => {
    expect(scoreOf('', '').score).toBe(0);
    expect(scoreOf('\u200B\u202E', '🙂🙂').score).toBe(0);
    expect(scoreOf('A'.repeat(100_000), 'acme '.repeat(10_000)).score).toBe(10);
  });
});
