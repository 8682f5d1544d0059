/**
 * Static rules for feed URLs: what a user may add, and what a redirect may lead to. The address a
 * host resolves to is checked separately, at connect time (address-guard.ts, target.ts).
 */
import { isIP } from 'node:net';
import { AppError } from '../../core/errors.js';
import { isBlockedAddress } from './address-guard.js';

export type UrlCheck = { ok: true; url: URL } | { ok: false; error: AppError };

/** `host:port` entries (URL-normalised) that may be fetched although private or loopback. */
export type Allowlist = ReadonlySet<string>;

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** `hostname:port` in the form WHATWG URL prints it (IPv6 in brackets, v4 dotted, lowercase). */
export function hostKey(url: URL): string {
  return `${url.hostname}:${url.port || defaultPort(url.protocol)}`;
}

/** The key of a connected (or resolved) address, comparable with allowlist entries. */
export function addressKey(address: string, port: string): string {
  const host = isIP(address) === 6 ? `[${address}]` : address;
  try {
    return `${new URL(`http://${host}`).hostname}:${port}`;
  } catch {
    return `${host}:${port}`;
  }
}

/** Parses 'host:port' entries; a malformed entry is an AppError so config mistakes are loud. */
export function parseAllowlist(entries: readonly string[] = []): Allowlist {
  const keys = new Set<string>();
  for (const entry of entries) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(`http://${entry}`);
    } catch {
      parsed = null;
    }
    const hasPort = /:\d+$/.test(entry);
    if (parsed === null || !hasPort || parsed.pathname !== '/' || parsed.username !== '') {
      throw new AppError('config_invalid', `allowPrivate entry "${entry}" is not host:port`);
    }
    keys.add(`${parsed.hostname}:${parsed.port || '80'}`);
  }
  return keys;
}

function ipLiteral(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? null : host;
}

function isLocalName(hostname: string): boolean {
  const name = hostname.replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function fail(code: 'bad_url' | 'bad_scheme' | 'blocked_address', message: string): UrlCheck {
  return { ok: false, error: new AppError(code, message) };
}

/**
 * Rules every hop must pass: http(s) only, no credentials, a host, and no IP literal or
 * localhost name in a blocked range unless its host:port is allowlisted.
 */
export function checkParsedUrl(url: URL, allowlist: Allowlist): UrlCheck {
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    return fail('bad_scheme', `only http and https feeds are fetched, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    return fail('bad_url', 'feed URLs may not carry a user name or password');
  }
  if (url.hostname === '') return fail('bad_url', 'feed URL has no host');
  if (allowlist.has(hostKey(url))) return { ok: true, url };
  const literal = ipLiteral(url);
  if ((literal !== null && isBlockedAddress(literal)) || isLocalName(url.hostname)) {
    return fail('blocked_address', `${url.hostname} is a private or reserved address`);
  }
  return { ok: true, url };
}

/** checkFeedUrl with an already parsed allowlist (the fetcher checks every URL it is given). */
export function checkUrlText(url: string, allowlist: Allowlist): UrlCheck {
  const text = url.trim();
  // WHATWG URL reads `http:\\host` as `http://host/`: refuse the ambiguity instead of guessing.
  if (text.includes('\\')) return fail('bad_url', 'feed URL contains a backslash');
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return fail('bad_url', 'feed URL contains spaces or control characters');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return fail('bad_url', 'feed URL must start with http:// or https://');
  if (scheme !== 'http' && scheme !== 'https') {
    return fail('bad_scheme', `only http and https feeds are fetched, not ${scheme}:`);
  }
  if (!/^https?:\/\/[^/]/i.test(text)) return fail('bad_url', 'feed URL must look like http://host/path');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return fail('bad_url', 'feed URL is not a valid URL');
  }
  return checkParsedUrl(parsed, allowlist);
}

/** Static check of a user-supplied URL (scheme, credentials, IP literal ranges, well-formedness). */
export function checkFeedUrl(url: string, allowPrivate: readonly string[] = []): UrlCheck {
  let allowlist: Allowlist;
  try {
    allowlist = parseAllowlist(allowPrivate);
  } catch {
    allowlist = new Set(); // a malformed entry allows nothing; createFeedFetcher reports it
  }
  return checkUrlText(url, allowlist);
}

/**
 * Where a redirect may lead: a valid http(s) URL passing checkParsedUrl, and never from https
 * down to http (Fastladder#575 accepted downgrades).
 */
export function checkRedirect(from: URL, location: string, allowlist: Allowlist): UrlCheck {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return fail('bad_url', 'redirect Location is not a valid URL');
  }
  if (!ALLOWED_SCHEMES.has(next.protocol)) {
    return fail('bad_scheme', `redirect to ${next.protocol} refused: only http and https are fetched`);
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    return { ok: false, error: new AppError('insecure_redirect', 'redirect from https to http refused') };
  }
  return checkParsedUrl(next, allowlist);
}
