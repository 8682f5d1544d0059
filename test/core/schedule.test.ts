import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_POLICY, nextCheckAfterFailure, nextCheckAfterSuccess } from '../../src/core/schedule.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const NONE = { retryAfterSeconds: null, maxAgeSeconds: null, ttlMinutes: null };
const minutesAfter = (date: Date): number => (date.getTime() - NOW.getTime()) / 60_000;

describe('poll scheduling', () => {
  it('polls again after the interval, never below the floor nor above the cap', () => {
    expect(minutesAfter(nextCheckAfterSuccess(NOW, 3600, NONE))).toBe(60);
    expect(minutesAfter(nextCheckAfterSuccess(NOW, 60, NONE))).toBe(15);
    expect(minutesAfter(nextCheckAfterSuccess(NOW, 7 * 86_400, NONE))).toBe(24 * 60);
  });

  it('honours max-age, <ttl> and Retry-After when they ask for longer, within the cap', () => {
    expect(minutesAfter(nextCheckAfterSuccess(NOW, 3600, { ...NONE, maxAgeSeconds: 7200 }))).toBe(120);
    expect(minutesAfter(nextCheckAfterSuccess(NOW, 3600, { ...NONE, ttlMinutes: 180 }))).toBe(180);
    expect(minutesAfter(nextCheckAfterSuccess(NOW, 3600, { ...NONE, retryAfterSeconds: 1e9 }))).toBe(24 * 60);
    expect(minutesAfter(nextCheckAfterSuccess(NOW, 3600, { ...NONE, maxAgeSeconds: 10 }))).toBe(60);
  });

  it('backs off 5 min × 2^n with ±20 % jitter, capped at 24 h', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect(minutesAfter(nextCheckAfterFailure(NOW, 1, null, low))).toBeCloseTo(4, 5);
    expect(minutesAfter(nextCheckAfterFailure(NOW, 1, null, high))).toBeCloseTo(6, 3);
    expect(minutesAfter(nextCheckAfterFailure(NOW, 3, null, () => 0.5))).toBeCloseTo(20, 5);
    expect(minutesAfter(nextCheckAfterFailure(NOW, 30, null, high))).toBe(24 * 60);
  });

  it('waits at least as long as Retry-After asks, and no longer than the cap', () => {
    expect(minutesAfter(nextCheckAfterFailure(NOW, 1, 3600, () => 0.5))).toBe(60);
    expect(minutesAfter(nextCheckAfterFailure(NOW, 1, 0, () => 0.5))).toBeCloseTo(5, 5);
    expect(minutesAfter(nextCheckAfterFailure(NOW, 1, 1e9, () => 0.5))).toBe(DEFAULT_POLL_POLICY.capSeconds / 60);
  });
});
