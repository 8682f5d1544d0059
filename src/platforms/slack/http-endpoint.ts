import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReplayGuard, settleWithin } from '../../commands/chat-requests.js';
import type { Reply } from '../../core/reply.js';
import { answerBlockAction, answerSlashCommand, type SlackActionPayload, type SlackAnswerDeps, type SlackCommandPayload } from './answer.js';
import { slackReply, type SlackReply } from './render-reply.js';
import { shareReplyImages, type ShareImages } from './share-images.js';
import { verifySlackSignature } from './signature.js';

export interface SlackHttpOptions {
  readonly signingSecret: string;
  readonly answer: SlackAnswerDeps;
  /** Posts a follow-up to a response_url (already checked against `responseUrlAllowed`). */
  readonly respond: (url: string, body: SlackReply & { replace_original?: boolean }) => Promise<void>;
  /** Only Slack's own hooks host (or the configured API host, for proxies and tests) gets follow-ups. */
  readonly responseUrlAllowed: (url: string) => boolean;
  readonly now?: () => number;
  /** Answer inline when the command finishes this fast; otherwise ack and follow up (Slack's deadline is 3 s). */
  readonly inlineWithinMs?: number;
  readonly replays?: ReplayGuard;
  /** Shares a command answer's pictures (a /timeline --chart) into the channel after its text. */
  readonly shareImages?: ShareImages;
}

const MAX_BODY = 256 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: unknown = null): void {
  if (body === null) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * POST /slack/events in HTTP mode: the raw body is verified first (401 on any doubt, before
 * anything is parsed or done), replays are acked without effect, and every command is acked within
 * Slack's 3 s: inline when it is quick, else "working on it" now and the answer via response_url.
 */
export function createSlackHttpHandler(options: SlackHttpOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const now = options.now ?? Date.now;
  const replays = options.replays ?? new ReplayGuard();
  const logger = options.answer.logger;

  const failed = (error: unknown): void => logger.error({ platform: 'slack', error: error instanceof Error ? error.message : 'unknown' }, 'Slack follow-up failed');

  /** Pictures go after the text (a failed upload leaves the text and adds a note for the asker). */
  const attach = async (channel: string, url: string | undefined, result: Reply): Promise<void> => {
    const outcome = await shareReplyImages(options.shareImages, channel, result, async (text) => {
      if (url && options.responseUrlAllowed(url)) await options.respond(url, { response_type: 'ephemeral', text, replace_original: false });
    });
    if (outcome?.kind === 'failed') logger.warn({ platform: 'slack', error: outcome.error }, 'Slack chart upload failed; the answer went without it');
  };

  const followUp = (url: string | undefined, answer: Promise<Reply | null>, channel: string): void => {
    void answer
      .then(async (result) => {
        if (!result || !url) return;
        if (!options.responseUrlAllowed(url)) {
          logger.warn({ platform: 'slack' }, 'response_url is not a Slack hooks URL; follow-up dropped');
          return;
        }
        try {
          await options.respond(url, { ...slackReply(result), replace_original: false });
        } catch {
          // A rejected rich reply degrades to text rather than vanishing.
          await options.respond(url, { ...slackReply(result, { plain: true }), replace_original: false });
        }
        await attach(channel, url, result);
      })
      .catch(failed);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST') return send(response, 405);
    const body = await readBody(request);
    if (body === null) return send(response, 413);
    const signed = { timestamp: header(request, 'x-slack-request-timestamp'), signature: header(request, 'x-slack-signature'), body };
    if (!verifySlackSignature(signed, options.signingSecret, now())) return send(response, 401, { error: 'invalid signature' });

    const type = header(request, 'content-type') ?? '';
    if (type.startsWith('application/json')) {
      const envelope = JSON.parse(body.toString('utf8')) as { type?: string; challenge?: string; event_id?: string };
      if (envelope.type === 'url_verification') return send(response, 200, { challenge: String(envelope.challenge ?? '') });
      // We subscribe to no events yet; ack so Slack does not retry or disable the subscription.
      if (envelope.event_id) replays.firstTime(`event:${envelope.event_id}`);
      return send(response, 200);
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const payloadText = form.get('payload');
    if (payloadText) {
      const payload = JSON.parse(payloadText) as SlackActionPayload & { type?: string; trigger_id?: string; response_url?: string; actions?: { action_ts?: string }[] };
      const id = payload.trigger_id ?? payload.actions?.[0]?.action_ts ?? '';
      send(response, 200);
      if (payload.type !== 'block_actions' || !replays.firstTime(`action:${payload.user?.id}:${id}`)) return;
      followUp(payload.response_url, answerBlockAction(payload, options.answer), payload.channel?.id ?? '');
      return;
    }
    const command = form.get('command');
    if (!command) return send(response, 400, { error: 'unsupported request' });
    const trigger = form.get('trigger_id') ?? `${form.get('user_id')}:${header(request, 'x-slack-request-timestamp')}:${form.get('text')}`;
    if (!replays.firstTime(`command:${trigger}`)) return send(response, 200);
    const payload: SlackCommandPayload = {
      command,
      text: form.get('text') ?? '',
      user_id: form.get('user_id') ?? '',
      user_name: form.get('user_name') ?? undefined,
      channel_id: form.get('channel_id') ?? '',
    };
    const settled = await settleWithin(answerSlashCommand(payload, options.answer), options.inlineWithinMs ?? 2_000);
    const responseUrl = form.get('response_url') ?? undefined;
    if (settled.done) {
      send(response, 200, slackReply(settled.value));
      void attach(payload.channel_id, responseUrl, settled.value).catch(failed);
      return;
    }
    send(response, 200, { response_type: 'ephemeral', text: 'Working on it…' });
    followUp(responseUrl, settled.later, payload.channel_id);
  };
  return async (request, response) => {
    try {
      await handle(request, response);
    } catch (error) {
      logger.error({ platform: 'slack', error: error instanceof Error ? error.message : 'unknown' }, 'Slack request failed');
      if (!response.headersSent) send(response, 400, { error: 'bad request' });
    }
  };
}
