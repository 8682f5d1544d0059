/**
 * Rules for commands that arrive over chat, shared by every platform skin: a replayed request
 * (Slack retries, Socket Mode reconnects, a Discord interaction seen twice) has one effect, and a
 * slow command is answered in two steps so the platform's 3-second ack deadline is always met.
 */

/** Remembers request ids for `ttlMs` (≥ 1 h: covers Slack's retries at 0/1/5 min and replays), at most `max` of them. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 3_600_000,
    private readonly max = 10_000,
  ) {}

  /** True the first time `id` is offered within the window; false for a replay. */
  firstTime(id: string, now: number = Date.now()): boolean {
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    this.seen.set(id, now + this.ttlMs);
    if (this.seen.size > this.max) this.sweep(now);
    return true;
  }

  private sweep(now: number): void {
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
    // Still full of live ids: forget the oldest (Map keeps insertion order).
    for (const id of this.seen.keys()) {
      if (this.seen.size <= this.max) break;
      this.seen.delete(id);
    }
  }
}

export type Settled<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly later: Promise<T> };

/** Waits for `work` at most `ms`: its value if it finished in time, else the still-running promise. */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  // 0 means "always answer in two steps" (and lets tests see the deferred path).
  if (ms <= 0) return { done: false, later: work };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), timeout]);
    return first === 'late' ? { done: false, later: work } : { done: true, value: first.value };
  } finally {
    clearTimeout(timer);
  }
}

/** Configuration commands: the ones that change what a channel watches or polls, or where alerts go. */
export function isConfigurationCommand(input: string): boolean {
  const words = input.trim().replace(/^\//, '').toLowerCase().split(/\s+/);
  const [name, sub] = words;
  return ((name === 'watch' || name === 'feeds') && (sub === 'add' || sub === 'remove')) || (name === 'wirewatch' && sub === 'resume');
}
