/**
 * Feed bytes → normalized items, isolated in worker threads with a deadline and a byte cap.
 * `parseFeed` never throws: every failure is `{ ok: false, error }` with a stable code.
 */
import { availableParallelism } from 'node:os';
import { AppError } from '../../core/errors.js';
import type { FeedFormat, FeedItem, FeedMeta } from '../../core/item.js';
import type { ParseResult } from './parse-document.js';
import { ParserPool } from './parser-pool.js';

export type ParseOutcome =
  | { ok: true; format: FeedFormat; charset: string; feed: FeedMeta; items: FeedItem[]; warnings: string[] }
  | { ok: false; error: AppError };

export interface ParseOptions {
  /** The response's Content-Type header (its charset takes part in decoding). */
  contentType?: string | null;
  /** The URL the body came from: relative links resolve against it. */
  baseUrl?: string | null;
  /** Wall-clock limit for one document once a worker takes it, default 5 000. */
  deadlineMs?: number;
  /** Items kept, default 5 000; the rest are dropped with a warning. */
  maxItems?: number;
  /** Body size refused without parsing, default 10 MiB (the fetcher's cap). */
  maxBytes?: number;
}

export { itemKey } from './item-key.js';

const DEFAULTS = { deadlineMs: 5_000, maxItems: 5_000, maxBytes: 10 * 1024 * 1024 };

let pool: ParserPool | null = null;

export async function parseFeed(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParseOutcome> {
  try {
    const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
    if (bytes.byteLength === 0) return failure('empty_body', 'the body is empty');
    if (bytes.byteLength > maxBytes) return failure('too_large', `the body is ${bytes.byteLength} bytes; the limit is ${maxBytes}`);
    pool ??= new ParserPool(parserThreads(availableParallelism()));
    const result = await pool.parse(
      bytes,
      { contentType: options.contentType ?? null, baseUrl: options.baseUrl ?? null, maxItems: positive(options.maxItems, DEFAULTS.maxItems) },
      positive(options.deadlineMs, DEFAULTS.deadlineMs),
    );
    return toOutcome(result);
  } catch (error) {
    return failure('parse_crash', `parsing failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Terminates the parse workers, so a process or test run can exit. parseFeed starts new ones if called again. */
export async function closeParsers(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.close();
}

function toOutcome(result: ParseResult): ParseOutcome {
  return result.ok ? result : failure(result.code, result.message);
}

function failure(code: Extract<ParseResult, { ok: false }>['code'], message: string): ParseOutcome {
  return { ok: false, error: new AppError(code, message) };
}

/**
 * Parse threads: one core stays with the main thread (fetch, score, store), at most two threads.
 * Each thread is a V8 isolate (~7 MB compiled, ~45 MB when it loads the TypeScript source through
 * tsx), and on two cores a second thread mostly competes with the main one for CPU
 * (docs/performance.md, poll: memory).
 */
export function parserThreads(cores: number): number {
  return Math.max(1, Math.min(2, cores - 1));
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}
