/**
 * An item is read once on the ingest path: scoring its analysis gives exactly what scoring its text
 * gives (for every destination's watch terms too), and the words handed to story matching are the
 * words story matching would read itself.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfileFile } from '../../src/config/profile.js';
import { createScorer } from '../../src/scoring/index.js';
import { reportFeatures, SUMMARY_CHARS } from '../../src/stories/index.js';
import { reportWords } from '../../src/pipeline/score-items.js';
import { REPO_ROOT } from '../support/app-config.js';

const scorer = createScorer([loadProfileFile(path.join(REPO_ROOT, 'config/profiles/azerbaijan-russia.yaml'))]);

const items = [
  { title: 'Russian drones hit SOCAR depot near Odesa', summary: 'Azerbaijan protested after the strike on the Orlovka gas compressor station. '.repeat(30) },
  { title: 'Удар по Орловке: Баку вызвал посла России', summary: 'Азербайджан\u200b потребовал объяснений. Шахеды атаковали станцию.' },
  { title: 'Zəngəzur dəhlizi: Moskva narazıdır', summary: '' },
  { title: '', summary: 'SO\u0000CAR ⁦office⁩ closed; Sputnik Azərbaycan staff detained in Baku.' },
  // Words padded with invisible characters: cleaning removes most of the text before the cut.
  { title: 'SOCAR depot', summary: `ab${'\u200b'.repeat(20)} `.repeat(500) },
];

describe('reading an item once', () => {
  it('scores an analysis exactly as the text, with and without a destination’s watch terms', () => {
    const watchTerms = [{ term: 'depot', weight: 20, aliases: ['склад'], negative: false }];
    for (const item of items) {
      const analyzed = scorer.analyze(item);
      expect(scorer.score(analyzed)).toEqual(scorer.score(item));
      expect(scorer.score(analyzed, { watchTerms })).toEqual(scorer.score(item, { watchTerms }));
      // The analysis is not changed by one destination's terms: the next destination sees it clean.
      expect(scorer.score(analyzed)).toEqual(scorer.score(item));
    }
  });

  it('hands story matching the words it would read itself, summary cut at SUMMARY_CHARS', () => {
    for (const item of items) {
      const report = { ...item, link: 'https://example.test/a', guid: null };
      const words = reportWords(scorer.analyze(item));
      const read = reportFeatures(report);
      const handed = reportFeatures(report, words);
      expect(handed.signature).toEqual(read.signature);
      expect(handed.terms).toEqual(read.terms);
      expect(handed.exactKeys).toEqual(read.exactKeys);
    }
    expect(reportWords(scorer.analyze(items[0] ?? { title: '', summary: '' })).summary.join(' ').length).toBeLessThanOrEqual(SUMMARY_CHARS);
  });
});
