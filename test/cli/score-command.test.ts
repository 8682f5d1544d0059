import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerScoreCommand, resolveProfile, scoreStream } from '../../src/cli/score-command.js';
import { AppError } from '../../src/core/errors.js';

async function run(lines: string): Promise<Record<string, unknown>[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  input.end(lines);
  await scoreStream(input, output, resolveProfile('azerbaijan-russia', 'config/profiles'));
  return Buffer.concat(chunks)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('wirewatch score', () => {
  it('writes one result per JSON line and an error line for bad input, then carries on', async () => {
    const results = await run(
      [
        JSON.stringify({ id: 'a1', title: 'Putin apologises to Aliyev over AZAL crash', summary: '', link: 'https://example.org/a1', published: null, source: 'x' }),
        'not json',
        JSON.stringify({ id: 'a2', title: 5 }),
        '',
        JSON.stringify({ id: 'a3', title: 'Odessa, Texas oil output rises', summary: 'Permian Basin rigs' }),
      ].join('\n'),
    );
    expect(results).toHaveLength(4);
    expect(results[0]).toMatchObject({ id: 'a1', alert: true, profile: 'azerbaijan-russia' });
    expect((results[0]?.reasons as { kind: string }[]).map((reason) => reason.kind)).toContain('entity');
    expect(results[1]).toMatchObject({ id: null, error: { code: 'bad_input' } });
    expect(results[2]).toMatchObject({ id: null, error: { code: 'bad_input' } });
    expect(results[3]).toMatchObject({ id: 'a3', alert: false });
  });

  it('takes a profile id from the folder or a YAML path, and names the known ids otherwise', () => {
    expect(resolveProfile('config/profiles/azerbaijan-russia.yaml', 'nowhere').id).toBe('azerbaijan-russia');
    expect(() => resolveProfile('nope', 'config/profiles')).toThrow(/known: azerbaijan-russia/);
  });

  it('registers the command with its --profile option', async () => {
    const program = new Command().exitOverride();
    registerScoreCommand(program, { profilesDir: 'config/profiles' });
    const command = program.commands.find((candidate) => candidate.name() === 'score');
    expect(command?.options.map((option) => option.long)).toEqual(['--profile']);
    await expect(program.parseAsync(['score', '--profile', 'nope'], { from: 'user' })).rejects.toBeInstanceOf(AppError);
  });
});
