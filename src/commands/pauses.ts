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

/** The terminal is the operator's; a chat channel may see and resume only its own destination (other channels, guilds or workspaces are not its business). */
const isOperator = (context: CommandContext): boolean => context.destination.platform === 'console';

export async function statusReply(context: CommandContext, deps: CommandDeps): Promise<Reply> {
  const all = await pausesOf(deps).pausedDestinations();
  if (all.length === 0) return reply([heading('wirewatch status'), line(text('No destination is paused: alerts go out to every channel.'))], true);
  const paused = isOperator(context) ? all : all.filter((pause) => pause.destinationId === context.destination.id);
  const others = all.length - paused.length;
  if (paused.length === 0) {
    return reply([heading('wirewatch status'), line(text(`This channel's alerts go out. ${others} other ${others === 1 ? 'destination is' : 'destinations are'} paused: `), code('wirewatch status'), text(' on the server says which.'))], true);
  }
  const blocks: ReplyBlock[] = [heading(`${paused.length} paused ${paused.length === 1 ? 'destination' : 'destinations'}`)];
  for (const pause of paused) blocks.push(line(strong(pause.destinationId), text(` — ${pause.reason}, since ${since(pause.pausedAt)}`)));
  blocks.push(
    line(
      text('Their alerts wait. Fix the channel or the token (invite the app, unarchive, grant access), then '),
      code(isOperator(context) ? '/wirewatch resume DESTINATION' : '/wirewatch resume'),
      text('; alerts older than the staleness cutoff are dropped then, not posted late.'),
    ),
  );
  if (others > 0) blocks.push(line(text(`${others} other ${others === 1 ? 'destination is' : 'destinations are'} paused too.`)));
  return reply(blocks, true);
}

export async function resumeReply(args: string, context: CommandContext, deps: CommandDeps): Promise<Reply> {
  if (!context.user.canConfigure) throw new AppError('forbidden', 'Only channel managers can resume a destination. Nothing was changed.');
  const words = splitArgs(args.slice(0, 400));
  if (words.length > 1) throw new AppError('bad_input', 'resume takes one destination id: /wirewatch resume [DESTINATION]. Nothing was changed.');
  const target = words[0] ?? context.destination.id;
  if (target !== context.destination.id && !isOperator(context)) {
    throw new AppError(
      'forbidden',
      `From a chat channel only its own destination can be resumed: run /wirewatch resume in that channel, or wirewatch resume ${echo(target)} on the server. Nothing was changed.`,
    );
  }
  const pauses = pausesOf(deps);
  if (!(await pauses.resumeDestination(target))) {
    const paused = (await pauses.pausedDestinations()).map((pause) => pause.destinationId);
    // Only the terminal (the operator's) is told which others are paused.
    const which = !isOperator(context) ? '' : paused.length > 0 ? ` (paused: ${paused.join(', ')})` : ' (no destination is paused)';
    throw new AppError('bad_input', `"${echo(target)}" is not paused${which}. Nothing was changed.`);
  }
  return reply(
    [
      line(text('Resumed '), strong(target), text(': its waiting alerts go out with the next delivery run (those older than the staleness cutoff are dropped).')),
      line(text('If the channel still refuses them, it is paused again and '), code('/wirewatch status'), text(' says why.')),
    ],
    true,
  );
}
