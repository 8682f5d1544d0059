import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/app-config.js';
import { runCli } from '../support/run-cli.js';

describe('wirewatch run as a long-running process', () => {
  it('delivers alerts as the demo replays, stops cleanly on SIGTERM, and a restart re-posts nothing', async () => {
    const store = path.join(mkdtempSync(path.join(tmpdir(), 'wirewatch-run-')), 'store.sqlite');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'src/bin/wirewatch.js'), 'run', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, WIREWATCH_DATABASE_URL: store, WIREWATCH_LOG_LEVEL: 'info', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Wait (bounded) for the replay to produce a few alerts, then ask the process to stop.
    const deadline = Date.now() + 40_000;
    while (stdout.split('\n').filter(Boolean).length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(stderr).toMatch(/stopping/);
    const alerts = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { outboxId: number });
    expect(alerts.length).toBeGreaterThanOrEqual(3);

    // A restart on the same store never re-posts an alert that was already delivered.
    const again = await runCli(['run', '--once', '--json'], { env: { WIREWATCH_DATABASE_URL: store } });
    expect(again.code).toBe(0);
    const reposted = again.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { outboxId: number });
    const first = new Set(alerts.map((alert) => alert.outboxId));
    expect(reposted.filter((alert) => first.has(alert.outboxId))).toEqual([]);
  }, 90_000);
});
