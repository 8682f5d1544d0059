/**
 * The ports the pipeline and the commands need, in domain words. The consumer owns them
 * (MonitoRSS user-feeds-next ADR-008): storage/ and platforms/ implement them, main.ts wires them.
 * Every method is async so that SQLite and Postgres implement the same contract.
 */
import type { AlertMessage, Destination } from '../core/alert.js';
import type { Feed, FeedCheck, FeedSpec } from '../core/feed.js';
import type { FeedItem, StoredItem } from '../core/item.js';
import type { ScoreResult } from '../core/score.js';

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

export interface OutboxStore {
  /** Lease up to `limit` pending rows whose retry time has come, oldest first. */
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
}

export type DeliveryResult =
  | { readonly kind: 'sent'; readonly receipt: string | null }
  | { readonly kind: 'retry'; readonly error: string; readonly retryAfterMs: number | null }
  | { readonly kind: 'permanent'; readonly error: string };

export interface Clock {
  now(): Date;
}

// ── Stories: one alert per story, follow-ups, timeline and digests (docs/adr/0002-stories.md) ──

/** A report of a story that joined after the story's alert was sent to a destination. */
export interface StoryFollowUp {
  readonly destination: Destination;
  readonly storyId: number;
  /** The receipt the story's alert got (thread ts, message id), to reply in its thread; null if none. */
  readonly alertReceipt: string | null;
  /** Stable idempotency key: `ww-story-<storyId>-<lastMemberId>`. */
  readonly deliveryKey: string;
  readonly headline: string;
  /** Outlets and reports in the story now, after these additions. */
  readonly sources: number;
  readonly items: number;
  /** The new reports, oldest first (at most 10; `more` counts the rest). */
  readonly added: readonly { readonly title: string; readonly source: string; readonly link: string | null; readonly published: string }[];
  readonly more: number;
}

/** A story as stored: what the timeline, the digest and the matcher read. Times are ISO-8601. */
export interface StorySnapshot {
  readonly id: number;
  readonly firstAt: string;
  readonly lastAt: string;
  /** Title of the best-scoring report; `link` is that report's link. */
  readonly headline: string;
  readonly link: string | null;
  readonly bestScore: number;
  readonly itemCount: number;
  /** Distinct feeds (outlets) with a report in the story. */
  readonly sourceCount: number;
  readonly entities: readonly string[];
  /** Distinctive terms (folded, transliterated stems) that joins compare. */
  readonly terms: readonly string[];
  readonly profiles: readonly string[];
  /** The first report had no usable date: `firstAt` is when it was fetched. */
  readonly undated: boolean;
}

/** One report as it joins a story; `signature` and `bands` come from src/stories (opaque here). */
export interface StoryMemberInput {
  readonly feedId: string;
  readonly feedName: string;
  readonly itemKey: string;
  readonly title: string;
  readonly link: string | null;
  /** Plain text, at most ~1 KB: the digest's extractive summary reads it. */
  readonly snippet: string;
  readonly publishedAt: string;
  /** False when the feed gave no usable date and `publishedAt` is the fetch time. */
  readonly dated: boolean;
  readonly score: number;
  readonly profiles: readonly string[];
  readonly entities: readonly string[];
  readonly terms: readonly string[];
  /** Exact-identity keys (canonical URL, global GUID): the same key is the same article. */
  readonly exactKeys: readonly string[];
  /** LSH band keys, integers below 2^53. */
  readonly bands: readonly number[];
  readonly signature: string;
}

export interface StoryMember {
  readonly id: number;
  readonly storyId: number;
  readonly feedId: string;
  readonly feedName: string;
  readonly title: string;
  readonly link: string | null;
  readonly snippet: string;
  readonly publishedAt: string;
  readonly dated: boolean;
  readonly score: number;
  readonly relation: StoryRelation;
}

export type StoryRelation = 'first' | 'join' | 'duplicate';

/** Where to look for the story of a new report. */
export interface StoryProbe {
  readonly exactKeys: readonly string[];
  readonly bands: readonly number[];
  readonly entities: readonly string[];
  /** The report's time; entity matches are stories active within `windowSeconds` of it. */
  readonly at: Date;
  readonly windowSeconds: number;
  /** At most this many stories per kind of match (default 20). */
  readonly limit?: number;
}

