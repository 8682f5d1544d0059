import type { PendingFollowUp, StoryAlertContext, StoryMember, StorySnapshot, StoryStore, StoryTimelineQuery } from '../../pipeline/ports.js';
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { MEMBER_COLUMNS, memberFromRow, STORY_COLUMNS, storyFromRow, foldStoryText, type MemberRow, type StoryRow } from './story-rows.js';
import { isoOf, msOf } from './time.js';

type StoryReads = Omit<StoryStore, 'candidates' | 'assign' | 'assignMany'>;
type WordParams = Record<string, string | number>;
interface WordStatements {
  readonly page: Database.Statement<[WordParams], StoryRow>;
  readonly count: Database.Statement<[WordParams], number>;
}

/** Words beyond these are only checked as substrings (the query resolver sends at most 8). */
const MAX_INDEXED_WORDS = 8;

interface TimelineParams {
  tags: string;
  hasTags: number;
  words: string;
  hasWords: number;
  since: number;
  until: number;
  limit: number;
  offset: number;
}

/**
 * Stories by entity or profile come from the (tag, first_at) index, so a page of a busy entity
 * costs an index range scan, whatever the number of stored reports; words are substrings of the
 * story's folded headline and titles.
 */
const TIMELINE_CONDITIONS = `
  s.first_at >= @since AND s.first_at <= @until
    AND (@hasTags = 0 OR s.id IN (
      SELECT story_id FROM story_tags
      WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until))
    AND (@hasWords = 0 OR NOT EXISTS (SELECT 1 FROM json_each(@words) w WHERE instr(s.folded, w.value) = 0))`;
const TIMELINE_FILTER = `FROM stories s WHERE ${TIMELINE_CONDITIONS}`;

/** Scripts written without spaces: a word there is no token start, so only the scan finds it. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** A word the full-text index can narrow by: it has letters or digits, in a script with spaces. */
function indexable(word: string): boolean {
  return /[\p{L}\p{N}]/u.test(word) && !UNSPACED.test(word);
}

/** FTS5 query for "a token that starts with this word" (a phrase, for words with inner punctuation). */
function ftsPrefix(word: string): string {
  return `"${word.replaceAll('"', '""')}"*`;
}

/**
 * Word search off the story_text index: the stories with a title (or, stored before migration 5,
 * folded text) having a word that starts with each indexed word; every word is then still checked
 * as a substring of the folded text, so the answer is what the scan gave, narrowed to words that
 * start a word in the text. Driven from the hits (CROSS JOIN), never from the time index.
 */
function wordSearch(count: number): { page: string; count: string } {
  const storyOf = 'CASE WHEN t.rowid < 0 THEN -t.rowid ELSE (SELECT m.story_id FROM story_members m WHERE m.id = t.rowid) END';
  const hits = Array.from({ length: count }, (_, index) => `SELECT ${storyOf} FROM story_text t WHERE story_text MATCH @w${index}`).join(' INTERSECT ');
  const from = `WITH hits(story_id) AS (${hits}) SELECT %s FROM hits h CROSS JOIN stories s ON s.id = h.story_id WHERE ${TIMELINE_CONDITIONS}`;
  return { page: `${from.replace('%s', STORY_COLUMNS)} ORDER BY s.first_at, s.id LIMIT @limit OFFSET @offset`, count: from.replace('%s', 'count(*)') };
}

interface FollowUpRow extends MemberRow {
  readonly destination_id: string;
  readonly receipt: string | null;
}

