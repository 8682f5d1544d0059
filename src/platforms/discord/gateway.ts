import { Client, GatewayDispatchEvents, GatewayIntentBits, Routes } from 'discord.js';
import { ReplayGuard } from '../../commands/chat-requests.js';
import type { Logger } from '../../shared/logger.js';
import { answerInteraction, type DiscordAnswerDeps, type DiscordInteraction } from './interactions.js';
import { NO_MENTIONS, replyMessage, type DiscordMessage } from './render.js';
import { classifyDiscordError, type DiscordRest } from './rest.js';
import { line, reply, text } from '../../core/reply.js';
import { splitFiles, withoutImages, type DiscordOutgoing } from './attachments.js';

/**
 * Edits the deferred original response. Pictures go as `files[n]` parts; if Discord refuses them
 * (or the upload fails) the text goes alone with a note. A 50035 (Discord refused the rich form)
 * degrades to text instead of leaving the user with "thinking…" forever.
 */
export async function editOriginal(rest: DiscordRest, interaction: DiscordInteraction, outgoing: DiscordOutgoing, logger?: Logger): Promise<void> {
  const route = Routes.webhookMessage(interaction.application_id ?? '', interaction.token ?? '', '@original');
  let message: DiscordMessage = outgoing;
  if (outgoing.files && outgoing.files.length > 0) {
    const { body: { flags: _flags, ...body }, files } = splitFiles(outgoing);
    try {
      await rest.patch(route, { body, files, auth: false });
      return;
    } catch (thrown) {
      const failure = classifyDiscordError(thrown);
      if (failure.kind === 'rate-limited' || failure.kind === 'permanent') throw thrown;
      logger?.warn({ platform: 'discord', error: failure.error }, 'Discord refused the chart; editing in the text without it');
      message = withoutImages(outgoing, failure.error);
    }
  }
  const { flags: _flags, ...body } = message;
  try {
    await rest.patch(route, { body, auth: false });
  } catch (thrown) {
    if (classifyDiscordError(thrown).kind !== 'rejected-content') throw thrown;
    const plain = replyMessage(reply([line(text(message.content ?? message.embeds?.[0]?.description ?? '…'))]), { plain: true });
    await rest.patch(route, { body: { content: plain.content, allowed_mentions: NO_MENTIONS }, auth: false });
  }
}

export interface DiscordGatewayOptions {
  readonly token: string;
  readonly apiUrl: string | null;
  readonly rest: DiscordRest;
  readonly answer: DiscordAnswerDeps;
  readonly logger: Logger;
  readonly replays?: ReplayGuard;
}

/**
 * The gateway connection (DISCORD_TOKEN): interactions arrive as raw INTERACTION_CREATE
 * dispatches and go through the same `answerInteraction` as the HTTP endpoint; the initial answer
 * is posted to the interaction callback route and a deferred one edits the original.
 */
export function createDiscordGateway(options: DiscordGatewayOptions): { start(): Promise<void>; stop(): Promise<void> } {
  const replays = options.replays ?? new ReplayGuard();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    rest: options.apiUrl ? { api: options.apiUrl.replace(/\/+$/, '') } : {},
  });
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (raw: unknown) => {
    const interaction = raw as DiscordInteraction;
    void (async () => {
      const answer = await answerInteraction(interaction, options.answer, replays);
      // The first delivery used the interaction's one initial response; Discord refuses another (40060).
      if (answer.replayed) return options.logger.debug({ platform: 'discord', interaction: interaction.id }, 'replayed interaction ignored');
      await options.rest.post(Routes.interactionCallback(interaction.id, interaction.token ?? ''), { body: answer.initial, auth: false });
      if (answer.later) await editOriginal(options.rest, interaction, await answer.later, options.logger);
    })().catch((error: unknown) => options.logger.error({ platform: 'discord', error: error instanceof Error ? error.message : 'unknown' }, 'Discord interaction failed'));
  });
  client.on('error', (error) => options.logger.error({ platform: 'discord', error: error.message }, 'Discord gateway error'));
  return {
    start: async () => {
      await client.login(options.token);
    },
    stop: async () => {
      await client.destroy();
    },
  };
}
