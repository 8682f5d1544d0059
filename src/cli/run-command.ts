import type { Command } from 'commander';
import { openApp, type App } from '../main.js';
import { startConsolePrompt } from '../platforms/console/prompt.js';
import { startScheduler } from '../scheduler/cron.js';
import { logUnhandledRejections } from './process-guards.js';

interface RunFlags {
  once?: boolean;
  json?: boolean;
  fresh?: boolean;
}

function reportCycle(app: App, result: Awaited<ReturnType<App['runCycle']>>, pending: number): void {
  const { poll, delivery } = result;
  app.logger.info(
    { feeds: poll.polled, updated: poll.updated, notModified: poll.notModified, failed: poll.failed, delivered: delivery.sent, deferred: delivery.deferred, pending },
    `cycle: ${poll.polled} feeds polled, ${delivery.sent} alerts delivered, ${pending} still queued`,
  );
}

async function runOnce(flags: RunFlags): Promise<void> {
  // One cycle delivers over REST: no gateway or socket to answer commands with.
  const app = await openApp({ live: true, replayAll: true, json: flags.json, fresh: flags.fresh, connectChat: false });
  try {
    const result = await app.runCycle({ all: true });
    reportCycle(app, result, await app.stores.outbox.pendingCount());
  } finally {
    await app.close();
  }
}

async function runForever(flags: RunFlags): Promise<void> {
  const app = await openApp({ live: true, json: flags.json, fresh: flags.fresh });
  logUnhandledRejections(app.logger);
  const { config } = app.loaded;
  const scheduler = startScheduler(
    [
      { name: 'poll', expression: config.poll.tick, run: () => app.poll() },
      { name: 'deliver', expression: config.delivery.tick, run: () => app.deliver() },
      ...app.digestJobs.map((job) => ({ name: job.name, expression: job.expression, run: () => job.run() })),
    ],
    app.logger,
  );
  const terminal = app.destinations.find((destination) => destination.platform === 'console');
  let stopping: Promise<void> | null = null;
  const stop = (signal: string): Promise<void> =>
    (stopping ??= (async () => {
      app.logger.info({ signal }, 'stopping: finishing in-flight work; undelivered alerts stay in the outbox');
      prompt?.close();
      await scheduler.stop();
      await app.close();
    })());
  const prompt =
    terminal && !flags.json
      ? startConsolePrompt({
          input: process.stdin,
          output: process.stdout,
          destination: terminal,
          deps: app.queryDeps,
          palette: app.palette,
          now: () => new Date(),
          onQuit: () => void stop('quit').then(() => process.exit(0)),
        })
      : null;
  if (prompt) {
    process.stdout.write(
      `wirewatch is watching ${config.feeds.length} feeds for ${terminal?.profiles.join(', ')}.\n` +
        `Alerts appear below. Try /timeline socar, /watch list, /feeds, /help. Ctrl-C stops.\n`,
    );
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop(signal).then(() => process.exit(0)));
  }
  // The first cycle runs at once rather than waiting for the first tick.
  const first = await app.runCycle();
  reportCycle(app, first, await app.stores.outbox.pendingCount());
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('poll feeds on their schedules, score, deliver alerts and answer commands (what `npm start` runs)')
    .option('--once', 'one full cycle: poll every feed once, deliver, exit 0')
    .option('--json', 'print each delivered alert as one JSON line on stdout (logs stay on stderr)')
    .option('--fresh', 'delete the embedded SQLite store first (replays the demo from the start)')
    .action(async (flags: RunFlags) => {
      if (flags.once) await runOnce(flags);
      else await runForever(flags);
    });
}
