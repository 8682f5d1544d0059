/**
 * `wirewatch parse --jsonl <targets...>`: parse feed files (or http(s) URLs, fetched through the
 * safe fetcher) and print one JSON line per target. A bad, hostile or hanging target becomes an
 * error line; the others still print, and the command exits 0.
 */
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { FetchOutcome } from '../core/fetch-outcome.js';
import { closeParsers, parseFeed } from '../feeds/parse/index.js';
import type { ParseOutcome } from '../feeds/parse/index.js';

export interface ParseCommandDeps {
  readonly fetchUrl: (url: string, allow: string[]) => Promise<FetchOutcome>;
  /** Where the JSON lines go; process.stdout by default. */
  readonly stdout?: Writable;
}

interface ParseFlags {
  jsonl?: boolean;
  allow: string[];
  deadline?: string;
}

type Line = Record<string, unknown>;

/** Targets in flight at once; the parser pool itself runs one or two documents at a time. */
const CONCURRENCY = 4;

export function registerParseCommand(program: Command, deps: ParseCommandDeps): void {
  program
    .command('parse')
    .description('parse feed files or URLs and print what wirewatch reads from them, one JSON line per target')
    .argument('<targets...>', 'feed files, or http(s) URLs fetched through the safe fetcher')
    .option('--jsonl', 'one JSON object per line (the only output format)')
    .option('--allow <host:port>', 'private address allowed for URL targets (repeatable)', collect, [])
    .option('--deadline <ms>', 'parse deadline per target in milliseconds', '5000')
    .action(async (targets: string[], flags: ParseFlags) => {
      const stdout = deps.stdout ?? process.stdout;
      const deadlineMs = Number(flags.deadline);
      const lines = new Array<Promise<Line>>(targets.length);
      let started = 0;
      const startNext = (): void => {
        const index = started++;
        if (index >= targets.length) return;
        lines[index] = describeTarget(targets[index] as string, flags.allow, deadlineMs, deps).finally(startNext);
      };
      for (let i = 0; i < Math.min(CONCURRENCY, targets.length); i++) startNext();
      try {
        // Printed in argument order, each as soon as it and those before it are done.
        for (let i = 0; i < targets.length; i++) {
          while (lines[i] === undefined) await new Promise((resolve) => setImmediate(resolve));
          stdout.write(`${JSON.stringify(await lines[i])}\n`);
        }
      } finally {
        await closeParsers();
      }
    });
}

async function describeTarget(target: string, allow: string[], deadlineMs: number, deps: ParseCommandDeps): Promise<Line> {
  try {
    const input = await readTarget(target, allow, deps);
    if ('error' in input) return { file: target, ok: false, error: input.error };
    const outcome = await parseFeed(input.bytes, {
      contentType: input.contentType,
      baseUrl: input.baseUrl,
      deadlineMs: Number.isFinite(deadlineMs) && deadlineMs > 0 ? deadlineMs : undefined,
    });
    return toLine(target, outcome);
  } catch (error) {
    return { file: target, ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}

type Input =
  | { bytes: Uint8Array; contentType: string | null; baseUrl: string | null }
  | { error: { code: string; message: string } };

async function readTarget(target: string, allow: string[], deps: ParseCommandDeps): Promise<Input> {
  if (/^https?:\/\//i.test(target)) {
    const outcome = await deps.fetchUrl(target, allow);
    if (outcome.kind === 'fetched') return { bytes: outcome.body, contentType: outcome.contentType, baseUrl: outcome.finalUrl };
    if (outcome.kind === 'failed') return { error: { code: outcome.error.code, message: outcome.error.message } };
    if (outcome.kind === 'http-error') return { error: { code: 'http_error', message: `HTTP ${outcome.status}` } };
    return { error: { code: 'http_error', message: 'not modified (304) without a cached copy' } };
  }
  try {
    return { bytes: await readFile(target), contentType: null, baseUrl: null };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return { error: { code: 'bad_input', message: `cannot read ${target}: ${reason}` } };
  }
}

function toLine(file: string, outcome: ParseOutcome): Line {
  if (!outcome.ok) return { file, ok: false, error: { code: outcome.error.code, message: outcome.error.message } };
  return {
    file,
    ok: true,
    format: outcome.format,
    feed: { title: outcome.feed.title, link: outcome.feed.link, language: outcome.feed.language },
    items: outcome.items.map(({ title, link, guid, published, summary }) => ({ title, link, guid, published, summary })),
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
