/**
 * The ports the pipeline and the commands need, in domain words. The consumer owns them
 * (MonitoRSS user-feeds-next ADR-008): storage/ and platforms/ implement them, main.ts wires them.
 * Every method is async so that SQLite and Postgres implement the same contract.
 */
import type { AlertMessage, Destination } from '../core/alert.js';
import type { Feed, FeedCheck, FeedSpec } from '../core/feed.js';
import type { FeedItem, StoredItem } from '../core/item.js';
import type { Reply } from '../core/reply.js';
import type { ScoreResult } from '../core/score.js';
import type { StoryFollowUp } from './story-ports.js';

/** Story ports (StoryStore, StoryFollowUp, …) live beside this file; re-exported so ports.js names them all. */
export type * from './story-ports.js';

export interface FeedStore {
  /** Insert feeds the configuration names and update their url/name/interval; keeps poll state. */
  syncFromConfig(feeds: readonly FeedSpec[], now: Date): Promise<void>;
  /**
   * Claim up to `limit` enabled feeds whose next_check_at ≤ now, leasing them to `owner` until
   * `leaseUntil` so that no other worker polls them meanwhile.
   */
  claimDue(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<Feed[]>;
  /** Write back what one poll learned and release the lease. */
  recordCheck(feedId: string, check: FeedCheck): Promise<void>;
  list(): Promise<Feed[]>;
  get(feedId: string): Promise<Feed | null>;
}

/** A scored new item and the alerts it should produce, committed together. */
export interface IngestEntry {
  readonly item: FeedItem;
  readonly scores: readonly ScoreResult[];
  /** Destination ids this item alerts, with the score result that made it alert. */
  readonly alerts: readonly { destinationId: string; profile: string; score: number }[];
  /** The item's folded words as the scorer read them, for story matching (absent: read again from the text). */
  readonly words?: ReportWords;
}

/** Folded words of a report's title and of its summary's first characters (stories/features.ts SUMMARY_CHARS). */
export interface ReportWords {
  readonly title: readonly string[];
  readonly summary: readonly string[];
}

export interface IngestStore {
  /** Of these item keys, the ones this feed has not stored yet. */
  unseenKeys(feedId: string, keys: readonly string[]): Promise<Set<string>>;
  /**
   * In one transaction: store new items with their scores and entity matches, write one outbox row
   * per (destination, item) (unique: re-runs never duplicate), and write the feed's check.
   * Returns the number of outbox rows actually created.
   */
  commit(
    feedId: string,
    entries: readonly IngestEntry[],
    check: FeedCheck,
    now: Date,
  ): Promise<{ stored: number; queued: number }>;
}

export interface OutboxEntry {
  readonly id: number;
  readonly destinationId: string;
  readonly item: StoredItem;
  readonly feedName: string;
  readonly profile: string;
  readonly score: number;
  readonly scores: readonly ScoreResult[];
  readonly attempts: number;
  readonly createdAt: string;
}

/** A destination that refused every message (channel gone, bot removed, token revoked) until a person fixes it. */
export interface PausedDestination {
  readonly destinationId: string;
  readonly reason: string;
  readonly pausedAt: string;
}

/**
 * Paused destinations, kept in the store: they survive a restart and every worker sees them. Their
 * alerts wait in the outbox (not claimed, not dead) until the destination is resumed.
 */
export interface DestinationPauses {
  /** True when this call paused it (it was not paused before), so the pause is reported once. */
  pauseDestination(destinationId: string, reason: string, at: Date): Promise<boolean>;
  /** True when it was paused. */
  resumeDestination(destinationId: string): Promise<boolean>;
  /** Oldest pause first. */
  pausedDestinations(): Promise<PausedDestination[]>;
}

export interface OutboxStore extends DestinationPauses {
  /** Lease up to `limit` pending rows whose retry time has come, oldest first; rows of paused destinations wait. */
  claimPending(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<OutboxEntry[]>;
  markSent(id: number, sentAt: Date, receipt: string | null): Promise<void>;
  /** Transient failure: try again at `retryAt`. */
  markRetry(id: number, error: string, retryAt: Date): Promise<void>;
  /** Not sent this time, through no failure (a flood cap): due again at `retryAt`, no attempt counted. */
  defer(id: number, retryAt: Date): Promise<void>;
  /** Permanent failure or staleness: never sent. */
  markDead(id: number, reason: string, at: Date): Promise<void>;
  /** Rows not yet sent or dead. */
  pendingCount(): Promise<number>;
  /** When the oldest row not yet sent or dead was queued (null when none waits): the outbox age an operator watches. */
  oldestPendingAt(): Promise<Date | null>;
  /**
   * Optional (notifiers without platform idempotency need it): record that attempt `attemptId` is
   * about to send row `id`. `inDoubt` is true when an earlier attempt began and no outcome was ever
   * recorded for it (a crash or a dropped connection mid-send): the message may already be posted.
   */
  beginAttempt?(id: number, attemptId: string, at: Date): Promise<{ inDoubt: boolean }>;
  /** Optional: attempt `attemptId` certainly posted nothing (the platform refused it); the row is no longer in doubt. */
  settleAttempt?(id: number, attemptId: string): Promise<void>;
  /** Optional: a reader's 👍 (+1) / 👎 (-1) on a delivered alert; one vote per (alert, user), the last one counts. */
  recordFeedback?(feedback: AlertFeedback): Promise<void>;
}

export interface AlertFeedback {
  readonly outboxId: number;
  readonly platform: Destination['platform'];
  readonly userId: string;
  readonly vote: 1 | -1;
  readonly at: Date;
}

export interface TimelineQuery {
  /** Entity ids to match (any), already resolved from aliases. */
  readonly entityIds: readonly string[];
  /** Free words that must all appear in the title or summary (folded, case-insensitive). */
  readonly words: readonly string[];
  readonly profile: string | null;
  readonly since: Date;
  readonly until: Date;
  readonly limit: number;
}

export interface TimelineEntry {
  readonly item: StoredItem;
  readonly feedName: string;
  readonly score: number;
  readonly profile: string;
  readonly entities: readonly string[];
}

export interface ItemStore {
  /** Relevant stored items (score ≥ the profile's threshold) matching the query, oldest first. */
  timeline(query: TimelineQuery): Promise<TimelineEntry[]>;
  findByLink(link: string): Promise<{ item: StoredItem; scores: ScoreResult[] } | null>;
}

export interface WatchTerm {
  readonly destinationId: string;
  readonly term: string;
  readonly weight: number;
  readonly aliases: readonly string[];
  readonly negative: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface WatchTermStore {
  list(destinationId: string): Promise<WatchTerm[]>;
  add(term: WatchTerm): Promise<void>;
  remove(destinationId: string, term: string): Promise<boolean>;
}

/** Sends alerts to one platform. Returns a receipt (message id) to record. */
export interface Notifier {
  readonly platform: Destination['platform'];
  deliver(alert: AlertMessage): Promise<DeliveryResult>;
  /**
   * Optional: later reports of an already alerted story ("+3 sources: …"), posted the platform's
   * native way (a thread reply, an edit of the alert's source count; the console prints an
   * indented line). Platforms without it skip follow-ups: they are marked done, never retried.
   */
  followUp?(followUp: StoryFollowUp): Promise<DeliveryResult>;
  /** Optional: post a command-style reply unprompted (the scheduled digest). Without it, no digest is posted. */
  postReply?(destination: Destination, reply: Reply): Promise<DeliveryResult>;
}

export type DeliveryResult =
  | { readonly kind: 'sent'; readonly receipt: string | null }
  | { readonly kind: 'retry'; readonly error: string; readonly retryAfterMs: number | null }
  /** This message can never be sent (refused even as plain text). */
  | { readonly kind: 'permanent'; readonly error: string }
  /** The destination refuses everything until a person acts: nothing was posted, the destination is paused. */
  | { readonly kind: 'unreachable'; readonly error: string };

export interface Clock {
  now(): Date;
}

