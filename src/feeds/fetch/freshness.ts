/**
 * Freshness hints from response headers (RFC 9111, RFC 9110 Retry-After). Values are passed on
 * as the server sent them, absurd ones included: the poller clamps them to [floor, cap].
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FreshnessHints } from '../../core/feed.js';

export interface Freshness {
  readonly hints: FreshnessHints;
  /** False when the server asked us not to keep the response (no-store, `Expires: 0`). */
  readonly keepValidators: boolean;
}

function single(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** Retry-After as seconds from `nowMs`: delta-seconds or an HTTP-date (past dates give 0). */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP-date names a day and month; bare numbers like "-5" are not dates.
  if (!/[a-z]{3}/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function directives(cacheControl: string | null): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (cacheControl ?? '').split(',')) {
    const [name = '', value = ''] = part.split('=', 2).map((s) => s.trim());
    if (name !== '') found.set(name.toLowerCase(), value.replace(/^"(.*)"$/, '$1'));
  }
  return found;
}

/** Seconds the response stays fresh: max-age minus Age, else Expires minus now. */
function maxAge(cc: Map<string, string>, expires: string | null, age: string | null, nowMs: number): number | null {
  const declared = cc.get('max-age');
  if (declared !== undefined && /^\d+$/.test(declared)) {
    const used = age !== null && /^\d+$/.test(age.trim()) ? Number(age.trim()) : 0;
    return Math.max(0, Number(declared) - used);
  }
  if (expires === null) return null;
  const at = Date.parse(expires);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - nowMs) / 1000));
}

export function readFreshness(headers: IncomingHttpHeaders, nowMs: number): Freshness {
  const cc = directives(single(headers['cache-control']));
  const expires = single(headers.expires);
  const hints: FreshnessHints = {
    retryAfterSeconds: parseRetryAfter(single(headers['retry-after']), nowMs),
    maxAgeSeconds: maxAge(cc, expires, single(headers.age), nowMs),
    ttlMinutes: null, // the parser reads <ttl> from the document
  };
  const keepValidators = !cc.has('no-store') && expires?.trim() !== '0';
  return { hints, keepValidators };
}
