import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { loadProfileFile, loadProfiles } from '../config/profile.js';
import { AppError } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import { createScorer, type Scorer } from '../scoring/index.js';

export const DEFAULT_PROFILE = 'azerbaijan-russia';

/** `--profile` names a profile id in the profiles folder, or a YAML file path. */
export function resolveProfile(name: string, profilesDir: string): Profile {
  if (/\.ya?ml$/i.test(name) || (name.includes('/') && existsSync(name))) return loadProfileFile(name);
  const profiles = loadProfiles(profilesDir);
  const found = profiles.find((profile) => profile.id === name);
  if (!found) {
    const known = profiles.map((profile) => profile.id).join(', ') || 'none';
    throw new AppError('not_found', `no profile "${name}" in ${profilesDir} (known: ${known})`);
  }
  return found;
}

type LineResult =
  | { id: unknown; score: number; alert: boolean; profile: string; reasons: unknown[]; entities: readonly string[] }
  | { id: null; error: { code: 'bad_input'; message: string } };

function badInput(message: string): LineResult {
  return { id: null, error: { code: 'bad_input', message } };
}

/** Scores one JSON line `{"id","title","summary",...}`; a bad line becomes an error line, never a throw. */
export function scoreLine(line: string, scorer: Scorer, profileId: string): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return badInput(`not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return badInput('expected a JSON object');
  const record = value as Record<string, unknown>;
  const title = record.title ?? '';
  const summary = record.summary ?? '';
  if (typeof title !== 'string' || typeof summary !== 'string') return badInput('"title" and "summary" must be strings');
  const [result] = scorer.score({ title, summary }, { profiles: [profileId] });
  if (!result) return badInput(`profile "${profileId}" is not loaded`);
  return { id: record.id ?? null, score: result.score, alert: result.alert, profile: result.profile, reasons: [...result.reasons], entities: result.entities };
}

/** Reads JSON lines from `input`, writes one JSON result line per non-empty input line. */
export async function scoreStream(input: Readable, output: Writable, profile: Profile): Promise<void> {
  const scorer = createScorer([profile]);
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const ok = output.write(`${JSON.stringify(scoreLine(line, scorer, profile.id))}\n`);
    if (!ok) await new Promise((resolve) => output.once('drain', resolve));
  }
}

export function registerScoreCommand(program: Command, deps: { profilesDir: string }): void {
  program
    .command('score')
    .description('score JSON lines {"id","title","summary",...} from stdin against a watch profile; one JSON result per line')
    .option('--profile <name|file>', 'profile id in the profiles folder, or a profile YAML file', DEFAULT_PROFILE)
    .action(async (flags: { profile: string }) => {
      const profile = resolveProfile(flags.profile, deps.profilesDir);
      await scoreStream(process.stdin, process.stdout, profile);
    });
}
