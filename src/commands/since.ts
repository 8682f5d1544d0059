import { AppError } from '../core/errors.js';

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, m: 30 * 86_400_000, y: 365 * 86_400_000 };

/** "30d", "12h", "2w", "6m", "1y" before now, or an ISO date. */
export function parseSince(value: string, now: Date): Date {
  const relative = /^(\d{1,5})([hdwmy])$/.exec(value.trim());
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (UNITS[relative[2] ?? 'd'] ?? 0));
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new AppError('bad_input', `"${value.slice(0, 40)}" is not a time: use 24h, 7d, 2w, 6m, 1y or a date like 2025-01-31`);
}
