import type { Command } from 'commander';
import { runCommand } from '../commands/registry.js';
import type { Destination } from '../core/alert.js';
import { openApp } from '../main.js';
import { renderReply } from '../platforms/console/render.js';

/** The terminal is not a destination; the commands below name theirs. */
const TERMINAL: Destination = { id: 'cli', platform: 'console', channel: 'terminal', profiles: [], threshold: null, maxAlertsPerCycle: 0 };

/** Runs one `/wirewatch …` line against the configured store as the operator, who may configure. */
async function asOperator(input: string): Promise<void> {
  const app = await openApp({ live: false });
  try {
    const deps = { ...app.queryDeps, pauses: app.stores.outbox };
    const { reply, error } = await runCommand(input, { destination: TERMINAL, user: { id: 'cli', name: 'cli', canConfigure: true }, now: new Date() }, deps);
    process.stdout.write(`${renderReply(reply, app.palette)}\n`);
    if (error) process.exitCode = 1;
  } finally {
    await app.close();
  }
}

/**
 * `wirewatch status` and `wirewatch resume DESTINATION`: the chat's /wirewatch status and resume,
 * for an operator at the machine (a broken token may leave no chat to type them in). They act on
 * the store, so a running `wirewatch run` (or every worker, on Postgres) sees the resume.
 */
export function registerPauseCommands(program: Command): void {
  program
    .command('status')
    .description('destinations paused by a delivery error (channel gone, bot removed, token revoked), and why')
    .action(() => asOperator('/wirewatch status'));
  program
    .command('resume')
    .description('deliver to a paused destination again, once its channel or token is fixed; its waiting alerts go out')
    .argument('<destination>', 'the destination id, as in config destinations[].id')
    .action((destination: string) => asOperator(`/wirewatch resume "${destination.replace(/["\s]+/g, '')}"`));
}
