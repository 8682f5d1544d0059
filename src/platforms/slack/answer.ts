import { actionCommand, parseActionToken } from '../../commands/alert-actions.js';
import { isConfigurationCommand } from '../../commands/chat-requests.js';
import type { CommandDeps } from '../../commands/context.js';
import { runCommand } from '../../commands/registry.js';
import type { Destination } from '../../core/alert.js';
import { line, reply, text, type Reply } from '../../core/reply.js';
import type { OutboxStore } from '../../pipeline/ports.js';
import type { Logger } from '../../shared/logger.js';

/** Everything a Slack command or button needs, the same for HTTP mode and Socket Mode. */
export interface SlackAnswerDeps {
  readonly destinations: readonly Destination[];
  readonly commandDeps: CommandDeps;
  /** Slack user ids allowed to configure, per destination id (besides workspace admins and owners). */
  readonly configureUsers: ReadonlyMap<string, readonly string[]>;
  /** Whether a user is a workspace admin or owner (users.info); false when unknown. */
  readonly isWorkspaceAdmin: (userId: string) => Promise<boolean>;
  readonly feedback: Pick<OutboxStore, 'recordFeedback'>;
  readonly logger: Logger;
  readonly now: () => Date;
}

export interface SlackCommandPayload {
  readonly command: string;
  readonly text: string;
  readonly user_id: string;
  readonly user_name?: string;
  readonly channel_id: string;
}

export interface SlackActionPayload {
  readonly user: { readonly id: string; readonly name?: string; readonly username?: string };
  readonly channel?: { readonly id: string };
  readonly actions: readonly { readonly action_id?: string; readonly value?: string }[];
}

const REFUSAL = 'Only workspace admins and the users this channel names can change what it watches or resume its alerts. Nothing was changed.';

function destinationFor(deps: SlackAnswerDeps, channel: string): Destination | null {
  return deps.destinations.find((destination) => destination.platform === 'slack' && destination.channel === channel) ?? null;
}

async function canConfigure(deps: SlackAnswerDeps, destination: Destination, userId: string): Promise<boolean> {
  if (deps.configureUsers.get(destination.id)?.includes(userId)) return true;
  try {
    return await deps.isWorkspaceAdmin(userId);
  } catch {
    return false;
  }
}

/**
 * Runs one command line for a Slack user in a channel. Configuration commands are refused here,
 * server-side, before they run, unless the user may configure (Slack itself lets every member run
 * every slash command).
 */
async function answerLine(input: string, channel: string, user: { id: string; name: string }, deps: SlackAnswerDeps): Promise<Reply> {
  const destination = destinationFor(deps, channel);
  const name = input.trim().replace(/^\//, '').split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!destination) {
    if (name === 'wirewatch' || name === 'help') {
      return reply([line(text('wirewatch does not post in this channel yet: add it under destinations in config/wirewatch.yaml, then /invite the app here.'))], true);
    }
    return reply([line(text('This channel is not a wirewatch destination. Add it under destinations in config/wirewatch.yaml first.'))], true);
  }
  const configuring = isConfigurationCommand(input);
  const allowed = configuring ? await canConfigure(deps, destination, user.id) : false;
  if (configuring && !allowed) return reply([line(text(REFUSAL))], true);
  const context = { destination, user: { id: user.id, name: user.name, canConfigure: allowed }, now: deps.now() };
  const { reply: answer, error } = await runCommand(input, context, deps.commandDeps);
  if (error && (error.code === 'internal' || error.code === 'storage_error')) {
    deps.logger.error({ platform: 'slack', code: error.code, message: error.message }, 'command failed');
  }
  return answer;
}

/** `/timeline socar` → "timeline socar"; `/wirewatch` alone is the help, `/wirewatch status` and `resume` its subcommands. */
export function answerSlashCommand(payload: SlackCommandPayload, deps: SlackAnswerDeps): Promise<Reply> {
  const name = payload.command.replace(/^\//, '').toLowerCase();
  const input = `${name} ${payload.text ?? ''}`;
  return answerLine(input, payload.channel_id, { id: payload.user_id, name: payload.user_name ?? payload.user_id }, deps);
}

/** A button under an alert: feedback is stored; Timeline and Mute run as commands. */
export async function answerBlockAction(payload: SlackActionPayload, deps: SlackAnswerDeps): Promise<Reply | null> {
  const token = payload.actions[0]?.value ?? '';
  const action = parseActionToken(token);
  const channel = payload.channel?.id ?? '';
  if (!action) return null;
  if (action.kind === 'up' || action.kind === 'down') {
    await deps.feedback.recordFeedback?.({ outboxId: action.outboxId, platform: 'slack', userId: payload.user.id, vote: action.kind === 'up' ? 1 : -1, at: deps.now() });
    return reply([line(text(action.kind === 'up' ? 'Thanks: more like this. 👍' : 'Thanks: fewer like this. 👎'))], true);
  }
  const command = actionCommand(action);
  if (!command) return null;
  const name = payload.user.username ?? payload.user.name ?? payload.user.id;
  // A button answers only the person who pressed it.
  return { ...(await answerLine(command, channel, { id: payload.user.id, name }, deps)), ephemeral: true };
}
