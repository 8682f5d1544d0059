import { DiscordAPIError, HTTPError, RateLimitError, REST } from 'discord.js';

export type DiscordRest = REST;

export interface DiscordRestOptions {
  readonly token: string;
  /** WIREWATCH_DISCORD_API_URL (base without version, like https://discord.com/api); null for Discord. */
  readonly apiUrl: string | null;
  readonly timeoutMs?: number;
}

/**
 * @discordjs/rest configured for a bot that must not get its IP banned (reliability.md §2.2, §4):
 * 25 requests/s app-wide (half Discord's 50), buckets read from headers, and a wait on a channel's
 * bucket or a 429 thrown back to us (rejectOnRateLimit) so only that channel's alert is rescheduled
 * while the others go on. Retries after 5xx/timeouts re-send the same body, and alert bodies carry
 * a nonce with enforce_nonce, so a retry never creates a second message.
 */
export function createDiscordRest(options: DiscordRestOptions): DiscordRest {
  return new REST({
    ...(options.apiUrl ? { api: options.apiUrl.replace(/\/+$/, '') } : {}),
    version: '10',
    globalRequestsPerSecond: 25,
    rejectOnRateLimit: (data) => data.route.startsWith('/channels'),
    retries: 2,
    timeout: options.timeoutMs ?? 15_000,
    invalidRequestWarningInterval: 500,
  }).setToken(options.token);
}

export type DiscordFailure =
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly error: string }
  | { readonly kind: 'permanent'; readonly error: string }
  | { readonly kind: 'rejected-content'; readonly error: string }
  | { readonly kind: 'transient'; readonly error: string };

/** Unknown Channel, Missing Access, Missing Permissions, Unknown Webhook, and a bad token: a person must act. */
const PERMANENT_CODES = new Set([10003, 50001, 50013, 10015, 50007, 40001]);

export function classifyDiscordError(thrown: unknown): DiscordFailure {
  if (thrown instanceof RateLimitError) {
    return { kind: 'rate-limited', retryAfterMs: Math.max(thrown.retryAfter, 250), error: `rate limited (${thrown.scope})` };
  }
  if (thrown instanceof DiscordAPIError) {
    const code = typeof thrown.code === 'number' ? thrown.code : Number(thrown.code);
    if (PERMANENT_CODES.has(code) || thrown.status === 401 || thrown.status === 403) return { kind: 'permanent', error: `Discord ${thrown.status} code ${code}` };
    if (code === 50035 || thrown.status === 400) return { kind: 'rejected-content', error: `Discord ${thrown.status} code ${code}` };
    if (thrown.status === 404) return { kind: 'permanent', error: `Discord 404 code ${code}` };
    return { kind: 'transient', error: `Discord ${thrown.status} code ${code}` };
  }
  if (thrown instanceof HTTPError) return { kind: 'transient', error: `Discord HTTP ${thrown.status}` };
  return { kind: 'transient', error: `request failed (${thrown instanceof Error ? thrown.name : 'error'})` };
}
