import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Discord sets no freshness window for X-Signature-Timestamp; ours is 5 minutes (reliability.md §4). */
export const DISCORD_MAX_SKEW_SECONDS = 300;

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key (64 hex characters, as the developer portal shows it). */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('DISCORD_PUBLIC_KEY must be 64 hexadecimal characters');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * Ed25519 over `timestamp + raw body` (the bytes received, never a re-serialisation). Any malformed
 * input is false, never a throw: Discord probes endpoints with bad signatures and expects 401.
 */
export function verifyDiscordSignature(
  request: { signature: string | undefined; timestamp: string | undefined; body: Buffer },
  key: KeyObject,
  nowMs: number,
): boolean {
  const { signature, timestamp, body } = request;
  if (!signature || !/^[0-9a-fA-F]{128}$/.test(signature)) return false;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > DISCORD_MAX_SKEW_SECONDS) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
}
