import { AppError } from '../core/errors.js';
import { heading, line, link, reply, strong, text, type Reply, type ReplyBlock } from '../core/reply.js';
import type { Destination, Platform } from '../core/alert.js';
import { digestFor, runScheduledDigest, type Digest } from '../pipeline/digest.js';
import type { DeliveryResult, DestinationPauses, Notifier, StoryStore } from '../pipeline/ports.js';
import type { Logger } from '../shared/logger.js';
import { splitArgs } from './args.js';
import type { CommandContext, CommandDefinition, CommandDeps } from './context.js';

const WINDOWS: Record<string, number> = { '24h': 24 * 3_600_000, '1d': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000, '1w': 7 * 24 * 3_600_000 };

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** A digest as a reply: one entry per story (headline, outlets, phase) and its two summary lines. */
export function digestReply(digest: Digest, label: string): Reply {
  const blocks: ReplyBlock[] = [heading(`Digest: ${plural(digest.entries.length, 'top story', 'top stories')}, ${label}`)];
  if (digest.entries.length === 0) {
    blocks.push(line(text('Nothing relevant happened in that window.')));
    return reply(blocks, true);
  }
  digest.entries.forEach(({ story, phase, summary }, index) => {
    blocks.push(
      line(
        text(`${index + 1}. `),
        story.link ? link(story.link, story.headline) : strong(story.headline),
        text(`  · ${plural(story.sourceCount, 'outlet', 'outlets')} · ${phase} · since ${story.firstAt.slice(0, 10)}`),
      ),
    );
    for (const sentence of summary) blocks.push(line(text(`   ${sentence.length > 300 ? `${sentence.slice(0, 299)}…` : sentence}`)));
  });
  return reply(blocks);
}

export const digestCommand: CommandDefinition = {
  name: 'digest',
  usage: '/digest [24h|7d]',
  summary: 'the top stories of this channel’s profiles, ranked by score × sources × recency, two lines each',
  async run(args: string, context: CommandContext, deps: CommandDeps) {
    const [window = '24h', ...rest] = splitArgs(args.slice(0, 200));
    const span = WINDOWS[window.toLowerCase()];
    if (span === undefined || rest.length > 0) throw new AppError('bad_input', `"${window.slice(0, 20)}" is not a digest window: use /digest 24h or /digest 7d`);
    if (!deps.stories) throw new AppError('bad_input', 'digests need the story store, which this store backend does not provide yet');
    const since = new Date(context.now.getTime() - span);
    const digest = await digestFor(deps.stories, context.destination, since, context.now);
    return digestReply(digest, span > 86_400_000 ? 'last 7 days' : 'last 24 hours');
  },
};

/**
 * One scheduler job per destination whose config has a `digest:` schedule: the top stories since
 * its last digest, posted through its platform's notifier (`postReply`), quiet hours respected.
 */
export function scheduledDigests(
  entries: readonly { readonly id: string; readonly digest?: { readonly cron: string; readonly window: number; readonly quietHours: string | null } | undefined }[],
  destinations: readonly Destination[],
  stories: StoryStore | undefined,
  notifiers: ReadonlyMap<Platform, Notifier>,
  pauses?: { readonly store: DestinationPauses; readonly logger: Logger },
): { name: string; expression: string; run(): Promise<unknown> }[] {
  if (!stories) return [];
  const post = async (to: Destination, message: Reply): Promise<DeliveryResult> =>
    (await notifiers.get(to.platform)?.postReply?.(to, message)) ?? { kind: 'permanent', error: `${to.platform} cannot post digests` };
  return entries.flatMap((entry) => {
    const destination = destinations.find((candidate) => candidate.id === entry.id);
    if (!entry.digest || !destination) return [];
    const schedule = { windowSeconds: entry.digest.window, quietHours: entry.digest.quietHours };
    return [{
      name: `digest:${entry.id}`,
      expression: entry.digest.cron,
      run: () => runScheduledDigest({ stories, post, pauses, render: (digest) => digestReply(digest, 'since the last digest') }, destination, schedule, new Date()),
    }];
  });
}
