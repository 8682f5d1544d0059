import { randomUUID } from 'node:crypto';
import { Routes } from 'discord.js';
import type { AlertMessage, Destination } from '../../core/alert.js';
import { DeliveryGate } from '../../core/delivery-gate.js';
import type { Reply } from '../../core/reply.js';
import type { DeliveryResult, Notifier, OutboxStore, StoryFollowUp } from '../../pipeline/ports.js';
import type { Logger } from '../../shared/logger.js';
import { replyNonce, splitFiles, withImages, withoutImages, type DiscordOutgoing } from './attachments.js';
import { alertMessage, alertPlainMessage, followUpMessage, replyMessage } from './render.js';
import { classifyDiscordError, type DiscordRest } from './rest.js';

export interface DiscordNotifierOptions {
  readonly rest: DiscordRest;
  readonly attempts: Pick<OutboxStore, 'beginAttempt' | 'settleAttempt'>;
  /** Role to ping for high-scoring alerts, per destination id. */
  readonly mentions?: ReadonlyMap<string, { role: string | null; atScore: number }>;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** Discord keeps a nonce for "the past few minutes": ≤ 25 characters, unique per outbox row. */
export function nonceFor(deliveryKey: string): string {
  return deliveryKey.replace(/[^\w-]/g, '').slice(0, 25);
}

/**
 * A key the caller keeps stable across re-sends of the same post (e.g. `ww-digest-<dest>-<day>`),
 * when the reply or the destination carries one; the core types do not have it yet.
 */
function stableKey(destination: Destination, reply: Reply): string | null {
  const key = (reply as Reply & { readonly deliveryKey?: unknown }).deliveryKey ?? (destination as Destination & { readonly digestKey?: unknown }).digestKey;
  return typeof key === 'string' && /\w/.test(key) ? key : null;
}

/**
 * Delivers alerts to Discord channels. Every create carries `nonce` + `enforce_nonce`, so a retry
 * of an ambiguous send (timeout, reset, 5xx, a crash before we recorded it) returns the message
 * already made instead of making another. Past the nonce window, an in-doubt row is first looked
 * up in the channel's recent messages by its buttons' outbox id.
 */
export class DiscordNotifier implements Notifier {
  readonly platform = 'discord' as const;
  private readonly gate = new DeliveryGate(0);
  private readonly now: () => number;

  constructor(private readonly options: DiscordNotifierOptions) {
    this.now = options.now ?? Date.now;
  }

  async deliver(alert: AlertMessage): Promise<DeliveryResult> {
    const channel = alert.destination.channel;
    const held = this.gate.heldFor(channel, this.now());
    if (held > 0) return { kind: 'retry', error: 'channel rate limited', retryAfterMs: held };

    const attemptId = randomUUID();
    const begun = (await this.options.attempts.beginAttempt?.(alert.outboxId, attemptId, new Date(this.now()))) ?? { inDoubt: false };
    if (begun.inDoubt) {
      const found = await this.findPosted(alert);
      if (found) return { kind: 'sent', receipt: `${channel}/${found}` };
    }
    const ping = this.options.mentions?.get(alert.destination.id) ?? { role: null, atScore: Infinity };
    const rich = alertMessage(alert.card, alert.outboxId, ping);
    const first = await this.post(alert, attemptId, rich);
    if (first.kind !== 'rejected-content') return first.result;
    this.options.logger.warn({ destination: alert.destination.id, outbox: alert.outboxId, error: first.error }, 'Discord rejected the alert embed; sending plain text');
    const second = await this.post(alert, attemptId, alertPlainMessage(alert.card));
    return second.kind === 'rejected-content' ? { kind: 'permanent', error: `Discord rejected the plain-text alert too: ${second.error}` } : second.result;
  }

