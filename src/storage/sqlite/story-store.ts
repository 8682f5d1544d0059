import type {
  StoryAssignment,
  StoryCandidate,
  StoryChoice,
  StoryIntent,
  StoryMemberInput,
  StoryProbe,
  StoryRelation,
  StoryReport,
  StoryStore,
} from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { cachedFrom, createStoryCache, type CachedStory } from './story-cache.js';
import { keyNumber } from './story-key-filter.js';
import { createCandidateReads } from './story-candidates.js';
import { createOutcomeWriter } from './story-outcomes.js';
import { createStoryReads } from './story-reads.js';
import { foldStoryText, unionCapped, type StoryRow } from './story-rows.js';
import { msOf } from './time.js';

export interface SqliteStoryOptions {
  /** A story with this many reports takes no more joins (default 200). */
  readonly maxItems?: number;
  /** Recent band rows moved into the band index at once (default story-recent-bands.ts MERGE_AT; tests use a few). */
  readonly bandMergeAt?: number;
  /** Stories the in-process cache holds (default 20,000; tests use a few). */
  readonly cacheCapacity?: number;
}

const MAX_ENTITIES = 24;
const MAX_TERMS = 40;
const MAX_FOLDED = 4_000;
/** Band rows are kept for the first reports of a story only: enough to catch its re-publications. */
const MAX_BANDED_MEMBERS = 20;

type Outcomes = StoryAssignment['outcomes'][number][];
type Target = StoryChoice['target'];

/**
 * Stories on SQLite. Writes run in IMMEDIATE transactions (one per poll with `assignMany`), so two
 * pollers never both claim a story's alert for one destination: the (destination, story, kind)
 * primary key decides. Statements per report are few on purpose: this is the ingest hot path.
 */
