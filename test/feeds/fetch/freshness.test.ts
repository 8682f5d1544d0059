import { describe, expect, it } from 'vitest';
import { parseRetryAfter, readFreshness } from '../../../src/feeds/fetch/freshness.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('freshness hints', () => {
  it('reads Retry-After as delta-seconds or an HTTP-date relative to now', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('1000000000', NOW)).toBe(1_000_000_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:10:00 GMT', NOW)).toBe(600);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it('reads max-age minus Age, falling back to Expires', () => {
    expect(readFreshness({ 'cache-control': 'public, max-age=86400' }, NOW).hints.maxAgeSeconds).toBe(86400);
    expect(readFreshness({ 'cache-control': 'max-age="600"', age: '100' }, NOW).hints.maxAgeSeconds).toBe(500);
    expect(readFreshness({ expires: 'Thu, 01 Jan 2026 01:00:00 GMT' }, NOW).hints.maxAgeSeconds).toBe(3600);
    expect(readFreshness({ expires: 'garbage' }, NOW).hints.maxAgeSeconds).toBe(0);
    expect(readFreshness({}, NOW).hints).toEqual({ retryAfterSeconds: null, maxAgeSeconds: null, ttlMinutes: null });
  });

  it('drops validators for no-store and Expires: 0 only', () => {
    expect(readFreshness({ 'cache-control': 'no-store' }, NOW).keepValidators).toBe(false);
    expect(readFreshness({ expires: '0' }, NOW).keepValidators).toBe(false);
    expect(readFreshness({ 'cache-control': 'no-cache, max-age=0' }, NOW).keepValidators).toBe(true);
  });
});
