import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReplayGuard } from '../../commands/chat-requests.js';
import type { CommandDeps } from '../../commands/context.js';
import type { Destination } from '../../core/alert.js';
import type { OutboxStore } from '../../pipeline/ports.js';
import type { Logger } from '../../shared/logger.js';
import { DiscordNotifier } from './discord-notifier.js';
import { createDiscordGateway, editOriginal } from './gateway.js';
import { createDiscordHttpHandler } from './http-endpoint.js';
import type { DiscordAnswerDeps } from './interactions.js';
import { createDiscordRest } from './rest.js';
import { discordPublicKey } from './signature.js';

export { DiscordNotifier } from './discord-notifier.js';
export { createDiscordRest } from './rest.js';
export { registerDiscordCommands } from './register.js';

export interface DiscordPlatformOptions {
  readonly token: string;
  readonly publicKey: string | null;
  readonly apiUrl: string | null;
  readonly destinations: readonly Destination[];
  readonly configure: ReadonlyMap<string, { role: string | null; users: readonly string[] }>;
  readonly mentions: ReadonlyMap<string, { role: string | null; atScore: number }>;
  readonly commandDeps: CommandDeps;
  readonly outbox: OutboxStore;
  readonly logger: Logger;
  /** Connect to the gateway for interactions (false when only the HTTP endpoint is used, and in tests). */
  readonly gateway: boolean;
}

export interface DiscordPlatform {
  readonly notifier: DiscordNotifier;
  /** POST /discord/interactions when DISCORD_PUBLIC_KEY is set. */
  readonly httpHandler: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Discord for one bot: the notifier, the gateway for interactions, and the optional HTTP endpoint. */
export function createDiscordPlatform(options: DiscordPlatformOptions): DiscordPlatform {
  const rest = createDiscordRest({ token: options.token, apiUrl: options.apiUrl });
  const replays = new ReplayGuard();
  const answer: DiscordAnswerDeps = {
    destinations: options.destinations,
    commandDeps: options.commandDeps,
    configure: options.configure,
    feedback: options.outbox,
    logger: options.logger,
    now: () => new Date(),
    replays,
  };
  const notifier = new DiscordNotifier({ rest, attempts: options.outbox, mentions: options.mentions, logger: options.logger });
  const httpHandler = options.publicKey
    ? createDiscordHttpHandler({ publicKey: discordPublicKey(options.publicKey), answer, editOriginal: (interaction, message) => editOriginal(rest, interaction, message, options.logger), replays })
    : null;
  const gateway = options.gateway ? createDiscordGateway({ token: options.token, apiUrl: options.apiUrl, rest, answer, logger: options.logger, replays }) : null;
  return {
    notifier,
    httpHandler,
    start: async () => {
      await gateway?.start();
    },
    stop: async () => {
      await gateway?.stop();
    },
  };
}
