import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { formatEvaluation, readEvalSet, registerEvalCommand } from '../../src/cli/eval-command.js';
import { AppError } from '../../src/core/errors.js';
import { evaluate } from '../../src/scoring/evaluate.js';
import { createScorer } from '../../src/scoring/index.js';
import { resolveProfile } from '../../src/cli/score-command.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-eval-'));

describe('wirewatch eval', () => {
  it('prints precision, recall and F1 overall and per language, then the misclassified items', () => {
    const file = path.join(dir, 'set.jsonl');
    writeFileSync(
      file,
      [
        { id: 'a', lang: 'en', title: 'Putin apologises to Aliyev over AZAL crash', summary: '', label: true },
        { id: 'b', lang: 'ru', title: 'Вакцина «Спутник V» одобрена', summary: '', label: false },
        { id: 'c', lang: 'en', title: 'Nothing to see', summary: '', label: true, note: 'a deliberate miss' },
      ]
        .map((item) => JSON.stringify(item))
        .join('\n'),
    );
    const result = evaluate(createScorer([resolveProfile('azerbaijan-russia', 'config/profiles')]), readEvalSet(file));
    const text = formatEvaluation(result);
    expect(text).toMatch(/^overall +precision 100\.0% +recall +50\.0% +F1 +66\.7%/);
    expect(text).toMatch(/^en +precision/m);
    expect(text).toMatch(/^ru +precision/m);
    expect(text).toContain('MISSED c score 0: Nothing to see  [a deliberate miss]');
  });

  it('names the line of a malformed set', () => {
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, '{"id":"a","title":"t","label":true}\n{"id":"b","title":"t"}\n');
    expect(() => readEvalSet(file)).toThrow(/bad\.jsonl:2: needs/);
    expect(() => readEvalSet(file)).toThrow(AppError);
  });

  it('registers the command with --set, --profile and --json', () => {
    const program = new Command();
    registerEvalCommand(program, { profilesDir: 'config/profiles', fixturesDir: 'fixtures' });
    const command = program.commands.find((candidate) => candidate.name() === 'eval');
    expect(command?.options.map((option) => option.long)).toEqual(['--set', '--profile', '--json']);
  });
});
