import { AppError } from '../core/errors.js';
import { heading, line, link, reply, strong, text, type ReplyBlock } from '../core/reply.js';
import { timelineFor, type TimelineAnswer } from '../pipeline/queries.js';
import { entityDirectory, storyTimelineFor } from '../pipeline/story-queries.js';
import { parseArgs, splitArgs } from './args.js';
import type { CommandContext, CommandDefinition, CommandDeps } from './context.js';
import { parseSince } from './since.js';
import { storyTimelineReply } from './story-lines.js';

const MAX_QUERY = 200;
const PAGE = 25;
const TIME = /^(?:\d{1,5}[hdwmy]|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?)$/;

function describeQuery(answer: TimelineAnswer, query: string): string {
  if (answer.entities.length > 0) return answer.entities.map((entity) => entity.label).join(', ');
  if (answer.profile) return `profile ${answer.profile}`;
  return query ? `"${query}"` : 'everything';
}

/** Raw items, one line each (the answer when no story store is configured). */
export function timelineReply(answer: TimelineAnswer, query: string, sinceLabel: string): ReturnType<typeof reply> {
  const blocks: ReplyBlock[] = [heading(`Timeline: ${describeQuery(answer, query)} (${sinceLabel})`)];
  if (answer.entries.length === 0) {
    blocks.push(line(text('No relevant items yet for this query in that window.')));
    return reply(blocks, true);
  }
  let day = '';
  for (const entry of answer.entries) {
    const when = entry.item.published ?? entry.item.firstSeenAt;
    if (when.slice(0, 10) !== day) {
      day = when.slice(0, 10);
      blocks.push(heading(day));
    }
    const title = entry.item.title || '(untitled)';
    blocks.push(line(text(`${when.slice(11, 16)}  `), entry.item.link ? link(entry.item.link, title) : strong(title), text(`  · ${entry.feedName} · score ${Math.round(entry.score)}`)));
  }
  if (answer.truncated) blocks.push(line(text('…more items: narrow the query or use --since.')));
  return reply(blocks);
}

export interface TimelineArgs {
  readonly query: string;
  readonly since: Date;
  readonly until: Date;
  readonly sinceText: string | null;
  readonly untilText: string | null;
  readonly page: number;
  readonly chart: boolean;
}

/** QUERY [since] [until] [--since X] [--until Y] [--page N] [--chart]; times are 30d, 12h, 2w, or dates. */
export function parseTimelineArgs(args: string, now: Date): TimelineArgs {
  if (args.length > MAX_QUERY * 4) throw new AppError('bad_input', `the query is too long (at most ${MAX_QUERY} characters)`);
  const parsed = parseArgs(splitArgs(args), ['chart']);
  const words = [...parsed.positional];
  const times: string[] = [];
  while (words.length > 0 && times.length < 2 && TIME.test(words.at(-1) ?? '')) times.unshift(words.pop() ?? '');
  const query = words.join(' ').trim();
  if (query.length > MAX_QUERY) throw new AppError('bad_input', `the query is too long (at most ${MAX_QUERY} characters)`);
  const sinceText = parsed.flags.get('since')?.at(-1) ?? times[0] ?? null;
  const untilText = parsed.flags.get('until')?.at(-1) ?? times[1] ?? null;
  const since = sinceText ? parseSince(sinceText, now) : new Date(0);
  const until = untilText ? parseSince(untilText, now) : now;
  if (since.getTime() > until.getTime()) {
    throw new AppError('bad_input', `"since" (${since.toISOString().slice(0, 10)}) is after "until" (${until.toISOString().slice(0, 10)}): swap them`);
  }
  const pageText = parsed.flags.get('page')?.at(-1) ?? '1';
  const page = Number(pageText);
  if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new AppError('bad_input', '--page must be a whole number from 1');
  return { query, since, until, sinceText, untilText, page, chart: parsed.flags.has('chart') };
}

function windowLabel(args: TimelineArgs): string {
  if (!args.sinceText && !args.untilText) return 'all time';
  return [args.sinceText ? `since ${args.since.toISOString().slice(0, 10)}` : '', args.untilText ? `until ${args.until.toISOString().slice(0, 10)}` : ''].filter(Boolean).join(', ');
}

export const timelineCommand: CommandDefinition = {
  name: 'timeline',
  usage: '/timeline [QUERY] [since] [until] [--page N] [--chart]',
  summary: 'the story so far: one line per story for an entity, profile or words, oldest first',
  async run(args: string, context: CommandContext, deps: CommandDeps) {
    const parsed = parseTimelineArgs(args, context.now);
    if (!deps.stories) {
      const answer = await timelineFor(deps, { query: parsed.query, since: parsed.since, until: parsed.until, limit: PAGE, destination: context.destination });
      return timelineReply(answer, parsed.query, windowLabel(parsed));
    }
    const answer = await storyTimelineFor(
      { scorer: deps.scorer, stories: deps.stories },
      { query: parsed.query, since: parsed.since, until: parsed.until, page: parsed.page, pageSize: PAGE, destination: context.destination, chart: parsed.chart },
    );
    const next = ['/timeline', parsed.query, parsed.sinceText ? `--since ${parsed.sinceText}` : '', parsed.untilText ? `--until ${parsed.untilText}` : '', `--page ${parsed.page + 1}`].filter(Boolean).join(' ');
    return storyTimelineReply(answer, { query: parsed.query, window: windowLabel(parsed), labels: entityDirectory(deps.scorer).labels, nextCommand: next, chart: parsed.chart });
  },
};