export function createSqliteStoryStore(db: SqliteDatabase, options: SqliteStoryOptions = {}): StoryStore {
  const maxItems = options.maxItems ?? 200;
  const cache = createStoryCache(db, { bandMergeAt: options.bandMergeAt, capacity: options.cacheCapacity });
  const outcomesFor = createOutcomeWriter(db, cache);
  // Stories grown in this transaction are read from `changed` first: their rows are written only at its end.
  const { storiesFor, candidates: candidatesSync } = createCandidateReads(db, cache, (id) => changed.get(id)?.story);
  const lastMemberId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM story_members').pluck();
  const memberByKey = db.prepare<[string, string], { id: number; story_id: number; relation: StoryRelation; outcomes: string }>(
    'SELECT id, story_id, relation, outcomes FROM story_members WHERE feed_id = ? AND item_key = ?',
  );
  const insertStory = db.prepare(`
    INSERT INTO stories (first_at, last_at, headline, link, best_score, item_count, source_count, entities, terms, profiles, undated, folded, feeds, created_at)
    VALUES (@at, @at, @title, @link, @score, 1, 1, @entities, @terms, @profiles, @undated, @folded, @feeds, @now)`);
  const updateStory = db.prepare(`
    UPDATE stories SET first_at = @firstAt, last_at = @lastAt, headline = @headline, link = @link, best_score = @bestScore,
      item_count = @itemCount, source_count = @sourceCount, entities = @entities, terms = @terms, profiles = @profiles,
      undated = @undated, feeds = @feeds,
      folded = CASE WHEN @append IS NULL OR length(folded) > ${MAX_FOLDED} THEN folded ELSE folded || char(10) || @append END
    WHERE id = @id`);
  // The member's id is chosen (under the write lock) before it is written, so its outcomes go in the same statement.
  // Positional, not named: binding from a spread object cost ~2 µs more per report.
  const insertMember = db.prepare<[number, number, string, string, string, string, string | null, string, number, number, number, StoryRelation, string, string, number]>(`
    INSERT INTO story_members (id, story_id, feed_id, feed_name, item_key, title, link, snippet, published_at, dated, score, relation, signature, outcomes, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertText = db.prepare<[number, string]>('INSERT INTO story_text (rowid, text) VALUES (?, ?)');
  // One statement per key: a report has one or two, and json_each costs more than a second call.
  const insertKey = db.prepare<[string, number]>('INSERT OR IGNORE INTO story_keys (key, story_id) VALUES (?, ?)');
  // Band rows go to the recent table (member order) and move into story_bands in bulk: story-recent-bands.ts.
  const insertBands = (memberId: number, storyId: number, bands: readonly number[]): void => {
    cache.recentBands.add(memberId, storyId, bands);
    for (const band of bands) cache.bands.add(band);
  };
  const retag = db.prepare<[number, number, number]>('UPDATE story_tags SET first_at = ?, last_at = ? WHERE story_id = ?');
  const insertTag = db.prepare<[number, string, number, number]>('INSERT OR IGNORE INTO story_tags (story_id, tag, first_at, last_at) VALUES (?, ?, ?, ?)');
  const insertTags = (storyId: number, firstAt: number, tags: readonly string[]): void => {
    for (const tag of tags) {
      insertTag.run(storyId, tag, firstAt, firstAt);
      cache.tags.add(tag, storyId, firstAt);
    }
  };

  /** The next member id; read once per transaction (under its write lock), then counted here. */
  let nextMemberId = 0;
  /** Stories grown in this transaction, written by `writeChanged` before it commits (the cache already holds them). */
  const changed = new Map<number, { row: StoryRow; feeds: string; appends: string[]; story: CachedStory }>();

  const writeChanged = (): void => {
    for (const { row, feeds, appends } of changed.values()) {
      updateStory.run({
        id: row.id,
        firstAt: row.first_at,
        lastAt: row.last_at,
        headline: row.headline,
        link: row.link,
        bestScore: row.best_score,
        itemCount: row.item_count,
        sourceCount: row.source_count,
        entities: row.entities,
        terms: row.terms,
        profiles: row.profiles,
        undated: row.undated,
        append: appends.length === 0 ? null : appends.join(String.fromCharCode(10)),
        feeds,
      });
    }
    changed.clear();
  };

  const tagsOf = (entities: readonly string[], profiles: readonly string[]): string[] => [...entities.map((id) => `e:${id}`), ...profiles.map((id) => `p:${id}`)];

  const newStory = (member: StoryMemberInput, at: number, now: number): CachedStory => {
    const lists = { entities: member.entities.slice(0, MAX_ENTITIES), terms: member.terms.slice(0, MAX_TERMS), profiles: [...member.profiles], feeds: [member.feedId] };
    const row = {
      first_at: at,
      last_at: at,
      headline: member.title,
      link: member.link,
      best_score: member.score,
      item_count: 1,
      source_count: 1,
      entities: JSON.stringify(lists.entities),
      terms: JSON.stringify(lists.terms),
      profiles: JSON.stringify(lists.profiles),
      undated: member.dated ? 0 : 1,
      folded: '',
    };
    const id = Number(
      insertStory.run({ at, title: row.headline, link: row.link, score: row.best_score, entities: row.entities, terms: row.terms, profiles: row.profiles, undated: row.undated, folded: foldStoryText(member.title), feeds: JSON.stringify(lists.feeds), now }).lastInsertRowid,
    );
    insertTags(id, at, tagsOf(lists.entities, lists.profiles));
    return cachedFrom({ id, ...row }, lists);
  };

  /** Adds a report to a story row: counts, headline, lists, and tags that are new to the story. */
  const grow = (current: CachedStory, member: StoryMemberInput, relation: StoryRelation, at: number): { echo: boolean; story: CachedStory } => {
    const { row } = current;
    const newSource = !current.feeds.includes(member.feedId);
    const echo = relation === 'duplicate' && !newSource;
    const better = member.score > row.best_score;
    const firstAt = Math.min(row.first_at, at);
    const lists = {
      entities: unionCapped(current.entities, member.entities, MAX_ENTITIES),
      terms: unionCapped(current.terms, member.terms, MAX_TERMS),
      profiles: unionCapped(current.profiles, member.profiles, 50),
      feeds: newSource ? [...current.feeds, member.feedId] : current.feeds,
    };
    const next: StoryRow = {
      id: row.id,
      first_at: firstAt,
      last_at: echo ? row.last_at : Math.max(row.last_at, at),
      headline: better ? member.title : row.headline,
      link: better ? member.link : row.link,
      best_score: Math.max(row.best_score, member.score),
      item_count: row.item_count + (echo ? 0 : 1),
      source_count: row.source_count + (newSource ? 1 : 0),
      entities: JSON.stringify(lists.entities),
      terms: JSON.stringify(lists.terms),
      profiles: JSON.stringify(lists.profiles),
      undated: at < row.first_at ? (member.dated ? 0 : 1) : row.undated,
      folded: '',
    };
    // Written once per story at the end of the transaction: a poll's reports often join one story.
    const pending = changed.get(next.id);
    const append = echo ? null : foldStoryText(member.title);
    const story = cachedFrom(next, lists);
    changed.set(next.id, { row: next, feeds: JSON.stringify(lists.feeds), appends: append === null ? (pending?.appends ?? []) : [...(pending?.appends ?? []), append], story });
    const knownTags = tagsOf(current.entities, current.profiles);
    if (firstAt < row.first_at) {
      retag.run(firstAt, firstAt, row.id);
      cache.tags.move(row.id, knownTags, firstAt);
    }
    const known = new Set(knownTags);
    const added = tagsOf(lists.entities, lists.profiles).filter((tag) => !known.has(tag));
    insertTags(row.id, firstAt, added);
    return { echo, story };
  };

  const replay = (recorded: { id: number; story_id: number; relation: StoryRelation; outcomes: string }): StoryAssignment => ({
    storyId: recorded.story_id,
    memberId: recorded.id,
    relation: recorded.relation,
    outcomes: JSON.parse(recorded.outcomes) as Outcomes,
    replayed: true,
  });

  const place = (member: StoryMemberInput, choice: StoryChoice, now: number, known: ReadonlyMap<number, CachedStory>): StoryAssignment => {
    const { target, intents } = choice;
    const at = msOf(member.publishedAt, 'publishedAt');
    const current = target.kind === 'new' ? undefined : (known.get(target.storyId) ?? storiesFor([target.storyId]).get(target.storyId));
    const joinable = current !== undefined && (target.kind === 'duplicate' || current.row.item_count < maxItems);
    const relation: StoryRelation = current && joinable && target.kind !== 'new' ? target.kind : 'first';
    const placed = current && joinable ? grow(current, member, relation, at) : { echo: false, story: newStory(member, at, now) };
    cache.keep(placed.story);
    const storyId = placed.story.row.id;
    const memberId = ++nextMemberId;
    const outcomes = outcomesFor(storyId, memberId, relation, placed.echo, intents, now);
    const banded = !placed.echo && member.bands.length > 0 && (relation === 'first' || (current?.row.item_count ?? 0) < MAX_BANDED_MEMBERS);
    // Only a banded member's signature is ever read (a band hit), so only those store it: 684 bytes less per row.
    const { feedId, feedName, itemKey, title, link, snippet, score } = member;
    insertMember.run(memberId, storyId, feedId, feedName, itemKey, title, link, snippet, at, member.dated ? 1 : 0, score, relation, banded ? member.signature : '', JSON.stringify(outcomes), now);
    // What word search finds (docs/performance.md): the titles the story's folded text holds.
    if (!placed.echo) insertText.run(memberId, foldStoryText(member.title));
    for (const key of member.exactKeys) {
      insertKey.run(key, storyId);
      cache.keys.add(keyNumber(key));
    }
    if (banded) {
      insertBands(memberId, storyId, member.bands);
      cache.keepSignature(memberId, member.signature);
    }
    return { storyId, memberId, relation, outcomes, replayed: false };
  };

  /** Runs `work` in one IMMEDIATE transaction with the cache checked first, and dropped if anything fails. */
  const inTransaction = <T>(work: () => T): T => {
    const nested = db.inTransaction;
    try {
      return db.transaction(() => {
        cache.validate();
        nextMemberId = lastMemberId.get() ?? 0;
        changed.clear();
        const result = work();
        writeChanged();
        cache.recentBands.mergeIfFull();
        return result;
      }).immediate();
    } catch (thrown) {
      changed.clear();
      cache.reset();
      throw thrown;
    } finally {
      // A caller's outer transaction may still roll back what this one wrote.
      if (nested) cache.reset();
    }
  };

  const assignOne = (member: StoryMemberInput, target: Target, intents: readonly StoryIntent[], now: number): StoryAssignment =>
    inTransaction(() => {
      const recorded = memberByKey.get(member.feedId, member.itemKey);
      return recorded ? replay(recorded) : place(member, { target, intents }, now, new Map());
    });

  const assignMany = (reports: readonly StoryReport[], decide: (report: StoryReport, candidates: readonly StoryCandidate[]) => StoryChoice, now: number): StoryAssignment[] =>
    inTransaction(() =>
      reports.map((report) => {
        const recorded = memberByKey.get(report.member.feedId, report.member.itemKey);
        if (recorded) return replay(recorded);
        const { list, stories } = candidatesSync(report.probe);
        return place(report.member, decide(report, list), now, stories);
      }),
    );

  return {
    ...createStoryReads(db),
    async candidates(probe: StoryProbe): Promise<StoryCandidate[]> {
      return guard('find candidate stories', () => {
        // Outside a write transaction: check the cache all the same, so no stale story is returned.
        cache.validate();
        return candidatesSync(probe).list;
      });
    },
    async assign(member, target, intents, now): Promise<StoryAssignment> {
      const at = msOf(now, 'now');
      return guard('assign a report to its story', () => assignOne(member, target, intents, at));
    },
    async assignMany(reports, decide, now): Promise<StoryAssignment[]> {
      if (reports.length === 0) return [];
      const at = msOf(now, 'now');
      return guard('assign reports to their stories', () => assignMany(reports, decide, at));
    },
  };
}
