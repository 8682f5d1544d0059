/**
 * Per-channel delivery state every chat notifier keeps (reliability.md §3 E): a pace between
 * messages and a hold after a 429 that covers that channel only. Time is a parameter. A pause
 * after a permanent error is not kept here but in the store (DestinationPauses), so that it
 * survives a restart, every worker sees it and a resume reaches the relay wherever it runs.
 */
export class DeliveryGate {
  private readonly nextSlot = new Map<string, number>();
  private readonly heldUntil = new Map<string, number>();

  constructor(private readonly spacingMs: number) {}

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
