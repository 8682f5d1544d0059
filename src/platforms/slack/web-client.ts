import { LogLevel, webApi } from '@slack/bolt';
import type { Logger } from '../../shared/logger.js';

export type SlackWebClient = webApi.WebClient;

export interface SlackClientOptions {
  readonly token: string;
  /** WIREWATCH_SLACK_API_URL, e.g. a proxy or a test server; default https://slack.com/api/. */
  readonly apiUrl: string | null;
  readonly logger: Logger;
  /** Per-attempt deadline: the WebClient default is none, so a hung request would hold a channel forever. */
  readonly timeoutMs?: number;
  /**
   * Retries inside the client. Posting uses 0: Slack has no idempotency key, so the outbox relay is the
   * one retry loop, and it checks history before re-sending an in-doubt alert. Reads may use a few.
   */
  readonly retries?: number;
}

type SlackLogger = ConstructorParameters<typeof webApi.WebClient>[1] extends infer O ? (O extends { logger?: infer L } ? NonNullable<L> : never) : never;

/** The SDK's own log lines go through ours at warn level and above, as plain messages (never objects that may hold requests). */
function sdkLogger(logger: Logger): SlackLogger {
  const text = (parts: unknown[]): string => parts.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : '')).join(' ').slice(0, 500);
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...parts: unknown[]) => logger.warn({ sdk: 'slack' }, text(parts)),
    error: (...parts: unknown[]) => logger.error({ sdk: 'slack' }, text(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * A WebClient configured for an unattended bot (reliability.md §2.1, §4): a per-attempt timeout,
 * bounded retries, and `rejectRateLimitedCalls` so a 429 comes back to us as an error with its
 * Retry-After instead of pausing the client's whole queue: we then hold only that channel.
 * (web-api 8 no longer attaches the transport's request, headers included, to errors.)
 */
export function createSlackWebClient(options: SlackClientOptions): SlackWebClient {
  const retries = options.retries ?? 0;
  return new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl ?? undefined,
    timeout: options.timeoutMs ?? 15_000,
    retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 5_000, randomize: true },
    rejectRateLimitedCalls: true,
    maxRequestConcurrency: 20,
    // A method name can never redirect the token to another host.
    allowAbsoluteUrls: false,
    logger: sdkLogger(options.logger),
    logLevel: LogLevel.WARN,
  });
}
