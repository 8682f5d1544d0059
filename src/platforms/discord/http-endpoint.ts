import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReplayGuard } from '../../commands/chat-requests.js';
import { answerInteraction, type DiscordAnswerDeps, type DiscordInteraction } from './interactions.js';
import type { DiscordOutgoing } from './attachments.js';
import { verifyDiscordSignature } from './signature.js';

export interface DiscordHttpOptions {
  readonly publicKey: KeyObject;
  readonly answer: DiscordAnswerDeps;
  /** Puts a deferred answer in place (PATCH …/messages/@original, pictures as multipart parts); falls back to plain text itself. */
  readonly editOriginal: (interaction: DiscordInteraction, message: DiscordOutgoing) => Promise<void>;
  readonly now?: () => number;
  readonly replays?: ReplayGuard;
}

const MAX_BODY = 256 * 1024;

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * POST /discord/interactions: Ed25519 over the raw bytes first (401 on any doubt: Discord probes
 * with bad signatures and removes endpoints that accept them), then PING → {"type":1}, and every
 * command answered or deferred within the 3 s window.
 */
export function createDiscordHttpHandler(options: DiscordHttpOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const now = options.now ?? Date.now;
  const replays = options.replays ?? new ReplayGuard();
  const logger = options.answer.logger;
  return async (request, response) => {
    try {
      if (request.method !== 'POST') return send(response, 405, { error: 'method not allowed' });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) return send(response, 413, { error: 'too large' });
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks);
      const signed = { signature: header(request, 'x-signature-ed25519'), timestamp: header(request, 'x-signature-timestamp'), body };
      if (!verifyDiscordSignature(signed, options.publicKey, now())) return send(response, 401, { error: 'invalid request signature' });
      const interaction = JSON.parse(body.toString('utf8')) as DiscordInteraction;
      const answer = await answerInteraction(interaction, options.answer, replays);
      send(response, 200, answer.initial);
      if (answer.later) {
        void answer.later
          .then((message) => options.editOriginal(interaction, message))
          .catch((error: unknown) => logger.error({ platform: 'discord', error: error instanceof Error ? error.message : 'unknown' }, 'Discord follow-up failed'));
      }
    } catch (error) {
      logger.error({ platform: 'discord', error: error instanceof Error ? error.message : 'unknown' }, 'Discord interaction failed');
      if (!response.headersSent) send(response, 400, { error: 'bad request' });
    }
  };
}