  private async post(alert: AlertMessage, attemptId: string, message: DiscordOutgoing): Promise<{ kind: 'done'; result: DeliveryResult } | { kind: 'rejected-content'; error: string }> {
    const channel = alert.destination.channel;
    try {
      const { body, files } = splitFiles(message);
      const request = { body: { ...body, nonce: nonceFor(alert.deliveryKey), enforce_nonce: true }, ...(files ? { files } : {}) };
      const created = (await this.options.rest.post(Routes.channelMessages(channel), request)) as { id?: string };
      return { kind: 'done', result: { kind: 'sent', receipt: `${channel}/${created.id ?? ''}` } };
    } catch (thrown) {
      const failure = classifyDiscordError(thrown);
      // Only a transport failure may have created the message; any answer from Discord means it did not.
      if (failure.kind !== 'transient' && alert.outboxId > 0) await this.options.attempts.settleAttempt?.(alert.outboxId, attemptId);
      switch (failure.kind) {
        case 'rate-limited':
          this.gate.hold(channel, this.now() + failure.retryAfterMs);
          return { kind: 'done', result: { kind: 'retry', error: failure.error, retryAfterMs: failure.retryAfterMs } };
        case 'permanent':
          // The relay pauses the destination in the store (shared by workers, kept across restarts).
          return { kind: 'done', result: { kind: 'unreachable', error: failure.error } };
        case 'rejected-content':
          return { kind: 'rejected-content', error: failure.error };
        case 'transient':
          return { kind: 'done', result: { kind: 'retry', error: failure.error, retryAfterMs: null } };
      }
    }
  }

  /** Later reports of an alerted story, as a reply to the alert (`receipt` is "channel/messageId"); same nonce rules. */
  async followUp(followUp: StoryFollowUp): Promise<DeliveryResult> {
    const messageId = followUp.alertReceipt?.split('/')[1];
    const message = followUpMessage(followUp, messageId || null);
    const alert = { outboxId: 0, deliveryKey: followUp.deliveryKey, destination: followUp.destination } as AlertMessage;
    const outcome = await this.post(alert, 'follow-up', message);
    return outcome.kind === 'done' ? outcome.result : { kind: 'permanent', error: outcome.error };
  }

  /**
   * An unprompted reply (the scheduled digest): a channel message that pings nobody, with a nonce
   * (a stable key when the caller gives one, else a hash of destination and content) and
   * enforce_nonce. Pictures are attached (`files[n]`); if Discord refuses them or the upload
   * fails, the text goes out alone with a note. Held like alerts.
   */
  async postReply(destination: Destination, reply: Reply): Promise<DeliveryResult> {
    const channel = destination.channel;
    const held = this.gate.heldFor(channel, this.now());
    if (held > 0) return { kind: 'retry', error: 'channel rate limited', retryAfterMs: held };
    // A channel message cannot be ephemeral: the flag is for interaction answers only.
    const { flags: _flags, ...message } = replyMessage(reply);
    const outgoing = withImages(message, reply);
    const nonce = replyNonce(destination, outgoing, stableKey(destination, reply));
    const as = { outboxId: 0, deliveryKey: nonce, destination } as AlertMessage;
    let outcome = await this.post(as, 'reply', outgoing);
    const uploadFailed = outcome.kind === 'rejected-content' ? outcome.error : outcome.result.kind === 'retry' && outcome.result.retryAfterMs === null ? outcome.result.error : null;
    if (outgoing.files && uploadFailed !== null) {
      this.options.logger.warn({ destination: destination.id, error: uploadFailed }, 'Discord refused the chart; sending the text without it');
      outcome = await this.post(as, 'reply', withoutImages(outgoing, uploadFailed));
    }
    if (outcome.kind === 'done') return outcome.result;
    const { flags: _plainFlags, ...plain } = replyMessage(reply, { plain: true });
    const second = await this.post(as, 'reply', plain);
    return second.kind === 'done' ? second.result : { kind: 'permanent', error: `Discord rejected the plain-text reply too: ${second.error}` };
  }

  /** Our message for this outbox row among the channel's last 50, found by its buttons. */
  private async findPosted(alert: AlertMessage): Promise<string | null> {
    const marker = `ww:up:${alert.outboxId}`;
    try {
      const messages = (await this.options.rest.get(Routes.channelMessages(alert.destination.channel), { query: new URLSearchParams({ limit: '50' }) })) as {
        id: string;
        components?: { components?: { custom_id?: string }[] }[];
      }[];
      const found = messages.find((message) => message.components?.some((row) => row.components?.some((button) => button.custom_id === marker)));
      return found?.id ?? null;
    } catch {
      // The nonce still protects a retry inside Discord's window.
      return null;
    }
  }
}
