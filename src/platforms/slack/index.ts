import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReplayGuard } from '../../commands/chat-requests.js';
import type { CommandDeps } from '../../commands/context.js';
import type { Destination } from '../../core/alert.js';
import type { OutboxStore } from '../../pipeline/ports.js';
import type { Logger } from '../../shared/logger.js';
import type { SlackAnswerDeps } from './answer.js';
import { createSlackHttpHandler } from './http-endpoint.js';
import { SlackNotifier } from './slack-notifier.js';
import { createSlackSocketApp } from './socket-mode.js';
import { createImageSharer } from './share-images.js';
import { createSlackWebClient } from './web-client.js';

export { SlackNotifier } from './slack-notifier.js';
export { createSlackWebClient } from './web-client.js';
export { createSlackHttpHandler } from './http-endpoint.js';

export interface SlackPlatformOptions {
  readonly botToken: string;
  readonly appToken: string | null;
  readonly signingSecret: string | null;
  readonly apiUrl: string | null;
  readonly destinations: readonly Destination[];
  readonly configureUsers: ReadonlyMap<string, readonly string[]>;
  readonly commandDeps: CommandDeps;
  readonly outbox: OutboxStore;
  readonly logger: Logger;
}

export interface SlackPlatform {
  readonly notifier: SlackNotifier;
  /** POST /slack/events, in HTTP mode (SLACK_SIGNING_SECRET) only. */
  readonly httpHandler: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Hooks URLs only: a response_url is where a command's answer goes, so nothing else may receive it. */
function responseUrlAllowed(apiUrl: string | null): (url: string) => boolean {
  const apiOrigin = apiUrl ? new URL(apiUrl).origin : null;
  return (url) => {
    try {
      const parsed = new URL(url);
      return (parsed.protocol === 'https:' && parsed.hostname === 'hooks.slack.com') || parsed.origin === apiOrigin;
    } catch {
      return false;
    }
  };
}

async function postResponse(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`response_url answered HTTP ${response.status}`);
}

/** Slack for one workspace: the notifier, and Socket Mode or the HTTP endpoint for commands. */
export function createSlackPlatform(options: SlackPlatformOptions): SlackPlatform {
  const client = createSlackWebClient({ token: options.botToken, apiUrl: options.apiUrl, logger: options.logger, retries: 0 });
  const reader = createSlackWebClient({ token: options.botToken, apiUrl: options.apiUrl, logger: options.logger, retries: 2 });
  const admins = new Map<string, { admin: boolean; until: number }>();
  const answer: SlackAnswerDeps = {
    destinations: options.destinations,
    commandDeps: options.commandDeps,
    configureUsers: options.configureUsers,
    isWorkspaceAdmin: async (userId) => {
      const cached = admins.get(userId);
      if (cached && cached.until > Date.now()) return cached.admin;
      const result = await reader.users.info({ user: userId });
      const admin = result.user?.is_admin === true || result.user?.is_owner === true;
      admins.set(userId, { admin, until: Date.now() + 5 * 60_000 });
      return admin;
    },
    feedback: options.outbox,
    logger: options.logger,
    now: () => new Date(),
  };
  const shareImages = createImageSharer(client);
  const notifier = new SlackNotifier({ client, reader, attempts: options.outbox, logger: options.logger, shareImages });
  const replays = new ReplayGuard();
  const socket = options.appToken
    ? createSlackSocketApp({ botToken: options.botToken, appToken: options.appToken, apiUrl: options.apiUrl, answer, logger: options.logger, replays, shareImages })
    : null;
  const httpHandler = options.signingSecret
    ? createSlackHttpHandler({ signingSecret: options.signingSecret, answer, respond: postResponse, responseUrlAllowed: responseUrlAllowed(options.apiUrl), replays, shareImages })
    : null;
  return {
    notifier,
    httpHandler,
    start: async () => {
      await socket?.start();
    },
    stop: async () => {
      await socket?.stop();
    },
  };
}
