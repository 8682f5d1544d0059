import type {
  StoryAssignment,
  StoryCandidate,
  StoryChoice,
  StoryIntent,
  StoryMemberInput,
  StoryOutcome,
  StoryProbe,
  StoryRelation,
  StoryReport,
  StoryStore,
} from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { createStoryReads } from './story-reads.js';
import { foldStoryText, STORY_COLUMNS, storyFromRow, strings, unionCapped, type StoryRow } from './story-rows.js';
import { msOf } from './time.js';

export interface SqliteStoryOptions {
  /** A story with this many reports takes no more joins (default 200). */
  readonly maxItems?: number;
}

const MAX_ENTITIES = 24;
const MAX_TERMS = 40;
const MAX_FOLDED = 4_000;
/** Band rows are kept for the first reports of a story only: enough to catch its re-publications. */
const MAX_BANDED_MEMBERS = 20;
/** Entity candidates are stories that started at most this long before the window (tags keep the start only). */
const MAX_SPAN_MS = 3 * 86_400_000;

type Outcomes = StoryAssignment['outcomes'][number][];
type Row = StoryRow;

/**
 * Stories on SQLite. Writes run in IMMEDIATE transactions (one per poll with `assignMany`), so two
 * pollers never both claim a story's alert for one destination: the (destination, story, kind)
 * primary key decides. Statements per report are few on purpose: this is the ingest hot path.
 */
