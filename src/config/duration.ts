import { z } from 'zod';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses "90s", "15m", "2h", "30d" (or a bare number of seconds) into seconds; null when malformed. */
export function parseDurationSeconds(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1);
}

/** A zod field for durations written as "15m" or a number of seconds; yields seconds. */
export const durationSeconds = z
  .union([z.number(), z.string()])
  .transform((value, context) => {
    const seconds = parseDurationSeconds(value);
    if (seconds === null) {
      context.addIssue({ code: 'custom', message: `not a duration: "${String(value)}" (use e.g. 90s, 15m, 2h, 7d)` });
      return z.NEVER;
    }
    return seconds;
  });
