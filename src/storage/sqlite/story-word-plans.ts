/**
 * /timeline by words on SQLite: three ways to list the matching stories in time order, and the
 * choice between them by what the full-text index says the words cost (docs/performance.md).
 *
 * A story matches a word when the word is a substring of its folded headline and titles and starts
 * a word of one of its titles (the story_text index, migration 5: rowid = member id, or -story id
 * for text stored before the index).
 */

/**
 * - `hits`: from the stories of the rarest word's hits, sorted; costs its hit count.
 * - `tags`: from the stories of the entity or profile tags in the window, sorted; costs their count.
 * - `walk`: stories in time order (stories_first), each checked, until enough match; costs
 *   about `want` divided by the share of stories that match, and nothing to sort.
 */
export type WordPlan = 'hits' | 'tags' | 'walk';

const WINDOW = 's.first_at >= @since AND s.first_at <= @until';
const TAGS = `(@hasTags = 0 OR s.id IN (
  SELECT story_id FROM story_tags WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until))`;
const LOOSE = '(@hasWords = 0 OR NOT EXISTS (SELECT 1 FROM json_each(@words) w WHERE instr(s.folded, w.value) = 0))';

/** The texts (titles) that start a word with word `index`: built once per statement, probed per story. */
const hitsOf = (index: number): string => `(SELECT rowid FROM story_text WHERE story_text MATCH @w${index})`;
/** A title of the story, or its whole text stored before the index, is among the word's hits. */
const titled = (index: number): string =>
  `EXISTS (SELECT 1 FROM (SELECT m.id AS text_id FROM story_members m WHERE m.story_id = s.id UNION ALL SELECT -s.id) WHERE text_id IN ${hitsOf(index)})`;
/** The substring test first: it needs only the story row, and rejects most stories of a walk. */
const word = (index: number, checkTitles: boolean): string => `instr(s.folded, @f${index}) > 0${checkTitles ? ` AND ${titled(index)}` : ''}`;
const storyOfHit = 'CASE WHEN t.rowid < 0 THEN -t.rowid ELSE (SELECT m.story_id FROM story_members m WHERE m.id = t.rowid) END';

/** Statements for `count` indexed words (word 0 drives the `hits` plan): the ids in order, and their exact count. */
export function wordPlanSql(plan: WordPlan, count: number): { ids: string; count: string } {
  const words = Array.from({ length: count }, (_, index) => word(index, plan !== 'hits' || index > 0)).join(' AND ');
  const from = {
    hits: `(SELECT DISTINCT ${storyOfHit} AS id FROM story_text t WHERE story_text MATCH @w0) h CROSS JOIN stories s ON s.id = h.id`,
    tags: `(SELECT DISTINCT story_id AS id FROM story_tags
      WHERE tag IN (SELECT value FROM json_each(@tags)) AND first_at >= @since AND first_at <= @until) g CROSS JOIN stories s ON s.id = g.id`,
    walk: 'stories s INDEXED BY stories_first',
  }[plan];
  const select = `SELECT s.id FROM ${from} WHERE ${WINDOW} AND ${plan === 'tags' ? '1' : TAGS} AND ${LOOSE} AND ${words}`;
  return { ids: `${select} ORDER BY s.first_at, s.id LIMIT @want`, count: `SELECT count(*) FROM (${select})` };
}

/**
 * Costs relative to visiting one story in a walk (≈ 1 µs on the bench's 250,000 stories, more where
 * the substring test passes and the titles are probed): a hit mapped to its story, fetched and
 * sorted ≈ 4 µs; a tag entry's story ≈ 2 µs; a hit put into the set a walk probes ≈ 0.3 µs.
 */
const HIT_COST = 4;
const TAG_COST = 2;
const SET_COST = 0.3;

export interface WordPlanSizes {
  /** About how many stories there are. */
  readonly stories: number;
  /** Hits of each indexed word in the full-text index (capped at `stories`). */
  readonly hits: readonly number[];
  /** Tag entries in the window, when the query has entities or profiles. */
  readonly tagged: number | null;
  /** Matching stories wanted, in time order: the page's end, or one past the count's cap. */
  readonly want: number;
}

/**
 * The cheapest plan by the sizes, and the words' order for it (the rarest first). A word's hits are
 * taken as its share of the stories, words and tags as independent: a common word walks a few
 * hundred stories for a page and a few thousand for a count of 1,000; a rare one sorts its hits.
 */
export function chooseWordPlan(sizes: WordPlanSizes): { plan: WordPlan; order: number[] } {
  const stories = Math.max(1, sizes.stories);
  const order = sizes.hits.map((_, index) => index).sort((a, b) => (sizes.hits[a] ?? 0) - (sizes.hits[b] ?? 0));
  const rarest = sizes.hits[order[0] ?? 0] ?? 0;
  const share = sizes.hits.reduce((product, hits) => product * Math.min(1, hits / stories), sizes.tagged === null ? 1 : Math.min(1, sizes.tagged / stories));
  const sets = SET_COST * sizes.hits.reduce((sum, hits) => sum + hits, 0);
  const costs: [WordPlan, number][] = [
    ['hits', HIT_COST * rarest + sets - SET_COST * rarest],
    ['walk', Math.min(stories, sizes.want / Math.max(share, 1 / stories)) + sets],
    ['tags', sizes.tagged === null ? Infinity : TAG_COST * sizes.tagged + sets],
  ];
  const [plan] = costs.reduce((best, next) => (next[1] < best[1] ? next : best));
  return { plan, order };
}
