/**
 * Validators for the fixture server, so the demo exercises the fetcher's conditional GET path
 * exactly as a well-behaved news site would: a strong ETag over the served bytes and a
 * Last-Modified that follows the newest entry in virtual time.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export function entityTag(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/** HTTP-date (RFC 9110 IMF-fixdate); whole seconds, as the header carries no more. */
export function httpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function tagsMatch(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): a W/ prefix on either side does not matter for GET.
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => opaque(candidate) === opaque(etag));
}

/**
 * True when the client's copy is current. If-None-Match wins over If-Modified-Since when both are
 * sent (RFC 9110 §13.2.2); a date we cannot read counts as no condition at all.
 */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, newest: number | null): boolean {
  const ifNoneMatch = header(headers, 'if-none-match');
  if (ifNoneMatch !== null) return tagsMatch(ifNoneMatch, etag);
  const ifModifiedSince = header(headers, 'if-modified-since');
  if (ifModifiedSince === null || newest === null) return false;
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(newest / 1000) * 1000 <= since;
}
