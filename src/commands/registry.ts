import { AppError, toAppError } from '../core/errors.js';
import { code, heading, line, reply, text, type Reply } from '../core/reply.js';
import type { CommandContext, CommandDefinition, CommandDeps } from './context.js';
import { digestCommand } from './digest.js';
import { explainCommand } from './explain.js';
import { feedsCommand } from './feeds.js';
import { resumeReply, statusReply } from './pauses.js';
import { timelineCommand } from './timeline.js';
import { watchCommand } from './watch.js';

const MAX_INPUT = 4_000;

const helpCommand: CommandDefinition = {
  name: 'help',
  usage: '/help',
  summary: 'what wirewatch can do',
  async run() {
    return reply(
      [
        heading('wirewatch commands'),
        ...COMMANDS.map((command) => line(code(command.usage), text(` — ${command.summary}`))),
      ],
      true,
    );
  },
};

/** `/wirewatch` alone is the help; `status` and `resume` are about destinations paused by a delivery error. */
const wirewatchCommand: CommandDefinition = {
  name: 'wirewatch',
  usage: '/wirewatch [status | resume [DESTINATION]]',
  summary: 'this help; status: destinations paused by a delivery error; resume: deliver to one again (channel managers)',
  async run(args, context, deps) {
    const trimmed = args.trim();
    const space = trimmed.search(/\s/);
    const sub = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
    const rest = space < 0 ? '' : trimmed.slice(space + 1);
    if (sub === '' || sub === 'help') return helpCommand.run(rest, context, deps);
    if (sub === 'status') return statusReply(context, deps);
    if (sub === 'resume') return resumeReply(rest, context, deps);
    throw new AppError('bad_input', `unknown subcommand "${sub.slice(0, 30)}": try /wirewatch status or /wirewatch resume [DESTINATION]`);
  },
};

const COMMANDS: readonly CommandDefinition[] = [timelineCommand, digestCommand, watchCommand, explainCommand, feedsCommand, wirewatchCommand, helpCommand];

export function listCommands(): readonly CommandDefinition[] {
  return COMMANDS;
}

/** A command failed in a way the user should read (bad input, no permission): never a stack trace. */
export function errorReply(error: AppError): Reply {
  const message = error.code === 'internal' || error.code === 'storage_error' ? 'Something went wrong on our side; it has been logged.' : error.message;
  return reply([line(text(`⚠ ${message}`))], true);
}

/**
 * Runs "/name args" (or "name args") for a destination. Platform skins call this and render the
 * Reply their own way; every failure comes back as a readable Reply.
 */
export async function runCommand(input: string, context: CommandContext, deps: CommandDeps): Promise<{ reply: Reply; error: AppError | null }> {
  const trimmed = input.slice(0, MAX_INPUT).trim().replace(/^\//, '');
  const space = trimmed.search(/\s/);
  const name = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const args = space < 0 ? '' : trimmed.slice(space + 1);
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    const error = new AppError('bad_input', `unknown command "/${name.slice(0, 30)}": try /help`);
    return { reply: errorReply(error), error };
  }
  try {
    return { reply: await command.run(args, context, deps), error: null };
  } catch (thrown) {
    const error = toAppError(thrown);
    return { reply: errorReply(error), error };
  }
}
