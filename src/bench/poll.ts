/**
 * `wirewatch bench poll`: one full poll cycle of 10,000 feeds served by a loopback feed server in
 * its own process (≈ 20 items each; in the measured cycle 80 % answer 304, 20 % carry 3 new items,
 * 1 % answer 300 ms late), through the real fetcher, parser pool, scorer and store, on SQLite and on
 * Postgres. Each store runs in a fresh child process, so peak RSS is that run's alone. The seed
 * cycle (first poll of every feed: 20 items each stored, nothing alerted) is reported too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchReport } from './report.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_POSTGRES_URL = process.env.WIREWATCH_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The feed server, plain JavaScript run with `node -e` so it costs the measured process nothing.
 * GET /fN.xml serves feed N; POST /_phase/cycle switches to the measured cycle (validators of the
 * seed answer 304 for 80 % of feeds, 20 % gain 3 new items, one in ten of those matching the demo
 * profile; /_phase/cycleK: K rounds of new items); GET /_stats counts requests per feed since the last phase switch.
 */
const FEED_SERVER = String.raw`
const http = require('node:http');
let phase = 'seed'; let counts = new Map();
const item = (feed, n, matching) => '<item><title>' + (matching ? 'Russian drone strike hits SOCAR gas station ' + feed + '-' + n
  : 'Council meets on road repairs and school budget, item ' + feed + '-' + n) + '</title><link>https://news.example/' + feed + '/' + n +
  '</link><guid>' + feed + '-' + n + '</guid><pubDate>' + new Date(Date.UTC(2025, 0, 1) + n * 60000).toUTCString() +
  '</pubDate><description>' + (matching ? 'Aliyev condemned the attack on SOCAR energy infrastructure.' : 'Officials said the meeting would continue next week; residents asked about parking and lighting.') +
  '</description></item>';
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url.startsWith('/_phase/')) { phase = req.url.slice(8); counts = new Map(); return res.end('ok'); }
  if (req.url === '/_stats') return res.end(JSON.stringify({ phase, feeds: counts.size, requests: [...counts.values()].reduce((a, b) => a + b, 0), max: Math.max(0, ...counts.values()) }));
  const n = Number((/^\/f(\d+)\.xml$/.exec(req.url) || [])[1]);
  if (!Number.isInteger(n)) { res.writeHead(404); return res.end(); }
  counts.set(n, (counts.get(n) || 0) + 1);
  const k = phase === 'seed' ? 0 : Number(phase.replace('cycle', '')) || 1;
  const fresh = k > 0 && n % 5 === 0;
  const etag = '"' + n + '-' + (fresh ? k : 0) + '"';
  const answer = () => {
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }); return res.end(); }
    const last = fresh ? 20 + 3 * k : 20; const items = [];
    for (let i = last; i > last - 20; i--) items.push(item('f' + n, i, fresh && i > last - 3 && n % 50 === 0));
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag });
    res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ' + n + '</title><link>https://news.example/</link>' + items.join('') + '</channel></rss>');
  };
  if (n % 100 === 7) setTimeout(answer, 300); else answer();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\n'));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`;

export interface FeedFarm {
  readonly port: number;
  phase(name: string): Promise<void>;
  stats(): Promise<{ phase: string; feeds: number; requests: number; max: number }>;
  close(): void;
}

export async function startFeedFarm(): Promise<FeedFarm> {
  const child = spawn(process.execPath, ['-e', FEED_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString('utf8').trim())));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    phase: async (name) => void (await fetch(`${base}/_phase/${name}`, { method: 'POST' })).text(),
    stats: async () => (await (await fetch(`${base}/_stats`)).json()) as Awaited<ReturnType<FeedFarm['stats']>>,
    close: () => child.stdin.end(),
  };
}

