/**
 * The band filter may say "maybe" for a key the store lacks, never "no" for one it holds: a false
 * "no" would hide a near-duplicate and let an edited re-publication alert again.
 */
import { describe, expect, it } from 'vitest';
import { createKeyFilter } from '../../src/storage/sqlite/story-key-filter.js';

/** Band keys as stories/minhash.ts makes them: band number (0–9) above a 32-bit hash. */
function bandKeys(count: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, (_, index) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (index % 10) * 2 ** 32 + state;
  });
}

describe('band filter', () => {
  it('holds every stored and every added key, and few others', () => {
    const stored = bandKeys(150_000, 1);
    const added = bandKeys(1_000, 2);
    const filter = createKeyFilter();
    let loads = 0;
    const load = (): number[] => {
      loads++;
      return stored;
    };
    expect(stored.every((band) => filter.mayHave(band, load))).toBe(true);
    for (const band of added) filter.add(band);
    expect(added.every((band) => filter.mayHave(band, load))).toBe(true);
    expect(loads).toBe(1);
    const others = bandKeys(20_000, 3).filter((band) => !filter.mayHave(band, load));
    // ≈ 0.03 % false positives at this fill; allow a wide margin.
    expect(others.length).toBeGreaterThan(19_900);
  });

  it('fills again after clear, from what the store holds then', () => {
    const filter = createKeyFilter();
    const later = bandKeys(10, 4);
    expect(filter.mayHave(later[0] ?? 0, () => [])).toBe(false);
    filter.clear();
    expect(later.every((band) => filter.mayHave(band, () => later))).toBe(true);
  });
});
