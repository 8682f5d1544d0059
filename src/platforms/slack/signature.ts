import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's window for X-Slack-Request-Timestamp, both directions (bolt-js only checks the past). */
export const SLACK_MAX_SKEW_SECONDS = 300;

export interface SlackSignedRequest {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  /** The raw bytes as received: never a re-serialisation of the parsed body. */
  readonly body: Buffer;
}

/**
 * "Verifying requests from Slack": HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing
 * secret. Every malformed input (missing header, non-numeric or stale timestamp, other version,
 * wrong length) is simply false: never a throw, so never a 500.
 */
export function verifySlackSignature(request: SlackSignedRequest, secret: string, nowMs: number): boolean {
  const { timestamp, signature, body } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) return false;
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
