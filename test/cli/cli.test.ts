import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const tempStore = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'wirewatch-cli-')), 'store.sqlite');

describe('the wirewatch command', () => {
  it('documents every command in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['run', 'parse', 'score', 'timeline']) expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('run --once --json prints complete alerts from the demo feeds and exits 0', async () => {
    const result = await runCli(['run', '--once', '--json'], { env: { WIREWATCH_DATABASE_URL: tempStore() } });
    expect(result.stderr).not.toMatch(/unexpected failure/);
    expect(result.code).toBe(0);
    const alerts = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(alerts.length).toBeGreaterThanOrEqual(5);
    for (const alert of alerts) {
      expect(typeof alert.title).toBe('string');
      expect(String(alert.link)).toMatch(/^https?:\/\//);
      expect(typeof alert.score).toBe('number');
      expect((alert.reasons as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('timeline answers from the store after a run, in order, as JSON', async () => {
    const store = tempStore();
    const env = { WIREWATCH_DATABASE_URL: store };
    expect((await runCli(['run', '--once', '--json'], { env })).code).toBe(0);
    const result = await runCli(['timeline', 'socar', '--json'], { env });
    expect(result.code).toBe(0);
    // One entry per story (stories fold the duplicates and other outlets' reports of one event).
    const answer = JSON.parse(result.stdout) as { entities: { id: string }[]; total: number; lines: { story: { firstAt: string; sourceCount: number } }[] };
    expect(answer.entities.length).toBeGreaterThan(0);
    expect(answer.lines.length).toBeGreaterThan(0);
    expect(answer.total).toBe(answer.lines.length);
    expect(answer.lines.some((line) => line.story.sourceCount > 1)).toBe(true);
    const dates = answer.lines.map((line) => line.story.firstAt);
    expect([...dates].sort()).toEqual(dates);
  });

  it('score reads JSON lines and explains each score', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'Russian drone hits SOCAR filling station in Odesa region', summary: '', link: 'https://x.example/a', published: null, source: 't' }),
      JSON.stringify({ id: 'b', title: 'Odessa, Texas rodeo draws record crowd', summary: '', link: 'https://x.example/b', published: null, source: 't' }),
      'not json',
    ].join('\n');
    const result = await runCli(['score'], { input });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ id: 'a', alert: true, profile: 'azerbaijan-russia' });
    expect(lines[1]).toMatchObject({ id: 'b', alert: false });
    expect(lines[2]).toMatchObject({ id: null, error: { code: 'bad_input' } });
  });

  it('fails start with every config problem listed, naming file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-bad-'));
    const file = path.join(dir, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'feeds:\n  - id: Bad Id\n    url: ftp://x\ndestinations: []\nbogus: 1\n');
    const result = await runCli(['run', '--once'], { env: { WIREWATCH_CONFIG: file } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:2 feeds\.0\.id/);
    expect(result.stderr).toMatch(/bad\.yaml:3 feeds\.0\.url/);
    expect(result.stderr).toMatch(/destinations/);
    expect(result.stderr).toMatch(/bogus/);
  });
});
