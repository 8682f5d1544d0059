import cron from 'node-cron';
import type { Logger } from '../shared/logger.js';

export interface ScheduledJob {
  readonly name: string;
  /** node-cron expression; six fields allow seconds ("*\/5 * * * * *"). */
  readonly expression: string;
  readonly run: () => Promise<unknown>;
}

export interface Scheduler {
  /** Stops ticking and waits for the runs in flight to finish. */
  stop(): Promise<void>;
}

/**
 * node-cron ticks that call pipeline use-cases. A tick that comes while the previous run of the
 * same job is still going is skipped, not queued: the next tick picks up whatever is due.
 */
export function startScheduler(jobs: readonly ScheduledJob[], logger: Logger): Scheduler {
  const inFlight = new Map<string, Promise<unknown>>();
  const tasks = jobs.map((job) => {
    if (!cron.validate(job.expression)) throw new Error(`invalid cron expression for ${job.name}: ${job.expression}`);
    return cron.schedule(job.expression, () => {
      if (inFlight.has(job.name)) return;
      const run = job
        .run()
        .catch((error: unknown) => logger.error({ job: job.name, err: error }, 'scheduled job failed'))
        .finally(() => inFlight.delete(job.name));
      inFlight.set(job.name, run);
    }, { name: job.name });
  });
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
      await Promise.all(inFlight.values());
    },
  };
}
