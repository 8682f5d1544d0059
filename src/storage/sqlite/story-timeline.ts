import type Database from 'better-sqlite3';
import type { StorySnapshot, StoryTimelinePage, StoryTimelineQuery } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { foldStoryText, STORY_COLUMNS, storyFromRow, type StoryRow } from './story-rows.js';
import { chooseWordPlan, wordPlanSql, type WordPlan } from './story-word-plans.js';
import { msOf } from './time.js';

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
  /** LIMIT of a count: one past countUpTo, or -1 (no limit). */
  cap: number;
}
type WordParams = Record<string, string | number>;

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
 * Stories by entity or profile come from the (tag, first_at) index, so a page of a busy entity
 * costs an index range scan, whatever the number of stored reports; words the index cannot narrow
 * are substrings of the story's folded headline and titles.
 */
const TIMELINE_FILTER = `FROM stories s WHERE
  s.first_at >= @since AND s.first_at <= @until
    AND (@hasTags = 0 OR s.id IN (
      SELECT story_id FROM story_tags
      WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until))
    AND (@hasWords = 0 OR NOT EXISTS (SELECT 1 FROM json_each(@words) w WHERE instr(s.folded, w.value) = 0))`;

function counted(count: number, countUpTo: number | undefined): { total: number; atLeast: boolean } {
  return countUpTo !== undefined && count > countUpTo ? { total: countUpTo, atLeast: true } : { total: count, atLeast: false };
}

/** `plan` forces one word plan (tests: every plan gives the same answer); by default the cheapest is chosen per query. */
export function createStoryTimeline(db: SqliteDatabase, options: { plan?: WordPlan } = {}): (query: StoryTimelineQuery) => Promise<StoryTimelinePage> {
  const page = db.prepare<TimelineParams, StoryRow>(`SELECT ${STORY_COLUMNS} ${TIMELINE_FILTER} ORDER BY s.first_at, s.id LIMIT @limit OFFSET @offset`);
  const count = db.prepare<TimelineParams, number>(`SELECT count(*) FROM (SELECT 1 ${TIMELINE_FILTER} LIMIT @cap)`).pluck();
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
    SELECT count(*) FROM (SELECT DISTINCT story_id FROM story_tags
    WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until LIMIT @cap)`).pluck();
  const storiesById = db.prepare<[string], StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id IN (SELECT value FROM json_each(?))`);
  const hitCount = db.prepare<[string, number], number>('SELECT count(*) FROM (SELECT 1 FROM story_text WHERE story_text MATCH ? LIMIT ?)').pluck();
  const tagEntries = db.prepare<TimelineParams, number>(`
    SELECT count(*) FROM (SELECT 1 FROM story_tags
    WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until LIMIT @cap)`).pluck();
  // An estimate (ids only grow; purged stories leave gaps): what a walk in time order may cost.
  const storyCount = db.prepare<[], number | null>('SELECT max(id) FROM stories').pluck();

  const wordStatements = new Map<string, { ids: Database.Statement<[WordParams], number>; count: Database.Statement<[WordParams], number> }>();
  const statementsFor = (plan: WordPlan, words: number) => {
    const key = `${plan}:${words}`;
    const known = wordStatements.get(key);
    if (known) return known;
    const sql = wordPlanSql(plan, words);
    const made = { ids: db.prepare<WordParams, number>(sql.ids).pluck(), count: db.prepare<WordParams, number>(sql.count).pluck() };
    wordStatements.set(key, made);
    return made;
  };

  /**
   * Indexed words: the ids of the matching stories in time order, as far as the page and the count
   * need them (at most countUpTo + 1, or the page's end), then the page's rows by id.
   */
  const byWords = (params: TimelineParams, indexed: readonly string[], countUpTo: number | undefined): StoryTimelinePage => {
    const stories = Math.max(1, storyCount.get() ?? 1);
    const hits = indexed.map((word) => hitCount.get(ftsPrefix(word), stories) ?? 0);
    const tagged = params.hasTags === 1 ? tagEntries.get({ ...params, cap: stories }) ?? 0 : null;
    const want = countUpTo === undefined ? params.offset + params.limit : Math.max(params.offset + params.limit, countUpTo + 1);
    const chosen = chooseWordPlan({ stories, hits, tagged, want });
    const plan = options.plan === 'tags' && tagged === null ? chosen.plan : (options.plan ?? chosen.plan);
    const order = chosen.order;
    const wordParams: WordParams = { ...params, want };
    order.forEach((wordIndex, position) => {
      const word = indexed[wordIndex] ?? '';
      wordParams[`w${position}`] = ftsPrefix(word);
      wordParams[`f${position}`] = word;
    });
    const statements = statementsFor(plan, indexed.length);
    const ids = want === 0 ? [] : statements.ids.all(wordParams);
    const shown = ids.slice(params.offset, params.offset + params.limit);
    const rows = new Map(shown.length === 0 ? [] : storiesById.all(JSON.stringify(shown)).map((row) => [row.id, storyFromRow(row)]));
    const page = shown.flatMap((id) => rows.get(id) ?? []);
    const all = ids.length < want || countUpTo !== undefined ? ids.length : statements.count.get(wordParams) ?? 0;
    return { stories: page, ...counted(all, countUpTo) };
  };

  return async (query) => {
    const tags = [...query.entityIds.map((id) => `e:${id}`), ...query.profiles.map((id) => `p:${id}`)];
    const words = [...new Set(query.words.map((word) => foldStoryText(word.trim())).filter(Boolean))];
    const indexed = words.filter(indexable).slice(0, MAX_INDEXED_WORDS);
    const loose = words.filter((word) => !indexed.includes(word));
    const countUpTo = query.countUpTo === undefined ? undefined : Math.max(0, Math.floor(query.countUpTo));
    const params: TimelineParams = {
      tags: JSON.stringify(tags),
      hasTags: tags.length > 0 ? 1 : 0,
      // With indexed words the plans check these (the rest) as substrings; without, all of them.
      words: JSON.stringify(indexed.length > 0 ? loose : words),
      hasWords: (indexed.length > 0 ? loose : words).length > 0 ? 1 : 0,
      since: msOf(query.since, 'since'),
      until: msOf(query.until, 'until'),
      limit: Math.max(0, Math.floor(query.limit)),
      offset: Math.max(0, Math.floor(query.offset)),
      cap: countUpTo === undefined ? -1 : countUpTo + 1,
    };
    return guard('read the story timeline', (): StoryTimelinePage => {
      if (indexed.length > 0) return byWords(params, indexed, countUpTo);
      const tagsOnly = tags.length > 0 && words.length === 0;
      const pageOf = tagsOnly ? (tags.length === 1 ? oneTagPage : tagPage) : page;
      const stories: StorySnapshot[] = params.limit === 0 ? [] : pageOf.all(params).map(storyFromRow);
      // A short page that is not past the end is the last one: it tells the total without counting.
      const known = stories.length < params.limit && (stories.length > 0 || params.offset === 0) ? params.offset + stories.length : null;
      return { stories, ...counted(known ?? (tagsOnly ? tagCount : count).get(params) ?? 0, countUpTo) };
    });
  };
}
