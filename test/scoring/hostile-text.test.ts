import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfileFile } from '../../src/config/profile.js';
import { createScorer, MAX_FIELD } from '../../src/scoring/index.js';
import { analyzeText } from '../../src/scoring/text.js';
import { REPO_ROOT } from '../support/app-config.js';

const scorer = createScorer([loadProfileFile(path.join(REPO_ROOT, 'config/profiles/azerbaijan-russia.yaml'))]);
const score = (title: string, summary = '') => {
  const [result] = scorer.score({ title, summary });
  if (!result) throw new Error('no result');
  return result;
};
const SOCAR_IN_TITLE = score('SOCAR depot').reasons.find((reason) => reason.id === 'socar')?.contribution;

describe('hostile text: no crash, no term silently missed (normalization in docs/profiles.md)', () => {
  it('scores empty and whitespace-only fields as nothing', () => {
    expect(score('', '')).toMatchObject({ score: 0, alert: false, reasons: [], entities: [] });
    expect(score(' \n\t ', '\u200B\u202E\u0000').score).toBe(0);
  });

  it('caps each field before matching: a term past the cap is not read, one before it is', () => {
    const filler = 'word '.repeat(MAX_FIELD / 5 + 100);
    expect(score(`${filler} SOCAR`).entities).toEqual([]);
    expect(score(`SOCAR ${filler}`).entities).toEqual(['socar']);
    expect(score('news', `${filler} SOCAR`).entities).toEqual([]);
    const huge = score('x'.repeat(1_000_000), 'Azerbaijan '.repeat(200_000));
    expect(huge.entities).toEqual(['azerbaijan']);
  });

  it.each([
    ['zero-width space', 'SO\u200BCAR'],
    ['zero-width joiner and non-joiner', 'S\u200DO\u200CCAR'],
    ['soft hyphen', 'SO\u00ADCAR'],
    ['word joiner', 'SOC\u2060AR'],
    ['byte-order mark', '\uFEFFSO\uFEFFCAR'],
    ['RTL override inside', 'SO\u202ECAR\u202C'],
    ['RTL isolate around', '\u2067SOCAR\u2069'],
    ['Unicode tag characters', 'SO\u{E0041}\u{E0042}CAR'],
    ['variation selector', 'SOC\uFE0FAR'],
    ['NUL inside', 'SO\u0000CAR'],
    ['other C0 and C1 controls inside', 'SO\u0007C\u009BAR'],
    ['a lone high surrogate inside', 'SO\uD800CAR'],
    ['a lone low surrogate inside', 'SOC\uDC00AR'],
    ['Cyrillic О inside a Latin word', 'S\u041ECAR'],
    ['Cyrillic О and С inside a Latin word', 'S\u041E\u0421AR'],
    ['Greek Ο inside a Latin word', 'S\u039FCAR'],
    ['fullwidth letters', 'ＳＯＣＡＲ'],
    ['mathematical bold letters', '𝐒𝐎𝐂𝐀𝐑'],
    ['decomposed accents', 'Zangezur'.normalize('NFD')],
  ])('still finds the term with %s', (_name, title) => {
    const result = score(`${title} depot`);
    const expected = title.includes('Zangezur') ? 'zangezur' : 'socar';
    expect(result.entities).toContain(expected);
    if (expected === 'socar') expect(result.reasons.find((reason) => reason.id === 'socar')?.contribution).toBe(SOCAR_IN_TITLE);
  });

  it('keeps a lone surrogate or control character from joining two words into one', () => {
    // Whitespace controls still separate; only invisible ones are removed.
    expect(analyzeText('SOCAR\tdepot\u000Bnews\u0085wire').tokens).toEqual(['socar', 'depot', 'news', 'wire']);
    expect(analyzeText('SOCAR\uD800 depot').tokens).toEqual(['socar', 'depot']);
  });

  it('quotes what matched as cleaned text, never with the hidden characters', () => {
    const reason = score('SO\u200BCAR\u202E depot').reasons.find((entry) => entry.id === 'socar');
    expect(reason?.matched).toBe('SOCAR');
  });

  it('reads mixed-script Cyrillic words with look-alike Latin letters the Cyrillic way when all-Cyrillic', () => {
    // Pure Cyrillic is transliterated (СОКАР = SOCAR); mixed words read letters by their look.
    expect(score('СОКАР').entities).toEqual(['socar']);
    expect(score('Азербайджан', '').entities).toEqual(['azerbaijan']);
    expect(score('Аzerbaijan', '').entities).toEqual(['azerbaijan']);
  });

  it('survives emoji, symbols and astral characters around terms', () => {
    expect(score('🔥SOCAR🔥 💥').entities).toEqual(['socar']);
    expect(score('𓀀𓀁 SOCAR ∑∞').entities).toEqual(['socar']);
  });
});
