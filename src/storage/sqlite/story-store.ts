import type {
  StoryAssignment,
  StoryCandidate,
  StoryIntent,
  StoryMemberInput,
  StoryOutcome,
  StoryProbe,
  StoryRelation,
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

type Target = { readonly kind: 'new' } | { readonly kind: 'join' | 'duplicate'; readonly storyId: number };
type Outcomes = StoryAssignment['outcomes'][number][];

/**
 * Stories on SQLite. `assign` runs as one IMMEDIATE transaction, so two pollers never both claim a
 * story's alert for one destination: the (destination, story, kind) primary key decides.
 */
export function createSqliteStoryStore(db: SqliteDatabase, options: SqliteStoryOptions = {}): StoryStore {
  const maxItems = options.maxItems ?? 200;
  const exactStories = db.prepare<[string], number>('SELECT DISTINCT story_id FROM story_keys WHERE key IN (SELECT value FROM json_each(?))').pluck();
  const bandMatches = db.prepare<[string, number], { story_id: number; signature: string }>(`
    SELECT b.story_id, m.signature FROM story_bands b JOIN story_members m ON m.id = b.member_id
    WHERE b.band IN (SELECT value FROM json_each(?)) GROUP BY b.member_id LIMIT ?`);
  const entityStories = db.prepare<{ tags: string; from: number; to: number; limit: number }, number>(`
    SELECT story_id FROM story_tags WHERE tag IN (SELECT value FROM json_each(@tags)) AND last_at >= @from AND first_at <= @to
    GROUP BY story_id ORDER BY max(last_at) DESC LIMIT @limit`).pluck();
  const storiesById = db.prepare<[string], StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id IN (SELECT value FROM json_each(?))`);
  const storyById = db.prepare<[number], StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = ?`);
  const memberByKey = db.prepare<[string, string], { id: number; story_id: number; relation: StoryRelation; outcomes: string }>(
    'SELECT id, story_id, relation, outcomes FROM story_members WHERE feed_id = ? AND item_key = ?',
  );
  const feedInStory = db.prepare<[number, string], number>('SELECT 1 FROM story_members WHERE story_id = ? AND feed_id = ? LIMIT 1').pluck();
  const bandedCount = db.prepare<[number], number>('SELECT count(DISTINCT member_id) FROM story_bands WHERE story_id = ?').pluck();
  const insertStory = db.prepare(`
    INSERT INTO stories (first_at, last_at, headline, link, best_score, item_count, source_count, entities, terms, profiles, undated, folded, created_at)
    VALUES (@at, @at, @title, @link, @score, 1, 1, @entities, @terms, @profiles, @undated, @folded, @now)`);
  const updateStory = db.prepare(`
    UPDATE stories SET first_at = @firstAt, last_at = @lastAt, headline = @headline, link = @link, best_score = @bestScore,
      item_count = @itemCount, source_count = @sourceCount, entities = @entities, terms = @terms, profiles = @profiles,
      undated = @undated, folded = @folded
    WHERE id = @id`);
  const insertMember = db.prepare(`
    INSERT INTO story_members (story_id, feed_id, feed_name, item_key, title, link, snippet, published_at, dated, score, relation, signature, outcomes, created_at)
    VALUES (@storyId, @feedId, @feedName, @itemKey, @title, @link, @snippet, @at, @dated, @score, @relation, @signature, '[]', @now)`);
  const setOutcomes = db.prepare<[string, number]>('UPDATE story_members SET outcomes = ? WHERE id = ?');
  const insertKey = db.prepare<[string, number]>('INSERT OR IGNORE INTO story_keys (key, story_id) VALUES (?, ?)');
  const insertBand = db.prepare<[number, number, number]>('INSERT OR IGNORE INTO story_bands (band, member_id, story_id) VALUES (?, ?, ?)');
  const retag = db.prepare<[number, number, number]>('UPDATE story_tags SET first_at = ?, last_at = ? WHERE story_id = ?');
  const insertTag = db.prepare<[number, string, number, number]>('INSERT OR IGNORE INTO story_tags (story_id, tag, first_at, last_at) VALUES (?, ?, ?, ?)');
  const claimAlert = db.prepare<[string, number, string, number, string | null, number]>(
    'INSERT OR IGNORE INTO story_alerts (destination_id, story_id, kind, member_id, change, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const hasAlert = db.prepare<[string, number], number>("SELECT 1 FROM story_alerts WHERE destination_id = ? AND story_id = ? AND kind = 'alert'").pluck();
  const queueFollowUp = db.prepare<[string, number, number]>('INSERT OR IGNORE INTO story_followups (destination_id, story_id, member_id) VALUES (?, ?, ?)');

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

  const assign = db.transaction((member: StoryMemberInput, target: Target, intents: readonly StoryIntent[], now: number): StoryAssignment => {
    const known = memberByKey.get(member.feedId, member.itemKey);
    if (known) {
      return { storyId: known.story_id, memberId: known.id, relation: known.relation, outcomes: JSON.parse(known.outcomes) as Outcomes, replayed: true };
    }
    const at = msOf(member.publishedAt, 'publishedAt');
    const current = target.kind === 'new' ? undefined : storyById.get(target.storyId);
    const joinable = current !== undefined && (target.kind === 'duplicate' || current.item_count < maxItems);
    const relation: StoryRelation = current && joinable ? (target.kind === 'new' ? 'first' : target.kind) : 'first';
    let storyId: number;
    let echo = false;
    let firstAt = at;
    let lastAt = at;
    if (!current || !joinable) {
      storyId = Number(
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
          now,
        }).lastInsertRowid,
      );
    } else {
      storyId = current.id;
      const newSource = feedInStory.get(storyId, member.feedId) === undefined;
      echo = relation === 'duplicate' && !newSource;
      const better = member.score > current.best_score;
      firstAt = Math.min(current.first_at, at);
      lastAt = echo ? current.last_at : Math.max(current.last_at, at);
      updateStory.run({
        id: storyId,
        firstAt,
        lastAt,
        headline: better ? member.title : current.headline,
        link: better ? member.link : current.link,
        bestScore: Math.max(current.best_score, member.score),
        itemCount: current.item_count + (echo ? 0 : 1),
        sourceCount: current.source_count + (newSource ? 1 : 0),
        entities: JSON.stringify(unionCapped(strings(current.entities), member.entities, MAX_ENTITIES)),
        terms: JSON.stringify(unionCapped(strings(current.terms), member.terms, MAX_TERMS)),
        profiles: JSON.stringify(unionCapped(strings(current.profiles), member.profiles, 50)),
        undated: at < current.first_at ? (member.dated ? 0 : 1) : current.undated,
        folded: echo || current.folded.length > MAX_FOLDED ? current.folded : `${current.folded}\n${foldStoryText(member.title)}`,
      });
      retag.run(firstAt, lastAt, storyId);
    }
    const memberId = Number(
      insertMember.run({ ...member, storyId, at, dated: member.dated ? 1 : 0, relation, now }).lastInsertRowid,
    );
    for (const key of member.exactKeys) insertKey.run(key, storyId);
    if (!echo && (relation === 'first' || (bandedCount.get(storyId) ?? 0) < MAX_BANDED_MEMBERS)) {
      for (const band of member.bands) insertBand.run(band, memberId, storyId);
    }
    for (const tag of [...member.entities.map((id) => `e:${id}`), ...member.profiles.map((id) => `p:${id}`)]) insertTag.run(storyId, tag, firstAt, lastAt);
    const outcomes = outcomesFor(storyId, memberId, relation, echo, intents, now);
    setOutcomes.run(JSON.stringify(outcomes), memberId);
    return { storyId, memberId, relation, outcomes, replayed: false };
  });

  return {
    ...createStoryReads(db),
    async candidates(probe: StoryProbe): Promise<StoryCandidate[]> {
      const limit = probe.limit ?? 20;
      const at = msOf(probe.at, 'at');
      const window = probe.windowSeconds * 1000;
      return guard('find candidate stories', () => {
        const exact = new Set(probe.exactKeys.length > 0 ? exactStories.all(JSON.stringify(probe.exactKeys)) : []);
        const near = new Map<number, string[]>();
        if (probe.bands.length > 0) {
          for (const row of bandMatches.all(JSON.stringify(probe.bands), limit * 3)) near.set(row.story_id, [...(near.get(row.story_id) ?? []), row.signature]);
        }
        const tags = JSON.stringify(probe.entities.map((id) => `e:${id}`));
        const nearby = probe.entities.length > 0 ? entityStories.all({ tags, from: at - window, to: at + window, limit }) : [];
        const ids = [...new Set([...exact, ...near.keys(), ...nearby])];
        if (ids.length === 0) return [];
        return storiesById.all(JSON.stringify(ids)).map((row) => ({
          story: storyFromRow(row),
          exact: exact.has(row.id),
          nearSignatures: near.get(row.id) ?? [],
        }));
      });
    },
    async assign(member, target, intents, now): Promise<StoryAssignment> {
      const at = msOf(now, 'now');
      return guard('assign a report to its story', () => assign.immediate(member, target, intents, at));
    },
  };
}
