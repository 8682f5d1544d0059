import { AppError } from '../../core/errors.js';

/**
 * Times are stored as epoch milliseconds (INTEGER): they compare and index as numbers, whatever
 * ISO-8601 spelling the caller used. The ports speak ISO strings and Dates; these convert at the edge.
 */
export function msOf(value: Date | string, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new AppError('bad_input', `${field} is not a valid time: ${String(value)}`);
  return ms;
}

export function msOrNull(value: string | null, field: string): number | null {
  return value === null ? null : msOf(value, field);
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoOf(ms);
}
