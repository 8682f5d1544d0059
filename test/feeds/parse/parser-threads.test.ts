import { describe, expect, it } from 'vitest';
import { parserThreads } from '../../../src/feeds/parse/index.js';

describe('parserThreads: one core stays with the main thread, at most two parse threads', () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 2],
    [64, 2],
  ])('%i cores → %i threads', (cores, threads) => {
    expect(parserThreads(cores)).toBe(threads);
  });
});
