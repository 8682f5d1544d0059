import { httpUrl, truncate } from '../core/chat-text.js';
import { AppError } from '../core/errors.js';
import { code, heading, line, link, reply, strong, text, type Reply, type ReplyBlock } from '../core/reply.js';
import type { ScoreResult } from '../core/score.js';
import type { CommandContext, CommandDefinition, CommandDeps } from './context.js';
import { echo, scoreLines } from './watch.js';

const MAX_LINK = 2_048;

/**
 * The link as the user pasted it, unwrapped from chat markup: Slack sends `<https://x|label>` or
 * `<https://x>`, and Discord users write `<https://x>` to suppress the preview.
 */
function unwrap(input: string): string {
  const trimmed = input.trim();
  const wrapped = /^<([^<>|\s]+)(?:\|[^<>]*)?>$/.exec(trimmed);
  return wrapped?.[1] ?? trimmed;
}

/** Stored links are as the feed gave them: try the text as typed, then its canonical form (host case, a bare host's "/"). */
async function findItem(deps: CommandDeps, typed: string, canonical: string) {
  return (await deps.items.findByLink(typed)) ?? (canonical === typed ? null : await deps.items.findByLink(canonical));
}

function storedVerdict(scores: readonly ScoreResult[], profiles: readonly string[]): ReplyBlock[] {
  const mine = scores.filter((result) => profiles.includes(result.profile));
  if (mine.length === 0) return [line(text('When it was stored it was not scored for this channel’s profiles.'))];
  return mine.map((result) =>
    line(text('When stored: '), strong(result.profile), text(` scored ${Math.round(result.score * 10) / 10} against its threshold ${result.threshold}.`)),
  );
}

export const explainCommand: CommandDefinition = {
  name: 'explain',
  usage: '/explain LINK',
  summary: 'why a stored item did or did not alert in this channel: its score and every reason',
  async run(args: string, context: CommandContext, deps: CommandDeps): Promise<Reply> {
    const typed = unwrap(args);
    if (typed.length === 0) throw new AppError('bad_input', 'give the link of an item, e.g. /explain https://news.example/story (find links with /timeline)');
    if (typed.length > MAX_LINK) throw new AppError('bad_input', `that link is too long (at most ${MAX_LINK} characters): "${echo(typed)}"`);
    const canonical = /^https?:\/\//i.test(typed) ? httpUrl(typed) : null;
    if (!canonical) throw new AppError('bad_input', `"${echo(typed)}" is not an http(s) link: /explain takes the link of an item, as /timeline shows it`);

    const found = await findItem(deps, typed, canonical);
    if (!found) {
      return reply(
        [line(text('No stored item has the link '), code(echo(typed)), text('. wirewatch only knows items from its feeds: find one with /timeline QUERY and paste its link.'))],
        true,
      );
    }
    const { item, scores } = found;
    const destination = context.destination;
    // Re-scored with what this channel uses now: its profiles, its threshold, its watch terms.
    const watchTerms = await deps.watchTerms.list(destination.id);
    const results = deps.scorer.score({ title: item.title, summary: item.summary }, { profiles: destination.profiles, threshold: destination.threshold, watchTerms });
    const alerts = results.some((result) => result.alert);
    const title = truncate(item.title || '(untitled)', 200);
    const itemLink = item.link ? httpUrl(item.link) : null;
    const blocks: ReplyBlock[] = [
      heading(alerts ? 'Why this item alerts here' : 'Why this item does not alert here'),
      line(itemLink ? link(itemLink, title) : strong(title), text(` · first seen ${item.firstSeenAt.slice(0, 16).replace('T', ' ')} UTC`)),
      ...scoreLines(results, { yes: 'alerts here', no: 'below this channel’s threshold' }),
      ...storedVerdict(scores, destination.profiles),
    ];
    if (alerts) blocks.push(line(text('(An item that arrived with a feed’s first poll is stored without alerting.)')));
    if (results.length === 0) blocks.push(line(text('This channel follows no loaded profile: see /watch list.')));
    if (watchTerms.length > 0) blocks.push(line(text(`Includes this channel’s ${watchTerms.length} watch term${watchTerms.length === 1 ? '' : 's'} as they are now.`)));
    return reply(blocks, true);
  },
};
