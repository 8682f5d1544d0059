import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/app-config.js';
import { runCli } from '../support/run-cli.js';

const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus/feeds');
const INDEX = path.join(CORPUS, 'index.tsv');
const present = existsSync(INDEX);
if (!present) console.warn(`skipping: the shared corpus is not at ${CORPUS} (someone else's clone?)`);

/** The real `wirewatch parse --jsonl` command over every corpus feed, in one process, as a user would run it. */
describe.skipIf(!present)('wirewatch parse --jsonl over the whole shared corpus', () => {
  it('answers every file, in order, with a typed result, and exits 0', async () => {
    const files = readFileSync(INDEX, 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((row) => path.join(CORPUS, row.split('\t')[0] ?? ''));
    const result = await runCli(['parse', '--jsonl', ...files], { timeoutMs: 120_000 });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { file: string; ok: boolean; error?: { code: string }; items?: unknown[] });
    expect(lines.map((line) => line.file)).toEqual(files);
    const failures = lines.filter((line) => !line.ok);
    for (const failure of failures) expect(failure.error?.code).toMatch(/^(invalid_xml|not_a_feed|empty_body|too_large|parse_timeout|bad_input)$/);
    expect(failures.filter((failure) => failure.error?.code === 'parse_timeout')).toEqual([]);
    expect(lines.filter((line) => line.ok).length / lines.length).toBeGreaterThan(0.95);
  }, 150_000);
});
