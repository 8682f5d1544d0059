/**
 * `wirewatch bench workers`: the poll benchmark's measured cycle run by 1, 2 and 4 `wirewatch
 * worker` processes sharing one Postgres schema. Checks that each feed is fetched exactly once per
 * cycle (the feed server counts requests per feed) and each alert delivered exactly once (the JSON
 * alert lines of every worker's stdout, by outbox id), and reports the speed-up over one worker.
 * Alerts are one per story: the farm's matching items are alike, so most fold into a few stories
 * and reach chat as follow-ups, which `--json` does not print; the exactly-once check is per alert.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_POSTGRES_URL, REPO_ROOT, runTsChild, startFeedFarm, writeFarmConfig } from './poll.js';
import type { Benchmark, BenchReport } from './report.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RunningWorker {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
}

/** The real CLI when src/cli.ts registers `worker`; else the same command object loaded the way the bin does. */
function spawnWorker(env: NodeJS.ProcessEnv): RunningWorker {
  const registered = readFileSync(path.join(REPO_ROOT, 'src/cli.ts'), 'utf8').includes('registerWorkerCommand');
  const script = `const { registerWorkerCommand } = await import(${JSON.stringify(path.join(REPO_ROOT, 'src/cli/worker-command.ts'))});
    const { Command } = await import('commander'); const program = new Command(); registerWorkerCommand(program);
    await program.parseAsync(['node', 'wirewatch', 'worker', '--json']);`;
  const args = registered ? [path.join(REPO_ROOT, 'src/bin/wirewatch.js'), 'worker', '--json'] : ['--import', 'tsx', '--input-type=module', '-e', script];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const worker: RunningWorker = { child, stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (worker.stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (worker.stderr += chunk.toString('utf8')));
  return worker;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`workers bench: timed out waiting for ${what}`);
    await sleep(100);
  }
}

export const benchmark: Benchmark = async (options): Promise<BenchReport> => {
  const feeds = options.quick ? 500 : 10_000;
  const counts = options.quick ? [1, 2] : [1, 2, 4];
  const { dropSchema, makeAllFeedsDue, leaseSnapshot, openPostgresStores } = await import('../storage/postgres/index.js');
  const schema = `bench_workers_${process.pid}`;
  const url = `${BENCH_POSTGRES_URL}?schema=${schema}`;
  const farm = await startFeedFarm();
  const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-bench-workers-'));
  const config = writeFarmConfig(dir, farm.port, feeds);
  const env = { WIREWATCH_CONFIG: config, WIREWATCH_DATABASE_URL: url, WIREWATCH_LOG_LEVEL: 'info' };
  const rows: (string | number)[][] = [];
  const runs: Record<string, unknown>[] = [];
  const stores = await openPostgresStores(url, { schema, maxConnections: 2 });
  try {
    options.log(`workers: seeding ${feeds} feeds on Postgres…`);
    await runTsChild(
      `const { openApp } = await import(${JSON.stringify(path.join(REPO_ROOT, 'src/main.ts'))});
       const { Writable } = await import('node:stream');
       const app = await openApp({ stdout: new Writable({ write: (_c, _e, done) => done() }) });
       await app.poll(); await app.close(); process.stdout.write('{}\\n'); process.exit(0);`,
      env,
    );
    let baseline = 0;
    for (const [round, count] of counts.entries()) {
      // Hold every feed back while the workers start, so that start-up is not measured.
      await makeAllFeedsDue(BENCH_POSTGRES_URL, schema, new Date(Date.now() + 86_400_000));
      const workers = Array.from({ length: count }, () => spawnWorker(env));
      try {
        await until('workers to start', async () => workers.every((worker) => worker.stderr.includes('worker started')), 60_000);
        await farm.phase(`cycle${round + 1}`);
        await makeAllFeedsDue(BENCH_POSTGRES_URL, schema, new Date());
        const started = performance.now();
        options.log(`workers: ${count} worker(s) polling ${feeds} feeds…`);
        await until(
          'the cycle to finish',
          async () => {
            const stats = await farm.stats();
            if (stats.feeds < feeds) return false;
            const leases = await leaseSnapshot(BENCH_POSTGRES_URL, schema);
            return leases.feeds.length === 0 && (await stores.dueCount(new Date())) === 0 && (await stores.outbox.pendingCount()) === 0;
          },
          600_000,
        );
        const seconds = (performance.now() - started) / 1000;
        await sleep(300);
        const stats = await farm.stats();
        const perOutboxId = new Map<number, number>();
        for (const worker of workers) {
          for (const line of worker.stdout.split('\n')) {
            if (!line.startsWith('{')) continue;
            const id = (JSON.parse(line) as { outboxId?: number }).outboxId;
            if (typeof id === 'number') perOutboxId.set(id, (perOutboxId.get(id) ?? 0) + 1);
          }
        }
        const alerts = [...perOutboxId.values()].reduce((sum, times) => sum + times, 0);
        const duplicates = alerts - perOutboxId.size;
        if (count === 1) baseline = seconds;
        const run = {
          workers: count,
          seconds,
          feedsPerSecond: feeds / seconds,
          fetches: stats.requests,
          maxFetchesPerFeed: stats.max,
          alertsDelivered: perOutboxId.size,
          duplicateAlerts: duplicates,
          speedUp: baseline / seconds,
        };
        runs.push(run);
        rows.push([count, seconds, run.feedsPerSecond, `${stats.requests} (max ${stats.max}/feed)`, perOutboxId.size, duplicates, run.speedUp]);
      } finally {
        for (const worker of workers) worker.child.kill('SIGTERM');
        await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.child.exitCode !== null ? resolve(null) : worker.child.once('exit', resolve)))));
      }
    }
  } finally {
    await stores.close();
    farm.close();
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(BENCH_POSTGRES_URL, schema);
  }
  return {
    name: `workers: one cycle of ${feeds.toLocaleString('en-US')} feeds by N worker processes on Postgres`,
    note:
      'Same feed server and cycle as `poll` (80 % 304, 20 % new items, 1 % slow). Each feed must be fetched exactly once ' +
      'and each alert delivered exactly once (only the elected relay sends; one alert per story, the farm\'s similar items ' +
      'fold into a few stories). This machine has 2 cores shared by the ' +
      'workers, Postgres and the feed server, so speed-up beyond 2 workers cannot come from CPU; what extra workers add ' +
      'there is more fetches in flight (each worker has its own per-host cap).',
    columns: ['workers', 'wall s', 'feeds/s', 'fetches', 'alerts', 'duplicates', 'speed-up'],
    rows,
    figures: { feeds, runs },
  };
};
