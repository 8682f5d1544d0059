import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repository root: tests read the shipped profiles and fixtures from there. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Writes a wirewatch.yaml into a fresh temp dir and returns the env that points the app at it. */
export function writeTestConfig(yaml: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-test-'));
  const file = path.join(dir, 'wirewatch.yaml');
  writeFileSync(file, yaml);
  return { dir, env: { WIREWATCH_CONFIG: file, WIREWATCH_LOG_LEVEL: 'silent' } };
}
