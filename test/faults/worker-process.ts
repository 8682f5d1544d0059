import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/app-config.js';

/**
 * Starts `wirewatch worker --json` as a real child process. Through the real bin when src/cli.ts
 * registers the command; until then through the same command object (registerWorkerCommand) in a
 * node process that loads the TypeScript source the way the bin does.
 */
export function spawnWorker(env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const registered = readFileSync(path.join(REPO_ROOT, 'src/cli.ts'), 'utf8').includes('registerWorkerCommand');
  const args = registered
    ? [path.join(REPO_ROOT, 'src/bin/wirewatch.js'), 'worker', '--json']
    : [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { registerWorkerCommand } = await import(${JSON.stringify(path.join(REPO_ROOT, 'src/cli/worker-command.ts'))});
         const { Command } = await import('commander');
         const program = new Command();
         registerWorkerCommand(program);
         await program.parseAsync(['node', 'wirewatch', 'worker', '--json']);`,
      ];
  return spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The pid a lease owner id names (`host-pid-random`, see main.ts). */
export function pidOfOwner(owner: string): number {
  const parts = owner.split('-');
  return Number(parts[parts.length - 2]);
}
