/**
 * A long-running wirewatch logs a rejection nobody awaited (a chat library's background work) and
 * keeps running, where Node would exit. In a child process: vitest watches rejections of its own.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/app-config.js';

const SCRIPT = `
const { logUnhandledRejections } = await import('./src/cli/process-guards.ts');
const { createLogger } = await import('./src/shared/logger.ts');
logUnhandledRejections(createLogger({ level: 'info' }));
void Promise.reject(new Error('gateway event not understood'));
setTimeout(() => process.stdout.write('still running\\n'), 100);
`;

describe('unhandled rejections in a long-running process', () => {
  it('are logged with their message and do not end the process', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const output = result.stdout + result.stderr;
    expect(result.code).toBe(0);
    expect(output).toContain('still running');
    expect(output).toContain('gateway event not understood');
    expect(output).toContain('wirewatch keeps running');
  });
});
