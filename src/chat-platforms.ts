/**
 * Composition of the chat platforms (a helper of main.ts, the composition root): with SLACK_* or
 * DISCORD_* set, the bot runs on that platform (both when both are set); otherwise nothing starts
 * and the console stays the only skin. Platforms never import each other: this file joins them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from './config/app-schema.js';
import type { RuntimeEnv } from './config/load.js';
import type { CommandDeps } from './commands/context.js';
import type { Destination } from './core/alert.js';
import type { Notifier, OutboxStore } from './pipeline/ports.js';
import { createDiscordPlatform } from './platforms/discord/index.js';
import { createSlackPlatform } from './platforms/slack/index.js';
import type { Logger } from './shared/logger.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface ChatPlatforms {
  readonly notifiers: readonly Notifier[];
  /** HTTP endpoints the platforms need (POST /slack/events, POST /discord/interactions), served beside /healthz and /metrics. */
  readonly routes: ReadonlyMap<string, Handler>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createChatPlatforms(options: {
  env: RuntimeEnv;
  config: AppConfig;
  destinations: readonly Destination[];
  commandDeps: CommandDeps;
  outbox: OutboxStore;
  logger: Logger;
  /** Connect gateways and sockets (false for `run --once`, and in tests that only use HTTP). */
  connect?: boolean;
}): ChatPlatforms {
  const { env, config } = options;
  const settings = new Map(config.destinations.map((entry) => [entry.id, entry]));
  const platforms: { notifier: Notifier; httpHandler: Handler | null; start(): Promise<void>; stop(): Promise<void> }[] = [];
  const routes = new Map<string, Handler>();
  let stopped = false;
  const common = { destinations: options.destinations, commandDeps: options.commandDeps, outbox: options.outbox, logger: options.logger };
  if (env.slack) {
    const configureUsers = new Map([...settings].map(([id, entry]) => [id, entry.configureUsers]));
    const slack = createSlackPlatform({ ...common, ...env.slack, apiUrl: env.slackApiUrl, configureUsers });
    platforms.push(slack);
    if (slack.httpHandler) routes.set('/slack/events', slack.httpHandler);
  }
  if (env.discord) {
    const configure = new Map([...settings].map(([id, entry]) => [id, { role: entry.configureRole, users: entry.configureUsers }]));
    const mentions = new Map([...settings].map(([id, entry]) => [id, { role: entry.mentionRole, atScore: entry.mentionAtScore }]));
    const discord = createDiscordPlatform({ ...common, ...env.discord, apiUrl: env.discordApiUrl, configure, mentions, gateway: options.connect ?? true });
    platforms.push(discord);
    if (discord.httpHandler) routes.set('/discord/interactions', discord.httpHandler);
  }
  return {
    notifiers: platforms.map((platform) => platform.notifier),
    routes,
    // Side by side: one platform that cannot connect (or retries for minutes) does not keep the other
    // from answering commands, and each failure is logged with its platform's name.
    start: async () => {
      if (options.connect === false) return;
      await Promise.all(
        platforms.map(async (platform) => {
          try {
            await platform.start();
          } catch (error) {
            options.logger.error({ platform: platform.notifier.platform, err: error instanceof Error ? error.message : String(error) }, 'chat platform could not connect: its alerts are still delivered; its commands are not answered');
            return;
          }
          // Stopped while connecting: do not stay connected after the app closed.
          if (stopped) await platform.stop().catch(() => undefined);
        }),
      );
    },
    stop: async () => {
      stopped = true;
      for (const platform of platforms) await platform.stop().catch(() => undefined);
    },
  };
}
