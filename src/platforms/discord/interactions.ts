import { actionCommand, parseActionToken } from '../../commands/alert-actions.js';
import type { ReplayGuard} from '../../commands/chat-requests.js';
import { isConfigurationCommand, settleWithin } from '../../commands/chat-requests.js';
import type { CommandDeps } from '../../commands/context.js';
import { runCommand } from '../../commands/registry.js';
import type { Destination } from '../../core/alert.js';
import { line, reply, text, type Reply } from '../../core/reply.js';
import type { OutboxStore } from '../../pipeline/ports.js';
import type { Logger } from '../../shared/logger.js';
import { withImages, type DiscordOutgoing } from './attachments.js';
import { commandLine } from './command-definitions.js';
import { EPHEMERAL, NO_MENTIONS, replyMessage } from './render.js';

/** The parts of an interaction payload we read (discord-api-docs, "Interaction Object"). */
export interface DiscordInteraction {
  readonly id: string;
  readonly type: number;
  readonly token?: string;
  readonly application_id?: string;
  readonly channel_id?: string;
  readonly guild_id?: string;
  readonly member?: { readonly user?: { readonly id: string; readonly username?: string }; readonly roles?: readonly string[]; readonly permissions?: string };
  readonly user?: { readonly id: string; readonly username?: string };
  readonly data?: {
    readonly name?: string;
    readonly custom_id?: string;
    readonly options?: readonly { name: string; value?: string | number | boolean; focused?: boolean }[];
  };
}

export interface DiscordAnswerDeps {
  readonly destinations: readonly Destination[];
  readonly commandDeps: CommandDeps;
  /** Per destination id: the role that may configure, and user ids that may. */
  readonly configure: ReadonlyMap<string, { role: string | null; users: readonly string[] }>;
  readonly feedback: Pick<OutboxStore, 'recordFeedback'>;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly replays?: ReplayGuard;
  /** Answer in the first response when this fast; otherwise defer (type 5) and edit the original. */
  readonly inlineWithinMs?: number;
}

/** What to answer now (the 3-second initial response) and, when deferred, the message to put in later. */
export interface InteractionAnswer {
  readonly initial: { type: number; data?: unknown };
  readonly later: Promise<DiscordOutgoing> | null;
  /** An id already handled: over HTTP `initial` still answers the request; the gateway sends nothing (see gateway.ts). */
  readonly replayed?: true;
}

const ADMINISTRATOR = 1n << 3n;
const MANAGE_CHANNELS = 1n << 4n;
const MANAGE_GUILD = 1n << 5n;
const REFUSAL = 'Only members with Manage Channels (or the role this channel names) can change what it watches or resume its alerts. Nothing was changed.';

/**
 * Server-side check on every configuration command: `member.permissions` is what Discord computed
 * for this member in this channel; default_member_permissions on the command is only a default.
 */
export function memberCanConfigure(interaction: DiscordInteraction, rule: { role: string | null; users: readonly string[] } | undefined): boolean {
  const member = interaction.member;
  if (!member || !interaction.guild_id) return false;
  const userId = member.user?.id ?? '';
  if (rule?.users.includes(userId)) return true;
  if (rule?.role && member.roles?.includes(rule.role)) return true;
  let permissions = 0n;
  try {
    permissions = BigInt(member.permissions ?? '0');
  } catch {
    return false;
  }
  return (permissions & (ADMINISTRATOR | MANAGE_CHANNELS | MANAGE_GUILD)) !== 0n;
}

function ephemeralText(message: string): InteractionAnswer {
  return { initial: { type: 4, data: { content: message, flags: EPHEMERAL, allowed_mentions: NO_MENTIONS } }, later: null };
}

async function answerLine(input: string, interaction: DiscordInteraction, deps: DiscordAnswerDeps): Promise<Reply> {
  const destination = deps.destinations.find((candidate) => candidate.platform === 'discord' && candidate.channel === interaction.channel_id);
  if (!destination) return reply([line(text('This channel is not a wirewatch destination. Add it under destinations in config/wirewatch.yaml first.'))], true);
  const configuring = isConfigurationCommand(input);
  const allowed = configuring && memberCanConfigure(interaction, deps.configure.get(destination.id));
  if (configuring && !allowed) return reply([line(text(REFUSAL))], true);
  const user = interaction.member?.user ?? interaction.user ?? { id: 'unknown' };
  const context = { destination, user: { id: user.id, name: user.username ?? user.id, canConfigure: allowed }, now: deps.now() };
  const { reply: answer, error } = await runCommand(input, context, deps.commandDeps);
  if (error && (error.code === 'internal' || error.code === 'storage_error')) deps.logger.error({ platform: 'discord', code: error.code, message: error.message }, 'command failed');
  return answer;
}

