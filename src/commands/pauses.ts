import { AppError } from '../core/errors.js';
import { code, heading, line, reply, strong, text, type Reply, type ReplyBlock } from '../core/reply.js';
import type { DestinationPauses } from '../pipeline/ports.js';
import { splitArgs } from './args.js';
import type { CommandContext, CommandDeps } from './context.js';
import { echo } from './watch.js';

/**
 * `/wirewatch status` and `/wirewatch resume`: destinations the relay paused after a permanent
 * delivery error (channel gone, bot removed, token revoked). Their alerts wait in the outbox; a
 * resume lets them go out again, within the staleness cutoff and the per-run flood cap.
 */

function pausesOf(deps: CommandDeps): DestinationPauses {
  if (!deps.pauses) throw new AppError('bad_input', 'this store keeps no destination pauses');
  return deps.pauses;
}

const since = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export async function statusReply(deps: CommandDeps): Promise<Reply> {
  const paused = await pausesOf(deps).pausedDestinations();
  if (paused.length === 0) return reply([heading('wirewatch status'), line(text('No destination is paused: alerts go out to every channel.'))], true);
  const blocks: ReplyBlock[] = [heading(`${paused.length} paused ${paused.length === 1 ? 'destination' : 'destinations'}`)];
  for (const pause of paused) blocks.push(line(strong(pause.destinationId), text(` — ${pause.reason}, since ${since(pause.pausedAt)}`)));
  blocks.push(
    line(
      text('Their alerts wait. Fix the channel or the token (invite the app, unarchive, grant access), then '),
      code('/wirewatch resume DESTINATION'),
      text('; alerts older than the staleness cutoff are dropped then, not posted late.'),
    ),
  );
  return reply(blocks, true);
}

export async function resumeReply(args: string, context: CommandContext, deps: CommandDeps): Promise<Reply> {
  if (!context.user.canConfigure) throw new AppError('forbidden', 'Only channel managers can resume a destination. Nothing was changed.');
  const words = splitArgs(args.slice(0, 400));
  if (words.length > 1) throw new AppError('bad_input', 'resume takes one destination id: /wirewatch resume [DESTINATION]. Nothing was changed.');
  const target = words[0] ?? context.destination.id;
  const pauses = pausesOf(deps);
  if (!(await pauses.resumeDestination(target))) {
    const paused = (await pauses.pausedDestinations()).map((pause) => pause.destinationId);
    const which = paused.length > 0 ? `paused: ${paused.join(', ')}` : 'no destination is paused';
    throw new AppError('bad_input', `"${echo(target)}" is not paused (${which}). Nothing was changed.`);
  }
  return reply(
    [
      line(text('Resumed '), strong(target), text(': its waiting alerts go out with the next delivery run (those older than the staleness cutoff are dropped).')),
      line(text('If the channel still refuses them, it is paused again and '), code('/wirewatch status'), text(' says why.')),
    ],
    true,
  );
}
