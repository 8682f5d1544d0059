import { AppError } from '../core/errors.js';
import { heading, line, link, reply, strong, text, type ReplyBlock } from '../core/reply.js';
import { timelineFor, type TimelineAnswer } from '../pipeline/queries.js';
import { parseArgs, splitArgs } from './args.js';
import type { CommandContext, CommandDefinition, CommandDeps } from './context.js';
import { parseSince } from './since.js';

const MAX_QUERY = 200;
const PAGE = 25;

function describeQuery(answer: TimelineAnswer, query: string): string {
  if (answer.entities.length > 0) return answer.entities.map((entity) => entity.label).join(', ');
  if (answer.profile) return `profile ${answer.profile}`;
  return query ? `"${query}"` : 'everything';
}

/** Renders a timeline answer: one line per item, grouped under a heading per day. */
export function timelineReply(answer: TimelineAnswer, query: string, sinceLabel: string): ReturnType<typeof reply> {
  const blocks: ReplyBlock[] = [heading(`Timeline: ${describeQuery(answer, query)} (${sinceLabel})`)];
  if (answer.entries.length === 0) {
    blocks.push(line(text('No relevant items yet for this query in that window.')));
    return reply(blocks, true);
  }
  let day = '';
  for (const entry of answer.entries) {
    const when = entry.item.published ?? entry.item.firstSeenAt;
    const date = when.slice(0, 10);
    if (date !== day) {
      day = date;
      blocks.push({ kind: 'heading', text: date });
    }
    const title = entry.item.title || '(untitled)';
    blocks.push(
      line(
        text(`${when.slice(11, 16)}  `),
        entry.item.link ? link(entry.item.link, title) : strong(title),
        text(`  · ${entry.feedName} · score ${Math.round(entry.score)}`),
        ...(entry.entities.length > 0 ? [text(` · ${entry.entities.join(', ')}`)] : []),
      ),
    );
  }
  if (answer.truncated) blocks.push(line(text(`…more items: narrow the query or use --since.`)));
  return reply(blocks);
}

export const timelineCommand: CommandDefinition = {
  name: 'timeline',
  usage: '/timeline [QUERY] [--since 30d] [--until 2025-06-30]',
  summary: 'the story so far: relevant items for an entity, profile or words, oldest first',
  async run(args: string, context: CommandContext, deps: CommandDeps) {
    if (args.length > MAX_QUERY * 4) throw new AppError('bad_input', `the query is too long (at most ${MAX_QUERY} characters)`);
    const parsed = parseArgs(splitArgs(args));
    const query = parsed.positional.join(' ').trim();
    if (query.length > MAX_QUERY) throw new AppError('bad_input', `the query is too long (at most ${MAX_QUERY} characters)`);
    // Default: the whole story so far; --since narrows it.
    const sinceText = parsed.flags.get('since')?.at(-1);
    const since = sinceText ? parseSince(sinceText, context.now) : new Date(0);
    const untilText = parsed.flags.get('until')?.at(-1);
    const until = untilText ? parseSince(untilText, context.now) : context.now;
    const answer = await timelineFor(deps, { query, since, until, limit: PAGE, destination: context.destination });
    return timelineReply(answer, query, sinceText ? `since ${since.toISOString().slice(0, 10)}` : 'all time');
  },
};
