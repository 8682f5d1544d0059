import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../core/errors.js';
import { evaluate, type Confusion, type EvalItem, type Evaluation } from '../scoring/evaluate.js';
import { createScorer } from '../scoring/index.js';
import { DEFAULT_PROFILE, resolveProfile } from './score-command.js';

/** Reads a labelled JSON-lines set; a malformed line is an error naming its line number. */
export function readEvalSet(file: string): EvalItem[] {
  const items: EvalItem[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new AppError('bad_input', `${file}:${index + 1}: not JSON`);
      }
      const item = value as Partial<EvalItem>;
      if (typeof item.id !== 'string' || typeof item.title !== 'string' || typeof item.label !== 'boolean') {
        throw new AppError('bad_input', `${file}:${index + 1}: needs "id", "title" and a boolean "label"`);
      }
      items.push({ id: item.id, lang: item.lang ?? '?', title: item.title, summary: item.summary ?? '', label: item.label, note: item.note ?? '' });
    });
  return items;
}

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;
const row = (name: string, c: Confusion): string =>
  `${name.padEnd(8)} precision ${pct(c.precision).padStart(6)}  recall ${pct(c.recall).padStart(6)}  F1 ${pct(c.f1).padStart(6)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn}, tn ${c.tn})`;

export function formatEvaluation(result: Evaluation): string {
  const lines = [row('overall', result.overall), ...Object.entries(result.byLanguage).map(([lang, c]) => row(lang, c))];
  if (result.misclassified.length > 0) {
    lines.push('', `misclassified (${result.misclassified.length}):`);
    for (const miss of result.misclassified) {
      lines.push(`  ${miss.label ? 'MISSED' : 'FALSE ALERT'} ${miss.id} score ${miss.score}: ${miss.title}${miss.note ? `  [${miss.note}]` : ''}`);
      if (miss.reasons.length > 0) lines.push(`      ${miss.reasons.join('  ')}`);
    }
  }
  return lines.join('\n');
}

export function registerEvalCommand(program: Command, deps: { profilesDir: string; fixturesDir: string }): void {
  program
    .command('eval')
    .description('precision/recall/F1 of a watch profile on a labelled set, overall and per language, with the misclassified items')
    .option('--set <file>', 'labelled JSON lines {"id","lang","title","summary","label"}', path.join(deps.fixturesDir, 'eval', 'dev.jsonl'))
    .option('--profile <name|file>', 'profile id in the profiles folder, or a profile YAML file', DEFAULT_PROFILE)
    .option('--json', 'print the evaluation as JSON')
    .action((flags: { set: string; profile: string; json?: boolean }) => {
      const profile = resolveProfile(flags.profile, deps.profilesDir);
      const result = evaluate(createScorer([profile]), readEvalSet(flags.set), profile.id);
      process.stdout.write(`${flags.json ? JSON.stringify(result) : formatEvaluation(result)}\n`);
    });
}
