/** Where in an item a term matched. */
export type MatchField = 'title' | 'summary';

/** One line of "why": what matched, where, and how much it added (negative when it took away). */
export interface Reason {
  readonly kind: 'entity' | 'keyword' | 'negative' | 'cooccurrence' | 'context' | 'watch-term';
  /** Entity id or term, stable across renames of the label. */
  readonly id: string;
  readonly label: string;
  readonly field: MatchField;
  /** The text as it appeared in the item. */
  readonly matched: string;
  readonly contribution: number;
}

/** The relevance of one item for one profile. */
export interface ScoreResult {
  readonly profile: string;
  readonly score: number;
  readonly threshold: number;
  readonly alert: boolean;
  readonly reasons: readonly Reason[];
  /** Entity ids that matched (after context rules): the timeline indexes items by these. */
  readonly entities: readonly string[];
}

/** The text the scorer reads. */
export interface ScorableText {
  readonly title: string;
  readonly summary: string;
}