export function createStoryReads(db: SqliteDatabase): StoryReads {
  const page = db.prepare<TimelineParams, StoryRow>(`SELECT ${STORY_COLUMNS} ${TIMELINE_FILTER} ORDER BY s.first_at, s.id LIMIT @limit OFFSET @offset`);
  const count = db.prepare<TimelineParams, number>(`SELECT count(*) ${TIMELINE_FILTER}`).pluck();
  // Tags only (an entity or a profile, no words): page and count straight off the (tag, first_at)
  // index, whose entries also carry story_id, so neither touches a story row it does not show.
  const tagPage = db.prepare<TimelineParams, StoryRow>(`
    SELECT ${STORY_COLUMNS} FROM (
      SELECT story_id, min(first_at) AS first_at FROM story_tags
      WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until
      GROUP BY story_id ORDER BY first_at, story_id LIMIT @limit OFFSET @offset
    ) t JOIN stories s ON s.id = t.story_id ORDER BY t.first_at, t.story_id`);
  const oneTagPage = db.prepare<TimelineParams, StoryRow>(`
    SELECT ${STORY_COLUMNS} FROM (
      SELECT story_id, first_at FROM story_tags
      WHERE tag = (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until
      ORDER BY first_at, story_id LIMIT @limit OFFSET @offset
    ) t JOIN stories s ON s.id = t.story_id ORDER BY t.first_at, t.story_id`);
  const tagCount = db.prepare<TimelineParams, number>(`
    SELECT count(DISTINCT story_id) FROM story_tags
    WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until`).pluck();
  const active = db.prepare<{ tags: string; since: number; until: number; limit: number }, StoryRow>(`
    SELECT ${STORY_COLUMNS} FROM stories s
    WHERE s.last_at >= @since AND s.first_at <= @until
      AND EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id AND t.tag IN (SELECT value FROM json_each(@tags)))
    ORDER BY s.best_score * s.source_count DESC, s.last_at DESC LIMIT @limit`);
  const members = db.prepare<[string, number], MemberRow>(`
    SELECT * FROM (
      SELECT ${MEMBER_COLUMNS}, row_number() OVER (PARTITION BY m.story_id ORDER BY m.score DESC, m.id) AS rank
      FROM story_members m WHERE m.story_id IN (SELECT value FROM json_each(?))
    ) WHERE rank <= ? ORDER BY story_id, rank`);
  const alertFor = db.prepare<[string, string, string], { story_id: number; kind: 'alert' | 'update'; change: string | null; source_count: number; item_count: number }>(`
    SELECT a.story_id, a.kind, a.change, s.source_count, s.item_count
    FROM story_members m JOIN story_alerts a ON a.member_id = m.id AND a.destination_id = ? JOIN stories s ON s.id = a.story_id
    WHERE m.feed_id = ? AND m.item_key = ?`);
  const alertSent = db.prepare<{ destination: string; feedId: string; itemKey: string; receipt: string | null; at: number }>(`
    UPDATE story_alerts SET receipt = @receipt, sent_at = @at
    WHERE destination_id = @destination AND sent_at IS NULL
      AND member_id = (SELECT id FROM story_members WHERE feed_id = @feedId AND item_key = @itemKey)`);
  const pending = db.prepare<[number], FollowUpRow>(`
    SELECT f.destination_id, a.receipt, ${MEMBER_COLUMNS}
    FROM story_followups f
    JOIN story_alerts a ON a.destination_id = f.destination_id AND a.story_id = f.story_id AND a.kind = 'alert' AND a.sent_at IS NOT NULL
    JOIN story_members m ON m.id = f.member_id
    WHERE f.sent_at IS NULL
    ORDER BY f.destination_id, f.story_id, m.id LIMIT ?`);
  const storiesById = db.prepare<[string], StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id IN (SELECT value FROM json_each(?))`);
  const followUpsSent = db.prepare<[number, string, number, number]>(
    'UPDATE story_followups SET sent_at = ? WHERE destination_id = ? AND story_id = ? AND member_id <= ? AND sent_at IS NULL',
  );
  const byWords = new Map<number, WordStatements>();
  const wordStatements = (count: number): WordStatements => {
    const known = byWords.get(count);
    if (known) return known;
    const sql = wordSearch(count);
    const made = { page: db.prepare<WordParams, StoryRow>(sql.page), count: db.prepare<WordParams, number>(sql.count).pluck() };
    byWords.set(count, made);
    return made;
  };
  const lastDigest = db.prepare<[string], number>('SELECT last_at FROM digests WHERE destination_id = ?').pluck();
  const recordDigest = db.prepare<[string, number]>(
    'INSERT INTO digests (destination_id, last_at) VALUES (?, ?) ON CONFLICT (destination_id) DO UPDATE SET last_at = excluded.last_at',
  );

  return {
    async timeline(query: StoryTimelineQuery): Promise<{ stories: StorySnapshot[]; total: number }> {
      const tags = [...query.entityIds.map((id) => `e:${id}`), ...query.profiles.map((id) => `p:${id}`)];
      const words = [...new Set(query.words.map((word) => foldStoryText(word.trim())).filter(Boolean))];
      const params: TimelineParams = {
        tags: JSON.stringify(tags),
        hasTags: tags.length > 0 ? 1 : 0,
        words: JSON.stringify(words),
        hasWords: words.length > 0 ? 1 : 0,
        since: msOf(query.since, 'since'),
        until: msOf(query.until, 'until'),
        limit: Math.max(0, Math.floor(query.limit)),
        offset: Math.max(0, Math.floor(query.offset)),
      };
      const tagsOnly = tags.length > 0 && words.length === 0;
      const indexed = words.filter(indexable).slice(0, MAX_INDEXED_WORDS);
      if (indexed.length > 0) {
        const statements = wordStatements(indexed.length);
        const wordParams: WordParams = { ...params, ...Object.fromEntries(indexed.map((word, index) => [`w${index}`, ftsPrefix(word)])) };
        return guard('read the story timeline', () => ({
          stories: params.limit === 0 ? [] : statements.page.all(wordParams).map(storyFromRow),
          total: statements.count.get(wordParams) ?? 0,
        }));
      }
      const pageOf = tagsOnly ? (tags.length === 1 ? oneTagPage : tagPage) : page;
      return guard('read the story timeline', () => ({
        stories: params.limit === 0 ? [] : pageOf.all(params).map(storyFromRow),
        total: (tagsOnly ? tagCount : count).get(params) ?? 0,
      }));
    },
    async active(profiles, since, until, limit): Promise<StorySnapshot[]> {
      const params = { tags: JSON.stringify(profiles.map((id) => `p:${id}`)), since: msOf(since, 'since'), until: msOf(until, 'until'), limit: Math.max(0, Math.floor(limit)) };
      return guard('read active stories', () => active.all(params).map(storyFromRow));
    },
    async members(storyIds, perStory): Promise<StoryMember[]> {
      if (storyIds.length === 0) return [];
      return guard('read story reports', () => members.all(JSON.stringify(storyIds), Math.max(1, Math.floor(perStory))).map(memberFromRow));
    },
    async alertFor(destinationId, feedId, itemKey): Promise<StoryAlertContext | null> {
      const row = guard('read an alert’s story', () => alertFor.get(destinationId, feedId, itemKey));
      return row ? { storyId: row.story_id, outcome: row.kind, change: row.change, sourceCount: row.source_count, itemCount: row.item_count } : null;
    },
    async alertSent(destinationId, feedId, itemKey, receipt, at): Promise<void> {
      const when = msOf(at, 'at');
      guard('record a story alert sent', () => alertSent.run({ destination: destinationId, feedId, itemKey, receipt, at: when }));
    },
    async pendingFollowUps(limit): Promise<PendingFollowUp[]> {
      return guard('read pending follow-ups', () => {
        const rows = pending.all(Math.max(1, Math.floor(limit)) * 20);
        const groups = new Map<string, { destinationId: string; storyId: number; receipt: string | null; members: StoryMember[] }>();
        for (const row of rows) {
          const key = `${row.destination_id}\u0000${row.story_id}`;
          const group = groups.get(key) ?? { destinationId: row.destination_id, storyId: row.story_id, receipt: row.receipt, members: [] };
          group.members.push(memberFromRow(row));
          groups.set(key, group);
        }
        const chosen = [...groups.values()].slice(0, limit);
        const stories = new Map(storiesById.all(JSON.stringify(chosen.map((group) => group.storyId))).map((row) => [row.id, storyFromRow(row)]));
        return chosen.flatMap((group) => {
          const story = stories.get(group.storyId);
          return story ? [{ destinationId: group.destinationId, storyId: group.storyId, alertReceipt: group.receipt, story, members: group.members }] : [];
        });
      });
    },
    async followUpsSent(destinationId, storyId, upToMemberId, at): Promise<void> {
      const when = msOf(at, 'at');
      guard('mark follow-ups sent', () => followUpsSent.run(when, destinationId, storyId, upToMemberId));
    },
    async lastDigestAt(destinationId): Promise<string | null> {
      const value = guard('read the last digest time', () => lastDigest.get(destinationId));
      return value === undefined ? null : isoOf(value);
    },
    async recordDigest(destinationId, at): Promise<void> {
      const when = msOf(at, 'at');
      guard('record a digest', () => recordDigest.run(destinationId, when));
    },
  };
}
