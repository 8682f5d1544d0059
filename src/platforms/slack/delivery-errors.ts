import { webApi } from '@slack/bolt';

/**
 * What a failed Slack call means for delivery. `posted` says whether the message may exist anyway:
 * only a transport failure (timeout, reset, 5xx) leaves that open; an `ok: false` answer never posts.
 */
export type SlackFailure =
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly error: string }
  | { readonly kind: 'permanent'; readonly error: string }
  | { readonly kind: 'rejected-content'; readonly error: string }
  | { readonly kind: 'transient'; readonly error: string; readonly mayHavePosted: boolean };

/** The channel or the token is unusable until a person acts: pause the destination and say so. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'team_access_not_granted',
  'ekm_access_denied',
  'org_login_required',
  'channel_is_archived',
]);

/** Slack refused the rendering, not the channel: one plain-text retry, then park the alert. */
const CONTENT = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'msg_blocks_too_long', 'too_many_attachments', 'invalid_attachments', 'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large', 'metadata_must_be_sent_from_app', 'invalid_arguments']);

export function classifySlackError(thrown: unknown): SlackFailure {
  if (thrown instanceof webApi.WebAPIRateLimitedError || (thrown instanceof Error && 'code' in thrown && thrown.code === webApi.ErrorCode.RateLimitedError)) {
    const seconds = Number((thrown as { retryAfter?: unknown }).retryAfter);
    return { kind: 'rate-limited', retryAfterMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000, error: 'rate limited' };
  }
  if (thrown instanceof webApi.WebAPIPlatformError) {
    const code = String(thrown.data.error);
    if (code === 'ratelimited' || code === 'rate_limited') return { kind: 'rate-limited', retryAfterMs: 1000, error: code };
    if (PERMANENT.has(code)) return { kind: 'permanent', error: code };
    if (CONTENT.has(code)) return { kind: 'rejected-content', error: code };
    return { kind: 'transient', error: code, mayHavePosted: false };
  }
  if (thrown instanceof webApi.WebAPIHTTPError) {
    return { kind: 'transient', error: `HTTP ${thrown.statusCode}`, mayHavePosted: thrown.statusCode >= 500 };
  }
  // Request errors (timeouts, resets) carry no response: the message may or may not exist.
  const name = thrown instanceof Error ? thrown.name : 'error';
  return { kind: 'transient', error: `request failed (${name})`, mayHavePosted: true };
}
