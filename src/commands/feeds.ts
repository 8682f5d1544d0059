import type { Feed } from '../core/feed.js';
import { heading, line, reply, strong, text, type ReplyBlock } from '../core/reply.js';
import type { CommandDefinition } from './context.js';

function status(feed: Feed): string {
  if (feed.disabledAt) return `disabled: ${feed.disabledReason ?? 'unknown reason'}`;
  if (feed.lastError) return `failing (${feed.failures}×): ${feed.lastError.code}`;
  if (!feed.lastCheckedAt) return 'not polled yet';
  return `ok, checked ${feed.lastCheckedAt.slice(0, 16).replace('T', ' ')} UTC`;
}

export const feedsCommand: CommandDefinition = {
  name: 'feeds',
  usage: '/feeds [list]',
  summary: 'the feeds wirewatch polls and their health',
  async run(_args, _context, deps) {
    const feeds = await deps.feeds.list();
    const blocks: ReplyBlock[] = [heading(`${feeds.length} feeds`)];
    for (const feed of feeds) {
      blocks.push(line(strong(feed.name), text(` (${feed.id}) — ${status(feed)}`)));
    }
    return reply(blocks, true);
  },
};
