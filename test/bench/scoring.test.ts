import { describe, expect, it } from 'vitest';
import { benchmark } from '../../src/bench/scoring.js';
import { formatTable } from '../../src/bench/report.js';

describe('bench scoring (quick: checks it runs and reports, not how fast)', () => {
  it('returns a row per profile with our figure, the naive one and their ratio, and the rebuild time', async () => {
    const report = await benchmark({ quick: true, log: () => {} });
    expect(report.columns).toEqual(['profile', 'phrases', 'items/s', 'naive items/s', '× naive']);
    expect(report.rows.map((row) => row[0])).toEqual(['default (azerbaijan-russia)', 'synthetic 100', 'synthetic 1,000']);
    for (const row of report.rows) {
      const [, phrases, ours, naive, ratio] = row as [string, number, number, number, number];
      expect(phrases).toBeGreaterThan(0);
      expect(ours).toBeGreaterThan(0);
      expect(naive).toBeGreaterThan(0);
      expect(ratio).toBeCloseTo(ours / naive, 5);
    }
    expect(report.figures).toMatchObject({ watchRebuildTerms: 1_000 });
    expect(report.figures.watchRebuildMs).toEqual(expect.any(Number));
    expect(report.figures.pipelineItemsPerSecond).toBeGreaterThan(0);
    expect(formatTable(report)).toContain('## scoring');
  }, 30_000);
});
