import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../support/app-config.js';

/** Chat credentials made up at run time, so nothing token-shaped sits in the repository. */
export function fakeChatSecrets(): { slackToken: string; signingSecret: string; discordToken: string } {
  const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
  return {
    slackToken: ['xoxb', String(100_000 + randomBytes(2).readUInt16BE()), hex(6), hex(12)].join('-'),
    signingSecret: hex(16),
    discordToken: [Buffer.from(String(10n ** 17n + BigInt(randomBytes(4).readUInt32BE()))).toString('base64'), hex(3), hex(14)].join('.'),
  };
}

export interface BotRun {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the process wrote, stdout and stderr together (logs are JSON lines on stderr). */
  output(): string;
  /** Resolves once the process is gone, with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, and wait until the process is really gone (its sockets closed by the kernel). */
  kill(): Promise<void>;
}

/** The real `wirewatch` bin (as `npx wirewatch` runs it) with only the given wirewatch/chat env. */
export function startBot(args: readonly string[], env: NodeJS.ProcessEnv): BotRun {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(WIREWATCH_|SLACK_|DISCORD_)/.test(name)));
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'src/bin/wirewatch.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * A write transaction held on the bot's SQLite file from outside: while it is held the bot can read
 * but cannot commit anything (its writes wait out busy_timeout, 5 s), e.g. cannot mark an alert sent.
 */
export function holdWriteLock(file: string): { release(): void } {
  const db = new Database(file, { timeout: 5000 });
  db.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/**
 * Whether the bot's main thread sleeps in SQLite's busy wait, i.e. it has read an answer and is
 * blocked writing its outcome behind `holdWriteLock`. better-sqlite3 is synchronous, so that sleep
 * (nanosleep) stops the event loop, whose idle wait is epoll instead. Linux tells through
 * /proc/PID/wchan; elsewhere (or without permission) the answer is null: not observable.
 */
export async function blockedOnWrite(pid: number, timeoutMs: number): Promise<boolean | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let wchan: string;
    try {
      wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
    } catch {
      return null;
    }
    if (wchan.includes('nanosleep')) return true;
    if (Date.now() > deadline) return wchan === '0' || wchan === '' ? null : false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The outbox as the test reads it (read-only, beside the bot's connection). */
export interface OutboxRow {
  readonly id: number;
  readonly destination: string;
  readonly status: string;
  readonly receipt: string | null;
  readonly leaseUntil: number | null;
  /** An attempt began and no outcome was recorded (ADR 0003). */
  readonly inDoubt: boolean;
  readonly link: string | null;
}

export function readOutbox(file: string): OutboxRow[] {
  const db = new Database(file, { readonly: true, timeout: 5000 });
  try {
    return db
      .prepare<[], Omit<OutboxRow, 'inDoubt'> & { inDoubt: number }>(
        `SELECT o.id, o.destination_id AS destination, o.status, o.receipt, o.lease_until AS leaseUntil,
                o.attempt_id IS NOT NULL AS inDoubt, i.link
         FROM outbox o JOIN items i ON i.id = o.item_id ORDER BY o.id`,
      )
      .all()
      .map((row) => ({ ...row, inDoubt: row.inDoubt === 1 }));
  } finally {
    db.close();
  }
}

/** Until every delivery lease in the file has run out (a restarted bot may claim the rows then). */
export async function leasesExpired(file: string): Promise<void> {
  const until = Math.max(0, ...readOutbox(file).map((row) => (row.status === 'pending' ? (row.leaseUntil ?? 0) : 0)));
  while (Date.now() <= until) await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now() + 1)));
}