/** A config of `feeds` loopback feeds (hourly), console destination, fast ticks; returns its path. */
export function writeFarmConfig(dir: string, port: number, feeds: number, extra = ''): string {
  const lines = Array.from({ length: feeds }, (_, n) => `  - { id: f${n}, name: Feed ${n}, url: "http://127.0.0.1:${port}/f${n}.xml", interval: 3600 }`);
  const file = path.join(dir, 'wirewatch.yaml');
  writeFileSync(
    file,
    `store: { path: ${JSON.stringify(path.join(dir, 'bench.sqlite'))} }
profiles: { dir: ${JSON.stringify(path.join(REPO_ROOT, 'config/profiles'))} }
poll: { tick: "* * * * * *", concurrency: 32, lease: 300 }
fetch: { allowPrivate: ["127.0.0.1:${port}"], perHost: 8, timeout: 20 }
delivery: { tick: "* * * * * *" }
${extra}feeds:
${lines.join('\n')}
destinations:
  - { id: ops, platform: console, channel: ops, profiles: [azerbaijan-russia], maxAlertsPerCycle: 100 }
`,
  );
  return file;
}

/** Runs `code` (an ES module body with absolute imports) in a fresh node, with tsx unless `compiled`; returns its last stdout line as JSON. */
export function runTsChild<T>(code: string, env: NodeJS.ProcessEnv = {}, compiled = false): Promise<T> {
  // Compiled: the code runs from a module file, since worker threads inherit the process's flags and
  // `--input-type` fails a worker whose entry is a file (the compiled parse worker).
  const file = compiled ? path.join(mkdtempSync(path.join(tmpdir(), 'wirewatch-bench-child-')), 'child.mjs') : null;
  if (file) writeFileSync(file, code);
  const args = file ? [file] : ['--import', 'tsx', '--input-type=module', '-e', code];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, WIREWATCH_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (file) rmSync(path.dirname(file), { recursive: true, force: true });
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`bench child exited ${code}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}

export interface CycleFigures {
  readonly seedSeconds: number;
  readonly seconds: number;
  readonly polled: number;
  readonly updated: number;
  readonly notModified: number;
  readonly failed: number;
  readonly itemsParsed: number;
  readonly itemsStored: number;
  readonly queued: number;
  readonly peakRssMb: number;
}

/**
 * The measured process runs what the Docker image runs: the compiled build (`npm run build` → dist/,
 * inside the repository so node_modules resolve). Through tsx, each process and each parse thread
 * also carries the TypeScript loader: about 65 MB more peak RSS here. WIREWATCH_BENCH_SOURCE=1 measures
 * the source through tsx instead.
 */
export function benchBuild(log: (line: string) => void): { root: string; ext: 'js' | 'ts'; compiled: boolean } {
  if (process.env.WIREWATCH_BENCH_SOURCE === '1') return { root: path.join(REPO_ROOT, 'src'), ext: 'ts', compiled: false };
  log('compiling the build (tsc -p tsconfig.build.json → dist/)…');
  // Type errors elsewhere do not stop the emit; only a failure to run tsc does.
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.error || !existsSync(path.join(REPO_ROOT, 'dist/main.js'))) throw new Error(`build failed: ${result.error?.message ?? result.stdout}`);
  return { root: path.join(REPO_ROOT, 'dist'), ext: 'js', compiled: true };
}

/** Seeds every feed, then measures one full cycle, in a child process on the given store. */
function measureCycle(configPath: string, databaseUrl: string | null, farm: FeedFarm, build: ReturnType<typeof benchBuild>): Promise<CycleFigures> {
  const main = JSON.stringify(path.join(build.root, `main.${build.ext}`));
  const pg = JSON.stringify(path.join(build.root, `storage/postgres/index.${build.ext}`));
  const sqlite = JSON.stringify(path.join(build.root, `storage/sqlite/index.${build.ext}`));
  const code = `
    import { Writable } from 'node:stream';
    const { openApp } = await import(${main});
    const app = await openApp({ stdout: new Writable({ write: (_c, _e, done) => done() }) });
    let started = performance.now();
    await app.poll();
    const seedSeconds = (performance.now() - started) / 1000;
    await fetch('http://127.0.0.1:${farm.port}/_phase/cycle', { method: 'POST' });
    const url = process.env.WIREWATCH_DATABASE_URL;
    if (url) {
      const { makeAllFeedsDue, parseDatabaseUrl } = await import(${pg});
      await makeAllFeedsDue(url, parseDatabaseUrl(url).schema, new Date());
    } else {
      const { openSqliteDatabase } = await import(${sqlite});
      const db = openSqliteDatabase(app.loaded.config.store.path);
      db.prepare('UPDATE feeds SET next_check_at = ?').run(Date.now());
      db.close();
    }
    started = performance.now();
    const s = await app.poll();
    const seconds = (performance.now() - started) / 1000;
    const sum = (key) => s.results.reduce((n, r) => n + (r.kind === 'updated' ? r[key] : 0), 0);
    await app.close();
    process.stdout.write(JSON.stringify({ seedSeconds, seconds, polled: s.polled, updated: s.updated, notModified: s.notModified,
      failed: s.failed, itemsParsed: sum('seen'), itemsStored: sum('stored'), queued: s.queued,
      peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');
    process.exit(0);`;
  return runTsChild<CycleFigures>(code, { WIREWATCH_CONFIG: configPath, ...(databaseUrl ? { WIREWATCH_DATABASE_URL: databaseUrl } : {}) }, build.compiled);
}

export const benchmark: Benchmark = async (options): Promise<BenchReport> => {
  const feeds = options.quick ? 500 : 10_000;
  const { dropSchema } = await import('../storage/postgres/index.js');
  const build = benchBuild(options.log);
  const farm = await startFeedFarm();
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = { feeds, build: build.compiled ? 'compiled' : 'tsx' };
  try {
    for (const store of ['sqlite', 'postgres'] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), `wirewatch-bench-poll-${store}-`));
      const schema = `bench_poll_${process.pid}`;
      const url = store === 'postgres' ? `${BENCH_POSTGRES_URL}?schema=${schema}` : null;
      await farm.phase('seed');
      options.log(`poll: ${feeds} feeds on ${store}…`);
      try {
        const result = await measureCycle(writeFarmConfig(dir, farm.port, feeds), url, farm, build);
        const stats = await farm.stats();
        figures[store] = { ...result, itemsPerSecond: result.itemsParsed / result.seconds, feedsPerSecond: result.polled / result.seconds, requestsInCycle: stats.requests };
        rows.push([store, 'seed', result.seedSeconds, feeds * 20, (feeds * 20) / result.seedSeconds, '', '']);
        rows.push([store, 'cycle', result.seconds, result.itemsParsed, result.itemsParsed / result.seconds, `${result.updated}/${result.notModified}/${result.failed}`, result.peakRssMb]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        if (url) await dropSchema(BENCH_POSTGRES_URL, schema);
      }
    }
  } finally {
    farm.close();
  }
  return {
    name: `poll: one full cycle of ${feeds.toLocaleString('en-US')} loopback feeds`,
    note:
      'seed = first poll of every feed (20 items each stored, nothing alerted); cycle = the next full cycle: 80 % 304, ' +
      '20 % with 3 new items, 1 % answering 300 ms late. Items/s counts items parsed in fetched feeds. Peak RSS is the ' +
      `polling process (feed server apart), running the ${build.compiled ? 'compiled build (dist/)' : 'TypeScript source through tsx'}. ` +
      'Bounded by the per-host fetch cap (8 at once to one host: every feed here is ' +
      '127.0.0.1) and by 2 cores shared with the feed server and the database. Targets: ≤ 60 s, ≤ 300 MB.',
    columns: ['store', 'pass', 'wall s', 'items', 'items/s', 'upd/304/fail', 'peak RSS MB'],
    rows,
    figures,
  };
};