const outgoing = (value: Reply): DiscordOutgoing => withImages(replyMessage(value), value);

/**
 * Inline when quick and text only. An answer with pictures is deferred even when quick: the
 * pictures go as multipart parts of the edit of the original, which a JSON answer cannot carry.
 */
async function deferred(work: Promise<Reply>, ephemeralGuess: boolean, deps: DiscordAnswerDeps): Promise<InteractionAnswer> {
  const settled = await settleWithin(work, deps.inlineWithinMs ?? 2_000);
  if (settled.done && (settled.value.images ?? []).length > 0) {
    return { initial: { type: 5, data: settled.value.ephemeral ? { flags: EPHEMERAL } : {} }, later: Promise.resolve(outgoing(settled.value)) };
  }
  if (settled.done) return { initial: { type: 4, data: replyMessage(settled.value) }, later: null };
  return { initial: { type: 5, data: ephemeralGuess ? { flags: EPHEMERAL } : {} }, later: settled.later.then(outgoing) };
}

function autocomplete(interaction: DiscordInteraction, deps: DiscordAnswerDeps): InteractionAnswer {
  const focused = interaction.data?.options?.find((option) => option.focused);
  const typed = String(focused?.value ?? '').trim().toLowerCase().slice(0, 100);
  const labels = new Map<string, string>();
  for (const entity of typed ? deps.commandDeps.scorer.resolveEntities(typed) : []) labels.set(entity.id, entity.label);
  for (const profile of deps.commandDeps.scorer.profiles) {
    for (const entity of profile.entities) {
      if (labels.size >= 25) break;
      if (!typed || entity.label.toLowerCase().includes(typed) || entity.aliases.some((alias) => alias.text.toLowerCase().startsWith(typed))) labels.set(entity.id, entity.label);
    }
  }
  const choices = [...labels.values()].slice(0, 25).map((label) => ({ name: label.slice(0, 100), value: label.slice(0, 100) }));
  return { initial: { type: 8, data: { choices } }, later: null };
}

/**
 * One interaction, from the HTTP endpoint or the gateway: PING, a slash command, a button, or an
 * autocomplete. A replayed interaction id has no effect (the HTTP endpoint answers it with an
 * ephemeral note; the gateway, whose first delivery already answered it, sends nothing).
 */
export async function answerInteraction(interaction: DiscordInteraction, deps: DiscordAnswerDeps, replays: ReplayGuard): Promise<InteractionAnswer> {
  if (interaction.type === 1) return { initial: { type: 1 }, later: null };
  if (interaction.type === 4) return autocomplete(interaction, deps);
  if (!replays.firstTime(`interaction:${interaction.id}`)) return { ...ephemeralText('Already handled.'), replayed: true };
  if (interaction.type === 2) {
    const name = interaction.data?.name ?? '';
    const input = commandLine(name, interaction.data?.options ?? []);
    return deferred(answerLine(input, interaction, deps), name !== 'timeline', deps);
  }
  if (interaction.type === 3) {
    const action = parseActionToken(interaction.data?.custom_id ?? '');
    if (!action) return ephemeralText('This button is no longer supported.');
    if (action.kind === 'up' || action.kind === 'down') {
      const userId = interaction.member?.user?.id ?? interaction.user?.id ?? 'unknown';
      await deps.feedback.recordFeedback?.({ outboxId: action.outboxId, platform: 'discord', userId, vote: action.kind === 'up' ? 1 : -1, at: deps.now() });
      return ephemeralText(action.kind === 'up' ? 'Thanks: more like this. 👍' : 'Thanks: fewer like this. 👎');
    }
    const command = actionCommand(action) ?? 'help';
    return deferred(answerLine(command, interaction, deps).then((answer) => ({ ...answer, ephemeral: true })), true, deps);
  }
  return ephemeralText('Unsupported interaction.');
}
