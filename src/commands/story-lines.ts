import { heading, line, link, reply, strong, text, type Reply, type ReplyBlock } from '../core/reply.js';
import type { StoryTimelineAnswer } from '../pipeline/story-queries.js';
import { groupStories, storiesPerDay, storiesPerDayPng } from '../stories/index.js';

const plural = (count: number, word: string): string =>
  `${count} ${count === 1 ? word : word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
/** "1,000+ stories" when the store stopped counting: more than that many match. */
const storyCount = (answer: StoryTimelineAnswer): string => (answer.atLeast ? `${answer.total.toLocaleString('en-US')}+ stories` : plural(answer.total, 'story'));
/** Up to this many lines a page is a plain list; longer pages get a heading per day or week. */
const GROUP_OVER = 10;
const MAX_ENTITIES_SHOWN = 4;

/** What was asked, in words; user text is clipped (it is escaped by each renderer anyway). */
export function describeQuery(answer: StoryTimelineAnswer, query: string): string {
  if (answer.entities.length > 0) return answer.entities.map((entity) => entity.label).join(', ');
  if (answer.profile) return `profile ${answer.profile}`;
  return query ? `"${query.length > 60 ? `${query.slice(0, 59)}…` : query}"` : 'everything';
}

/**
 * One line per story: date, headline (linked), outlets, key entities; "related" stories say what
 * ties them to the query; a story whose first report had no date says its time is the fetch time.
 */
export function storyTimelineReply(
  answer: StoryTimelineAnswer,
  options: { query: string; window: string; labels: ReadonlyMap<string, string>; nextCommand: string; chart: boolean },
): Reply {
  const title = `Timeline: ${describeQuery(answer, options.query)} (${options.window})`;
  if (answer.total === 0) {
    const blocks: ReplyBlock[] = [heading(title), line(text('No stories match this query in that window.'))];
    if (answer.suggestion) blocks.push(line(text('Did you mean '), strong(answer.suggestion.label), text('? Try /timeline '), strong(answer.suggestion.id)));
    return reply(blocks, true);
  }
  const blocks: ReplyBlock[] = [heading(`${title} — ${storyCount(answer)}`)];
  if (answer.lines.length === 0) blocks.push(line(text(`Page ${answer.page} is past the end: there ${answer.pages === 1 ? 'is 1 page' : `are ${answer.pages} pages`}.`)));
  const groups = groupStories(answer.lines.map((entry) => ({ ...entry, firstAt: entry.story.firstAt })));
  for (const group of groups) {
    if (answer.lines.length > GROUP_OVER) blocks.push(heading(group.label));
    for (const { story, related, via } of group.stories) {
      const entities = story.entities.slice(0, MAX_ENTITIES_SHOWN).map((id) => options.labels.get(id) ?? id);
      blocks.push(
        line(
          text(`${story.firstAt.slice(0, 10)}  `),
          story.link ? link(story.link, story.headline) : strong(story.headline),
          text(`  · ${plural(story.sourceCount, 'outlet')}`),
          ...(entities.length > 0 ? [text(` · ${entities.join(', ')}`)] : []),
          ...(related ? [text(` · related via ${via.join(', ')}`)] : []),
          ...(story.undated ? [text(' · undated: time is when it was fetched')] : []),
        ),
      );
    }
  }
  if (answer.page < answer.pages || answer.atLeast) {
    blocks.push(line(text(`Page ${answer.page} of ${answer.pages}${answer.atLeast ? '+' : ''}. Show more: `), strong(options.nextCommand)));
  }
  const images = options.chart ? [{ kind: 'image' as const, png: storiesPerDayPng(storiesPerDay(answer.firstTimes.map((firstAt) => ({ firstAt })))), alt: `Stories per day for ${describeQuery(answer, options.query)}: ${storyCount(answer)} from ${answer.firstTimes[0]?.slice(0, 10) ?? ''} to ${answer.firstTimes.at(-1)?.slice(0, 10) ?? ''}` }] : [];
  return { blocks, ephemeral: false, ...(images.length > 0 ? { images } : {}) };
}
