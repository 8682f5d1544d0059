import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { openApp, type App } from '../main.js';
import { startScheduler, type Scheduler } from '../scheduler/cron.js';
import { logUnhandledRejections } from './process-guards.js';

interface WorkerFlags {
  json?: boolean;
}

export interface WorkerHandle {
  readonly app: App;
  /** Stops ticking, waits for in-flight polls and deliveries, closes the stores. */
  stop(): Promise<void>;
}

/**
 * A worker: fetch, score and deliver on the configured ticks, and nothing else (no console prompt,
 * no chat commands), so a deployment runs one `wirewatch run` front process and N of these against
 * the same Postgres. Each tick only claims what is due; leases keep workers off each other's feeds
 * and alerts, and only the elected relay delivers. A poll that queued alerts asks for a delivery
 * pass at once instead of waiting for the delivery tick.
 */
export async function startWorker(options: { json?: boolean; env?: NodeJS.ProcessEnv; stdout?: Writable; cwd?: string } = {}): Promise<WorkerHandle> {
  // Workers deliver (over REST) but answer no commands: one gateway / Socket Mode session is `run`'s.
  const app = await openApp({ live: true, json: options.json, env: options.env, stdout: options.stdout, cwd: options.cwd, connectChat: false });
  const { config } = app.loaded;
  const pollAndDeliver = async (): Promise<void> => {
    const summary = await app.poll();
    if (summary.queued > 0) await app.deliver();
  };
  let scheduler: Scheduler;
  try {
    scheduler = startScheduler(
      [
        { name: 'poll', expression: config.poll.tick, run: pollAndDeliver },
        { name: 'deliver', expression: config.delivery.tick, run: () => app.deliver() },
      ],
      app.logger,
    );
  } catch (error) {
    await app.close();
    throw error;
  }
  app.logger.info({ pid: process.pid, feeds: config.feeds.length }, 'worker started');
  let stopping: Promise<void> | null = null;
  return {
    app,
    stop: () =>
      (stopping ??= (async () => {
        await scheduler.stop();
        await app.close();
      })()),
  };
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('poll, score and deliver only (no commands): run N of these beside one `wirewatch run`, all on the same Postgres')
    .option('--json', 'print each delivered alert as one JSON line on stdout (logs stay on stderr)')
    .action(async (flags: WorkerFlags) => {
      const worker = await startWorker({ json: flags.json });
      logUnhandledRejections(worker.app.logger);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          worker.app.logger.info({ signal }, 'stopping: finishing in-flight work; undelivered alerts stay in the outbox');
          void worker.stop().then(() => process.exit(0));
        });
      }
    });
}
