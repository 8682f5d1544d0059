/**
 * Per-channel delivery state every chat notifier keeps (reliability.md §3 E): a pace between
 * messages, a hold after a 429 that covers that channel only, and a pause after a permanent error
 * (not in channel, archived, missing access) until a person fixes it. Time is a parameter.
 */
export class DeliveryGate {
  private readonly nextSlot = new Map<string, number>();
  private readonly heldUntil = new Map<string, number>();
  private readonly pausedFor = new Map<string, string>();

  constructor(private readonly spacingMs: number) {}

  /** Why this channel is paused, or null. */
  pausedReason(channel: string): string | null {
    return this.pausedFor.get(channel) ?? null;
  }

  /** Returns true the first time a channel is paused (so it is reported once). */
  pause(channel: string, reason: string): boolean {
    const first = !this.pausedFor.has(channel);
    this.pausedFor.set(channel, reason);
    return first;
  }

  resume(channel: string): void {
    this.pausedFor.delete(channel);
  }

  paused(): ReadonlyMap<string, string> {
    return this.pausedFor;
  }

  /** A 429 said "wait": only this channel waits. */
  hold(channel: string, untilMs: number): void {
    this.heldUntil.set(channel, Math.max(untilMs, this.heldUntil.get(channel) ?? 0));
  }

  /** Milliseconds this channel is still held by a 429, 0 when free. */
  heldFor(channel: string, nowMs: number): number {
    const until = this.heldUntil.get(channel) ?? 0;
    if (until <= nowMs) {
      this.heldUntil.delete(channel);
      return 0;
    }
    return until - nowMs;
  }

  /** Takes the channel's next send slot: how long to wait before sending (0 when it may go now). */
  reserve(channel: string, nowMs: number): number {
    const slot = Math.max(nowMs, this.nextSlot.get(channel) ?? 0);
    this.nextSlot.set(channel, slot + this.spacingMs);
    return slot - nowMs;
  }
}
