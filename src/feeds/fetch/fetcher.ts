/**
 * wirewatch's feed fetcher: conditional GET, total deadline covering the body, decoded-byte cap,
 * manual redirects re-checked on every hop, SSRF guard on the connected address, per-host and
 * global concurrency. Expected outcomes are values; fetch() never throws (reliability §0, §3 B).
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { AppError } from '../../core/errors.js';
import type { FetchOutcome } from '../../core/fetch-outcome.js';
import { readBody } from './body-reader.js';
import { readFreshness } from './freshness.js';
import { createHostLimiter } from './host-limiter.js';
import { discard, openResponse } from './request.js';
import type { RequestLimits } from './request.js';
import { resolveTarget } from './target.js';
import { checkRedirect, checkUrlText, parseAllowlist } from './url-policy.js';
import type { Allowlist } from './url-policy.js';

export interface FetcherOptions {
  /** Identifying UA with a contact URL, e.g. 'wirewatch/0.1 (+https://github.com/wirewatch/wirewatch)'. */
  userAgent: string;
  /** 'host:port' entries allowed even though private/loopback, e.g. '127.0.0.1:43123'. */
  allowPrivate?: readonly string[];
  /** Decoded-byte cap, default 10 MiB. */
  maxBytes?: number;
  /** Total deadline including the body, default 20 000. */
  deadlineMs?: number;
  /** Connect + response headers, default 10 000. */
  connectTimeoutMs?: number;
  maxRedirects?: number;
  perHostConcurrency?: number;
  concurrency?: number;
}

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface FeedFetcher {
  /** Never throws: every failure is `{ kind: 'failed', error }`. */
  fetch(url: string, validators?: Validators, signal?: AbortSignal): Promise<FetchOutcome>;
}

const ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface Settings {
  readonly userAgent: string;
  readonly allowlist: Allowlist;
  readonly maxBytes: number;
  readonly deadlineMs: number;
  readonly connectTimeoutMs: number;
  readonly maxRedirects: number;
}

/** Header values we send must be plain visible ASCII; a corrupt stored validator is dropped. */
function safeHeaderValue(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' && /^[\x20-\x7e\t]+$/.test(value) ? value : null;
}

/**
 * The headers of every hop. We hold no credentials and no cookie jar, so nothing secret can
 * follow a redirect to another origin (CVE-2023-45143, nodejs/undici#4917).
 */
function requestHeaders(settings: Settings, validators: Validators | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'user-agent': settings.userAgent,
    accept: ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  const etag = safeHeaderValue(validators?.etag);
  const lastModified = safeHeaderValue(validators?.lastModified);
  if (etag !== null) headers['if-none-match'] = etag;
  if (lastModified !== null) headers['if-modified-since'] = lastModified;
  return headers;
}

function header(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name];
  return typeof value === 'string' ? value : null;
}

async function followRedirects(
  start: URL,
  headers: OutgoingHttpHeaders,
  settings: Settings,
  limits: RequestLimits,
): Promise<FetchOutcome> {
  let url = start;
  for (let redirects = 0; ; ) {
    const target = await resolveTarget(url, settings.allowlist, limits.signal);
    const res = await openResponse(target, headers, limits);
    const status = res.statusCode ?? 0;
    const location = header(res, 'location');
    if (REDIRECT_STATUSES.has(status) && location !== null) {
      discard(res);
      if (redirects >= settings.maxRedirects) {
        throw new AppError('too_many_redirects', `more than ${settings.maxRedirects} redirects`);
      }
      redirects += 1;
      const next = checkRedirect(url, location, settings.allowlist);
      if (!next.ok) throw next.error;
      url = next.url;
      continue;
    }
    const { hints, keepValidators } = readFreshness(res.headers, Date.now());
    if (status === 304) {
      discard(res);
      return { kind: 'not-modified', hints };
    }
    if (status < 200 || status > 299) {
      discard(res);
      return { kind: 'http-error', status, hints };
    }
    const body = await readBody(res, settings.maxBytes, limits.signal);
    return {
      kind: 'fetched',
      body,
      contentType: header(res, 'content-type'),
      etag: keepValidators ? header(res, 'etag') : null,
      lastModified: keepValidators ? header(res, 'last-modified') : null,
      finalUrl: url.href,
      hints,
    };
  }
}

/** Whatever went wrong, as an AppError; the deadline's reason wins over the abort it caused. */
function classify(error: unknown, signal: AbortSignal): AppError {
  if (signal.aborted && signal.reason instanceof AppError) return signal.reason;
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = typeof code === 'string' ? code : 'connection failed';
  return new AppError('network_error', `network error: ${detail}`, { cause: error });
}

export function createFeedFetcher(options: FetcherOptions): FeedFetcher {
  const settings: Settings = {
    userAgent: options.userAgent,
    allowlist: parseAllowlist(options.allowPrivate),
    maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
    deadlineMs: options.deadlineMs ?? 20_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    maxRedirects: options.maxRedirects ?? 5,
  };
  const limiter = createHostLimiter(options.perHostConcurrency ?? 2, options.concurrency ?? 16);

  async function fetchFeed(rawUrl: string, validators?: Validators, signal?: AbortSignal): Promise<FetchOutcome> {
    const checked = checkUrlText(rawUrl, settings.allowlist);
    if (!checked.ok) return { kind: 'failed', error: checked.error };
    const start = checked.url;

    const controller = new AbortController();
    const cancel = (): void => controller.abort(new AppError('network_error', 'fetch cancelled'));
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    let release: (() => void) | null = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The deadline starts once we hold a slot: queueing behind a slow host is not this feed's fault.
      release = await limiter.acquire(start.hostname, controller.signal);
      timer = setTimeout(
        () => controller.abort(new AppError('timeout', `feed fetch exceeded ${settings.deadlineMs} ms`)),
        settings.deadlineMs,
      );
      const limits: RequestLimits = {
        signal: controller.signal,
        connectTimeoutMs: settings.connectTimeoutMs,
        allowlist: settings.allowlist,
      };
      return await followRedirects(start, requestHeaders(settings, validators), settings, limits);
    } catch (error) {
      return { kind: 'failed', error: classify(error, controller.signal) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      release?.();
      // Destroys anything still open (a redirect or error body) once this fetch is over.
      if (!controller.signal.aborted) controller.abort(new AppError('internal', 'fetch finished'));
    }
  }

  return { fetch: fetchFeed };
}