export function createSqliteStoryStore(db: SqliteDatabase, options: SqliteStoryOptions = {}): StoryStore {
  const maxItems = options.maxItems ?? 200;
  // Candidates are read without the folded search text (up to 4 KB each): the hot path never needs it.
  const columns = `${STORY_COLUMNS.replace(', s.folded', ", '' AS folded")}`;
  const exactStories = db.prepare<[string], number>('SELECT DISTINCT story_id FROM story_keys WHERE key IN (SELECT value FROM json_each(?))').pluck();
  const bandMatches = db.prepare<[string, number], { story_id: number; signature: string }>(`
    SELECT b.story_id, m.signature FROM story_bands b JOIN story_members m ON m.id = b.member_id
    WHERE b.band IN (SELECT value FROM json_each(?)) GROUP BY b.member_id LIMIT ?`);
  // Per entity, the latest stories that started in range: an index-ordered scan that stops at `limit`.
  const entityStories = db.prepare<{ tag: string; from: number; to: number; limit: number }, number>(`
    SELECT story_id FROM story_tags WHERE tag = @tag AND first_at >= @from AND first_at <= @to
    ORDER BY first_at DESC LIMIT @limit`).pluck();
  const storiesById = db.prepare<[string], Row>(`SELECT ${columns} FROM stories s WHERE s.id IN (SELECT value FROM json_each(?))`);
  const storyById = db.prepare<[number], Row>(`SELECT ${columns} FROM stories s WHERE s.id = ?`);
  const feedsOf = db.prepare<[number], string>('SELECT feeds FROM stories WHERE id = ?').pluck();
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
  const insertMember = db.prepare(`
    INSERT INTO story_members (story_id, feed_id, feed_name, item_key, title, link, snippet, published_at, dated, score, relation, signature, outcomes, created_at)
    VALUES (@storyId, @feedId, @feedName, @itemKey, @title, @link, @snippet, @at, @dated, @score, @relation, @signature, '[]', @now)`);
  const setOutcomes = db.prepare<[string, number]>('UPDATE story_members SET outcomes = ? WHERE id = ?');
  const insertKeys = db.prepare<[number, string]>('INSERT OR IGNORE INTO story_keys (key, story_id) SELECT value, ? FROM json_each(?)');
  const insertBands = db.prepare<[number, number, string]>('INSERT OR IGNORE INTO story_bands (band, member_id, story_id) SELECT value, ?, ? FROM json_each(?)');
  const retag = db.prepare<[number, number, number]>('UPDATE story_tags SET first_at = ?, last_at = ? WHERE story_id = ?');
  const insertTags = db.prepare<[number, number, number, string]>('INSERT OR IGNORE INTO story_tags (story_id, tag, first_at, last_at) SELECT ?, value, ?, ? FROM json_each(?)');
  const claimAlert = db.prepare<[string, number, string, number, string | null, number]>(
    'INSERT OR IGNORE INTO story_alerts (destination_id, story_id, kind, member_id, change, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const hasAlert = db.prepare<[string, number], number>("SELECT 1 FROM story_alerts WHERE destination_id = ? AND story_id = ? AND kind = 'alert'").pluck();
  const queueFollowUp = db.prepare<[string, number, number]>('INSERT OR IGNORE INTO story_followups (destination_id, story_id, member_id) VALUES (?, ?, ?)');

  const tagsOf = (entities: readonly string[], profiles: readonly string[]): string[] => [...entities.map((id) => `e:${id}`), ...profiles.map((id) => `p:${id}`)];

  const outcomesFor = (storyId: number, memberId: number, relation: StoryRelation, echo: boolean, intents: readonly StoryIntent[], now: number): Outcomes =>
    intents.map((intent) => {
      const result = (outcome: StoryOutcome, change: string | null = null): Outcomes[number] => ({ destinationId: intent.destinationId, outcome, change });
      if (relation === 'duplicate') {
        // The same article again: never an alert; a copy from another outlet is news of a new source.
        if (echo || hasAlert.get(intent.destinationId, storyId) === undefined) return result('none');
        queueFollowUp.run(intent.destinationId, storyId, memberId);
        return result('follow-up');
      }
      if (claimAlert.run(intent.destinationId, storyId, 'alert', memberId, null, now).changes === 1) return result('alert');
      if (intent.update !== null && claimAlert.run(intent.destinationId, storyId, 'update', memberId, intent.update, now).changes === 1) {
        return result('update', intent.update);
      }
      queueFollowUp.run(intent.destinationId, storyId, memberId);
      return result('follow-up');
    });

  const newStory = (member: StoryMemberInput, at: number, now: number): number => {
    const storyId = Number(
      insertStory.run({
        at,
        title: member.title,
        link: member.link,
        score: member.score,
        entities: JSON.stringify(member.entities.slice(0, MAX_ENTITIES)),
        terms: JSON.stringify(member.terms.slice(0, MAX_TERMS)),
        profiles: JSON.stringify(member.profiles),
        undated: member.dated ? 0 : 1,
        folded: foldStoryText(member.title),
        feeds: JSON.stringify([member.feedId]),
        now,
      }).lastInsertRowid,
    );
    insertTags.run(storyId, at, at, JSON.stringify(tagsOf(member.entities.slice(0, MAX_ENTITIES), member.profiles)));
    return storyId;
  };

  /** Adds a report to a story row: counts, headline, lists, and tags that are new to the story. */
  const grow = (current: Row, member: StoryMemberInput, relation: StoryRelation, at: number): { echo: boolean } => {
    const feeds = strings(feedsOf.get(current.id) ?? '[]');
    const newSource = !feeds.includes(member.feedId);
    const echo = relation === 'duplicate' && !newSource;
    const better = member.score > current.best_score;
    const firstAt = Math.min(current.first_at, at);
    const entities = unionCapped(strings(current.entities), member.entities, MAX_ENTITIES);
    const profiles = unionCapped(strings(current.profiles), member.profiles, 50);
    updateStory.run({
      id: current.id,
      firstAt,
      lastAt: echo ? current.last_at : Math.max(current.last_at, at),
      headline: better ? member.title : current.headline,
      link: better ? member.link : current.link,
      bestScore: Math.max(current.best_score, member.score),
      itemCount: current.item_count + (echo ? 0 : 1),
      sourceCount: current.source_count + (newSource ? 1 : 0),
      entities: JSON.stringify(entities),
      terms: JSON.stringify(unionCapped(strings(current.terms), member.terms, MAX_TERMS)),
      profiles: JSON.stringify(profiles),
      undated: at < current.first_at ? (member.dated ? 0 : 1) : current.undated,
      append: echo ? null : foldStoryText(member.title),
      feeds: JSON.stringify(newSource ? [...feeds, member.feedId] : feeds),
    });
    if (firstAt < current.first_at) retag.run(firstAt, firstAt, current.id);
    const known = new Set([...strings(current.entities).map((id) => `e:${id}`), ...strings(current.profiles).map((id) => `p:${id}`)]);
    const added = tagsOf(entities, profiles).filter((tag) => !known.has(tag));
    if (added.length > 0) insertTags.run(current.id, firstAt, firstAt, JSON.stringify(added));
    return { echo };
  };

  const candidatesSync = (probe: StoryProbe): { list: StoryCandidate[]; rows: Map<number, Row> } => {
    const limit = probe.limit ?? 10;
    const at = msOf(probe.at, 'at');
    const window = probe.windowSeconds * 1000;
    const exact = new Set(probe.exactKeys.length > 0 ? exactStories.all(JSON.stringify(probe.exactKeys)) : []);
    const near = new Map<number, string[]>();
    if (probe.bands.length > 0) {
      for (const row of bandMatches.all(JSON.stringify(probe.bands), limit * 4)) {
        const signatures = near.get(row.story_id) ?? [];
        // A few reports per story are enough to recognise a re-publication; cap the stories too.
        if (signatures.length < 3 && (signatures.length > 0 || near.size < limit)) near.set(row.story_id, [...signatures, row.signature]);
      }
    }
    const tags = probe.entities.slice(0, 6);
    const perTag = Math.max(3, Math.ceil(limit / Math.max(1, tags.length)));
    const nearby = tags.flatMap((id) => entityStories.all({ tag: `e:${id}`, from: at - window - MAX_SPAN_MS, to: at + window, limit: perTag }));
    const ids = [...new Set([...exact, ...near.keys(), ...nearby])];
    const rows = new Map(ids.length === 0 ? [] : storiesById.all(JSON.stringify(ids)).map((row) => [row.id, row] as const));
    const list = [...rows.values()].map((row) => ({ story: storyFromRow(row), exact: exact.has(row.id), nearSignatures: near.get(row.id) ?? [] }));
    return { list, rows };
  };

  const assignSync = (member: StoryMemberInput, choice: StoryChoice, now: number, known: ReadonlyMap<number, Row>): StoryAssignment => {
    const recorded = memberByKey.get(member.feedId, member.itemKey);
    if (recorded) {
      return { storyId: recorded.story_id, memberId: recorded.id, relation: recorded.relation, outcomes: JSON.parse(recorded.outcomes) as Outcomes, replayed: true };
    }
    const { target, intents } = choice;
    const at = msOf(member.publishedAt, 'publishedAt');
    const current = target.kind === 'new' ? undefined : (known.get(target.storyId) ?? storyById.get(target.storyId));
    const joinable = current !== undefined && (target.kind === 'duplicate' || current.item_count < maxItems);
    const relation: StoryRelation = current && joinable && target.kind !== 'new' ? target.kind : 'first';
    const storyId = current && joinable ? current.id : newStory(member, at, now);
    const { echo } = current && joinable ? grow(current, member, relation, at) : { echo: false };
    const memberId = Number(insertMember.run({ ...member, storyId, at, dated: member.dated ? 1 : 0, relation, now }).lastInsertRowid);
    if (member.exactKeys.length > 0) insertKeys.run(storyId, JSON.stringify(member.exactKeys));
    if (!echo && member.bands.length > 0 && (relation === 'first' || (current?.item_count ?? 0) < MAX_BANDED_MEMBERS)) {
      insertBands.run(memberId, storyId, JSON.stringify(member.bands));
    }
    const outcomes = outcomesFor(storyId, memberId, relation, echo, intents, now);
    if (outcomes.length > 0) setOutcomes.run(JSON.stringify(outcomes), memberId);
    return { storyId, memberId, relation, outcomes, replayed: false };
  };

  const assign = db.transaction((member: StoryMemberInput, choice: StoryChoice, now: number) => assignSync(member, choice, now, new Map()));
  const assignMany = db.transaction((reports: readonly StoryReport[], decide: (report: StoryReport, candidates: readonly StoryCandidate[]) => StoryChoice, now: number) =>
    reports.map((report) => {
      const recorded = memberByKey.get(report.member.feedId, report.member.itemKey);
      if (recorded) return assignSync(report.member, { target: { kind: 'new' }, intents: [] }, now, new Map());
      const { list, rows } = candidatesSync(report.probe);
      return assignSync(report.member, decide(report, list), now, rows);
    }),
  );

  return {
    ...createStoryReads(db),
    async candidates(probe: StoryProbe): Promise<StoryCandidate[]> {
      return guard('find candidate stories', () => candidatesSync(probe).list);
    },
    async assign(member, target, intents, now): Promise<StoryAssignment> {
      const at = msOf(now, 'now');
      return guard('assign a report to its story', () => assign.immediate(member, { target, intents }, at));
    },
    async assignMany(reports, decide, now): Promise<StoryAssignment[]> {
      if (reports.length === 0) return [];
      const at = msOf(now, 'now');
      return guard('assign reports to their stories', () => assignMany.immediate(reports, decide, at));
    },
  };
}
