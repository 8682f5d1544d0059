/**
 * The story ports: one alert per story, follow-ups, timeline and digests (docs/adr/0002-stories.md).
 * Re-exported by ports.ts. Every method is async so that SQLite and Postgres implement the same contract.
 */
import type { Destination } from '../core/alert.js';


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
  /** At most this many stories per kind of match (default 10). */
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
  /**
   * Stop counting past this many matching stories (the total is then this number, `atLeast` set):
   * a common word matches tens of thousands, and counting them all costs more than the page.
   * None = count every match.
   */
  readonly countUpTo?: number;
}

/** A page of the timeline and how many stories match in all. */
export interface StoryTimelinePage {
  readonly stories: StorySnapshot[];
  readonly total: number;
  /** More than `total` stories match: counting stopped at the query's `countUpTo`. */
  readonly atLeast: boolean;
}

/** A report to place, with where to look for its story. */
export interface StoryReport {
  readonly member: StoryMemberInput;
  readonly probe: StoryProbe;
}

/** Where a report goes and what each destination that wants it asks for. */
export interface StoryChoice {
  readonly target: { readonly kind: 'new' } | { readonly kind: 'join' | 'duplicate'; readonly storyId: number };
  readonly intents: readonly StoryIntent[];
}

export interface StoryStore {
  /**
   * A poll's reports in ONE transaction, in order: for each, the candidates are read (seeing the
   * reports placed before it), `decide` (pure, synchronous) picks the story, and it is assigned as
   * `assign` does. Reports already assigned return their recorded decision without calling `decide`.
   */
  assignMany(
    reports: readonly StoryReport[],
    decide: (report: StoryReport, candidates: readonly StoryCandidate[]) => StoryChoice,
    now: Date,
  ): Promise<StoryAssignment[]>;
  /**
   * Stories a new report may belong to: same exact key or a shared LSH band (any time), or a shared
   * entity in a story that started within the window of the report, or up to 3 days before it (the
   * matcher then checks the story's last report against the window). A store may return only the
   * exact matches when there are any: the matcher decides those alone.
   */
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
  /** Queued follow-ups whose story alert was sent, one entry per (destination, story); none of a paused destination (they wait). */
  pendingFollowUps(limit: number): Promise<PendingFollowUp[]>;
  followUpsSent(destinationId: string, storyId: number, upToMemberId: number, at: Date): Promise<void>;
  /** Stories matching the query by first report time, oldest first, and how many match in all. */
  timeline(query: StoryTimelineQuery): Promise<StoryTimelinePage>;
  /** Stories of these profiles updated within [since, until], best first by score × sources. */
  active(profiles: readonly string[], since: Date, until: Date, limit: number): Promise<StorySnapshot[]>;
  /** Reports of these stories, best score first, at most `perStory` each. */
  members(storyIds: readonly number[], perStory: number): Promise<StoryMember[]>;
  /** When this destination last got a digest, or null. */
  lastDigestAt(destinationId: string): Promise<string | null>;
  recordDigest(destinationId: string, at: Date): Promise<void>;
}
