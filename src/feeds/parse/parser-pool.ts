/**
 * A small pool of reusable parse workers with a wall-clock deadline per document (DESIGN.md:
 * "parse in a worker with a deadline"). A worker that overruns is terminated — the only way to
 * stop a synchronous regex — and replaced on demand; parsing thousands of documents reuses the same
 * one or two threads. Idle workers are unref'd so they never keep a process alive.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DocumentOptions, ParseResult } from './parse-document.js';
import type { ParseRequest } from './parse-worker.js';

interface Job {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly options: DocumentOptions;
  readonly deadlineMs: number;
  readonly resolve: (result: ParseResult) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

type WorkerMessage = { type: 'ready' } | { type: 'result'; id: number; result: ParseResult };

/** Consecutive workers that died before becoming ready; beyond this, queued jobs fail instead of looping. */
const MAX_STARTUP_FAILURES = 3;

export class ParserPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private startupFailures = 0;

  constructor(private readonly size: number) {}

  parse(bytes: Uint8Array, options: DocumentOptions, deadlineMs: number): Promise<ParseResult> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, bytes, options, deadlineMs, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const slots = [...this.slots];
    this.slots.clear();
    for (const job of this.queue.splice(0)) job.resolve(crash('parser pool closed'));
    await Promise.all(
      slots.map((slot) => {
        this.finish(slot, crash('parser pool closed'));
        return slot.worker.terminate();
      }),
    );
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && slot.job === null) this.start(slot, this.queue.shift() as Job);
    }
    const starting = [...this.slots].filter((slot) => !slot.ready).length;
    if (this.queue.length > starting && this.slots.size < this.size) {
      this.spawn();
      this.pump();
    }
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    // The deadline starts when a ready worker takes the job: queueing time is not the document's fault.
    slot.timer = setTimeout(() => {
      this.retire(slot, { ok: false, code: 'parse_timeout', message: `parsing took longer than ${job.deadlineMs} ms; stopped` });
    }, job.deadlineMs);
    // A copy is transferred, so the caller's buffer stays usable.
    const copy = job.bytes.slice();
    const request: ParseRequest = { id: job.id, bytes: copy, options: job.options };
    slot.worker.postMessage(request, [copy.buffer]);
  }

  private spawn(): void {
    const { entry, evalCode } = workerEntry();
    // Old-generation cap: a memory bomb kills this worker (parse_crash), not the process.
    const worker = new Worker(entry, { eval: evalCode, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    this.slots.add(slot);
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error: Error) => this.onDeath(slot, `parse worker failed: ${error.message}`));
    worker.on('exit', (code) => this.onDeath(slot, `parse worker exited with code ${code}`));
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.startupFailures = 0;
      slot.worker.unref();
    } else if (slot.job !== null && message.id === slot.job.id) {
      this.finish(slot, message.result);
      slot.worker.unref();
    }
    this.pump();
  }

  private onDeath(slot: Slot, reason: string): void {
    if (!this.slots.delete(slot)) return;
    this.finish(slot, crash(reason));
    if (!slot.ready && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      for (const job of this.queue.splice(0)) job.resolve(crash(reason));
      this.startupFailures = 0;
    }
    this.pump();
  }

  /** Resolves the slot's job, kills the worker, and lets pump() start a replacement if needed. */
  private retire(slot: Slot, result: ParseResult): void {
    this.slots.delete(slot);
    this.finish(slot, result);
    void slot.worker.terminate();
    this.pump();
  }

  private finish(slot: Slot, result: ParseResult): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.job;
    slot.job = null;
    job?.resolve(result);
  }
}

function crash(message: string): ParseResult {
  return { ok: false, code: 'parse_crash', message };
}

/**
 * The project runs TypeScript through tsx with no build step (and vitest in tests), but a worker
 * thread starts with plain Node, and Node 20 ignores `--import` in a worker's execArgv. So when
 * this module is the .ts source, the worker is a two-line bootstrap that registers tsx's loader and
 * then imports the .ts entry. From a compiled build, the .js sibling runs as is.
 */
function workerEntry(): { entry: string | URL; evalCode: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { entry: new URL('./parse-worker.js', here), evalCode: false };
  const tsxRoot = path.dirname(createRequire(here).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./parse-worker.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return { entry: bootstrap, evalCode: true };
}
