import { App, LogLevel, type RespondFn } from '@slack/bolt';
import type { Reply } from '../../core/reply.js';
import { ReplayGuard } from '../../commands/chat-requests.js';
import type { Logger } from '../../shared/logger.js';
import { answerBlockAction, answerSlashCommand, type SlackActionPayload, type SlackAnswerDeps } from './answer.js';
import { slackReply } from './render-reply.js';
import { shareReplyImages, type ShareImages } from './share-images.js';

export interface SlackSocketOptions {
  readonly botToken: string;
  readonly appToken: string;
  readonly apiUrl: string | null;
  readonly answer: SlackAnswerDeps;
  readonly logger: Logger;
  readonly replays?: ReplayGuard;
  readonly shareImages?: ShareImages;
}

const COMMANDS = ['/timeline', '/watch', '/feeds', '/digest', '/explain', '/wirewatch'];

/**
 * Socket Mode: Bolt holds the websocket (no public URL needed). Every command is acked at once
 * and answered through `respond` (the response_url); the answers come from the same handlers as
 * HTTP mode, and Socket Mode's replays after a reconnect are dropped by the same replay guard.
 */
/** A reply Slack refuses as blocks (invalid_blocks and the like) goes again as plain text, as on the HTTP endpoint. */
async function respondOrPlain(respond: RespondFn, answer: Reply, extra: { replace_original?: boolean } = {}): Promise<void> {
  try {
    await respond({ ...slackReply(answer), ...extra });
  } catch {
    await respond({ ...slackReply(answer, { plain: true }), ...extra });
  }
}

export function createSlackSocketApp(options: SlackSocketOptions): { start(): Promise<void>; stop(): Promise<void> } {
  const replays = options.replays ?? new ReplayGuard();
  const log = (level: 'warn' | 'error') => (...parts: unknown[]) =>
    options.logger[level]({ sdk: 'slack-socket' }, parts.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : '')).join(' ').slice(0, 300));
  const app = new App({
    appToken: options.appToken,
    socketMode: true,
    // Not `token`: with it Bolt runs auth.test in this constructor and leaves the promise unawaited until
    // the first command, so a refused or rate-limited bot token ended the process (unhandled rejection),
    // and a failure stayed cached. Answers go through response_url and our own clients; nothing needs it.
    authorize: async () => ({ botToken: options.botToken }),
    clientOptions: { slackApiUrl: options.apiUrl ?? undefined, timeout: 15_000, rejectRateLimitedCalls: true, allowAbsoluteUrls: false },
    logLevel: LogLevel.WARN,
    logger: { debug: () => undefined, info: () => undefined, warn: log('warn'), error: log('error'), setLevel: () => undefined, getLevel: () => LogLevel.WARN, setName: () => undefined },
  });
  for (const name of COMMANDS) {
    app.command(name, async ({ command, ack, respond }) => {
      await ack();
      // A redelivered envelope carries the same trigger_id; without one there is nothing to compare.
      if (command.trigger_id && !replays.firstTime(`command:${command.trigger_id}`)) return;
      const answer = await answerSlashCommand(command, options.answer);
      await respondOrPlain(respond, answer);
      const shared = await shareReplyImages(options.shareImages, command.channel_id, answer, async (text) => {
        await respond({ response_type: 'ephemeral', text, replace_original: false });
      });
      if (shared?.kind === 'failed') options.logger.warn({ platform: 'slack', error: shared.error }, 'Slack chart upload failed; the answer went without it');
    });
  }
  app.action(/^ww_/, async ({ body, ack, respond }) => {
    await ack();
    // The press's trigger_id names it (a redelivery repeats it); else its action_ts, as on the HTTP endpoint.
    const press = body.type === 'block_actions' ? (body.trigger_id ?? body.actions[0]?.action_ts) : undefined;
    if (body.type !== 'block_actions' || (press !== undefined && !replays.firstTime(`action:${body.user.id}:${press}`))) return;
    const answer = await answerBlockAction(body as unknown as SlackActionPayload, options.answer);
    if (answer) await respondOrPlain(respond, answer, { replace_original: false });
  });
  return {
    start: async () => {
      await app.start();
    },
    stop: async () => {
      await app.stop();
    },
  };
}
