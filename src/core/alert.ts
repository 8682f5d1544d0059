import type { Reason } from './score.js';

/**
 * A platform-neutral alert card. Renderers turn it into Block Kit, an embed or terminal text;
 * nothing here is pre-escaped or pre-formatted for any platform.
 */
export interface AlertCard {
  readonly title: string;
  /** Only http(s) links; anything else is dropped before it gets here. */
  readonly link: string | null;
  readonly source: string;
  readonly published: string | null;
  readonly snippet: string;
  readonly score: number;
  readonly profile: string;
  readonly reasons: readonly Reason[];
}

/** An alert bound for one destination, as the outbox relay hands it to a notifier. */
export interface AlertMessage {
  readonly outboxId: number;
  /** Stable idempotency key derived from the outbox row (Discord nonce, Slack metadata). */
  readonly deliveryKey: string;
  readonly destination: Destination;
  readonly card: AlertCard;
}

export type Platform = 'console' | 'slack' | 'discord';

/** A chat channel that follows profiles. */
export interface Destination {
  readonly id: string;
  readonly platform: Platform;
  /** Platform channel id; for the console, a label. */
  readonly channel: string;
  readonly profiles: readonly string[];
  /** Overrides the profile threshold for this destination, when set. */
  readonly threshold: number | null;
  /** At most this many alerts per poll cycle; the rest are summarised. */
  readonly maxAlertsPerCycle: number;
}
