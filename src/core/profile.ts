/**
 * A watch profile as loaded from config/profiles/*.yaml (validated by src/config/profile.ts).
 * The scorer compiles these into one token trie; see src/scoring/.
 */
export type EntityKind = 'org' | 'place' | 'person' | 'event' | 'asset';

export interface Alias {
  readonly text: string;
  /** ISO 639-1 code of the alias' language/script, e.g. en, ru, az, uk. */
  readonly lang: string | null;
}

/** A term that gives an entity or keyword meaning: required (any of) or forbidden context. */
export interface ContextRule {
  /**
   * The entity counts only when one of these terms or entity ids is also in the item (entity ids
   * of the same profile; an entity is present when an alias matched, before its own context rule).
   */
  readonly requires: readonly string[];
  /** The entity never counts when one of these is in the item. */
  readonly excludes: readonly string[];
}

export interface EntityDefinition {
  readonly id: string;
  readonly label: string;
  readonly kind: EntityKind;
  readonly weight: number;
  /** Sides for co-occurrence boosts, e.g. "azerbaijan", "russia". */
  readonly side: string | null;
  readonly aliases: readonly Alias[];
  readonly context: ContextRule;
}

/** A topic word or phrase; its aliases (other languages, spellings) count as the same keyword, once. */
export interface KeywordDefinition {
  /** The keyword's name in reasons; also matched as text. */
  readonly term: string;
  readonly weight: number;
  readonly lang: string | null;
  readonly aliases: readonly Alias[];
  /** Match by stem (natural's stemmer for the term's language) as well as by inflection. */
  readonly stem: boolean;
  /** An action a side takes (e.g. "russia" for "shot down"): counts for co-occurrence like an entity. */
  readonly side: string | null;
  readonly context: ContextRule;
}

export interface NegativeDefinition {
  readonly term: string;
  readonly aliases: readonly Alias[];
  /** Subtracted from the score; `veto` drops the item entirely. */
  readonly weight: number;
  readonly veto: boolean;
}

/**
 * Extra points when two sides appear together (e.g. Azerbaijan with Russia): at least one of them
 * through an entity, the other through an entity or a keyword with that side. The full bonus needs
 * one of them in the title; both only in the summary earn half.
 */
export interface CooccurrenceRule {
  readonly sides: readonly [string, string];
  readonly bonus: number;
}

export interface Profile {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly threshold: number;
  /** Multiplier for matches in the title. */
  readonly titleBoost: number;
  readonly entities: readonly EntityDefinition[];
  readonly keywords: readonly KeywordDefinition[];
  readonly negatives: readonly NegativeDefinition[];
  readonly cooccurrence: readonly CooccurrenceRule[];
}