export interface StoryCandidate {
  readonly story: StorySnapshot;
  /** Shares an exact-identity key with the probe. */
  readonly exact: boolean;
  /** Signatures of the story's reports that share an LSH band with the probe. */
  readonly nearSignatures: readonly string[];
}

/** What a destination that wants this report asks for; `update` says what materially changed. */
export interface StoryIntent {
  readonly destinationId: string;
  readonly update: string | null;
}

export type StoryOutcome = 'alert' | 'update' | 'follow-up' | 'none';

export interface StoryAssignment {
  readonly storyId: number;
  readonly memberId: number;
  readonly relation: StoryRelation;
  readonly outcomes: readonly { readonly destinationId: string; readonly outcome: StoryOutcome; readonly change: string | null }[];
  /** This report was assigned before (a re-run after a crash): the recorded outcome is returned. */
  readonly replayed: boolean;
}

/** How the alert being delivered relates to its story. */
export interface StoryAlertContext {
  readonly storyId: number;
  readonly outcome: 'alert' | 'update';
  readonly change: string | null;
  readonly sourceCount: number;
  readonly itemCount: number;
}

export interface PendingFollowUp {
  readonly destinationId: string;
  readonly storyId: number;
  readonly alertReceipt: string | null;
  readonly story: StorySnapshot;
  /** Oldest first; the last member id is what `followUpsSent` acknowledges up to. */
  readonly members: readonly StoryMember[];
}

export interface StoryTimelineQuery {
  /** Stories with any of these entities, any of these profiles, or all these words; none = every story. */
  readonly entityIds: readonly string[];
  readonly profiles: readonly string[];
  readonly words: readonly string[];
  readonly since: Date;
  readonly until: Date;
  readonly offset: number;
  readonly limit: number;
}

export interface StoryStore {
  /** Stories a new report may belong to: same exact key, a shared LSH band, or a shared entity in the window. */
  candidates(probe: StoryProbe): Promise<StoryCandidate[]>;
  /**
   * In one transaction: start a story or add the report to `target`, update its headline, counts,
   * entities and terms, and claim per destination the story's one alert (unique per destination and
   * story), its one material update, or queue a follow-up. Idempotent per (feedId, itemKey).
   * A story holding `maxItems` reports takes no more joins (`target` join becomes a new story).
   */
  assign(
    member: StoryMemberInput,
    target: { readonly kind: 'new' } | { readonly kind: 'join' | 'duplicate'; readonly storyId: number },
    intents: readonly StoryIntent[],
    now: Date,
  ): Promise<StoryAssignment>;
  /** The story context of an alert claimed for this destination and report, if any. */
  alertFor(destinationId: string, feedId: string, itemKey: string): Promise<StoryAlertContext | null>;
  /** The alert was delivered: follow-ups may now reply to `receipt`. */
  alertSent(destinationId: string, feedId: string, itemKey: string, receipt: string | null, at: Date): Promise<void>;
  /** Queued follow-ups whose story alert was sent, one entry per (destination, story). */
  pendingFollowUps(limit: number): Promise<PendingFollowUp[]>;
  followUpsSent(destinationId: string, storyId: number, upToMemberId: number, at: Date): Promise<void>;
  /** Stories matching the query by first report time, oldest first, and how many match in all. */
  timeline(query: StoryTimelineQuery): Promise<{ stories: StorySnapshot[]; total: number }>;
  /** Stories of these profiles updated within [since, until], best first by score × sources. */
  active(profiles: readonly string[], since: Date, until: Date, limit: number): Promise<StorySnapshot[]>;
  /** Reports of these stories, best score first, at most `perStory` each. */
  members(storyIds: readonly number[], perStory: number): Promise<StoryMember[]>;
  /** When this destination last got a digest, or null. */
  lastDigestAt(destinationId: string): Promise<string | null>;
  recordDigest(destinationId: string, at: Date): Promise<void>;
}
