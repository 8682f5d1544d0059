import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertMessage, Destination } from '../../core/alert.js';
import { DeliveryGate } from '../../core/delivery-gate.js';
import type { ImageAttachment, Reply } from '../../core/reply.js';
import type { DeliveryResult, Notifier, OutboxStore, StoryFollowUp } from '../../pipeline/ports.js';
import type { Logger } from '../../shared/logger.js';
import { classifySlackError } from './delivery-errors.js';
import { followUpText } from './render-follow-up.js';
import { slackReply } from './render-reply.js';
import { createImageSharer, imageNote, type ShareImages } from './share-images.js';
import { ALERT_EVENT_TYPE, alertBlocks, alertFallbackText, alertMetadata, alertPlainText } from './render-alert.js';
import type { SlackWebClient } from './web-client.js';

export interface SlackNotifierOptions {
  /** Posting client: no internal retries (see web-client.ts). */
  readonly client: SlackWebClient;
  /** Reading client for the in-doubt history check (a few retries are harmless for reads). */
  readonly reader?: SlackWebClient;
  readonly attempts: Pick<OutboxStore, 'beginAttempt' | 'settleAttempt'>;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Slack's chat.postMessage allows about one message per second per channel. */
  readonly spacingMs?: number;
  /** How far back the in-doubt check looks for our own message. */
  readonly historyWindowSeconds?: number;
  /** How pictures of a reply reach the channel; default: Slack's external upload with `client`. */
  readonly shareImages?: ShareImages;
}

type Sent = { ts: string; channel: string };

/**
 * Delivers alerts to Slack channels. Exactly once as far as Slack allows: before each send the
 * attempt is recorded; a re-claimed row whose earlier attempt never finished is "in doubt", and then
 * recent channel history is searched for our message (metadata carries the outbox id) before
 * posting again. Slack offers no idempotency key, so a crash between Slack's commit and our
 * record leaves at most one duplicate, and only when the history check itself is impossible.
 */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;
  private readonly gate: DeliveryGate;
  private readonly now: () => number;

  constructor(private readonly options: SlackNotifierOptions) {
    this.gate = new DeliveryGate(options.spacingMs ?? 1_000);
    this.now = options.now ?? Date.now;
  }

  async deliver(alert: AlertMessage): Promise<DeliveryResult> {
    const channel = alert.destination.channel;
    const held = this.gate.heldFor(channel, this.now());
    if (held > 0) return { kind: 'retry', error: 'channel rate limited', retryAfterMs: held };
    const wait = this.gate.reserve(channel, this.now());
    if (wait > 0) await sleep(wait);

    const attemptId = randomUUID();
    const begun = (await this.options.attempts.beginAttempt?.(alert.outboxId, attemptId, new Date(this.now()))) ?? { inDoubt: false };
    if (begun.inDoubt) {
      const found = await this.findPosted(alert);
      if (found === 'unknown-rate-limited') return { kind: 'retry', error: 'history check rate limited', retryAfterMs: this.gate.heldFor(channel, this.now()) || 60_000 };
      if (found) {
        this.options.logger.info({ destination: alert.destination.id, outbox: alert.outboxId }, 'in-doubt alert was already posted; not sending it again');
        return { kind: 'sent', receipt: `${found.channel}/${found.ts}` };
      }
    }
    return this.post(alert, attemptId, false);
  }

  private async post(alert: AlertMessage, attemptId: string, plain: boolean): Promise<DeliveryResult> {
    const channel = alert.destination.channel;
    try {
      const result = await this.options.client.chat.postMessage({
        channel,
        text: plain ? alertPlainText(alert.card) : alertFallbackText(alert.card),
        ...(plain ? {} : { blocks: alertBlocks(alert.card, alert.outboxId) }),
        metadata: alertMetadata(alert.outboxId, alert.deliveryKey),
        unfurl_links: false,
        unfurl_media: false,
      });
      return { kind: 'sent', receipt: `${result.channel ?? channel}/${result.ts ?? ''}` };
    } catch (thrown) {
      const failure = classifySlackError(thrown);
      if (failure.kind !== 'transient' || !failure.mayHavePosted) await this.options.attempts.settleAttempt?.(alert.outboxId, attemptId);
      switch (failure.kind) {
        case 'rate-limited':
          this.gate.hold(channel, this.now() + failure.retryAfterMs);
          return { kind: 'retry', error: failure.error, retryAfterMs: failure.retryAfterMs };
        case 'permanent':
          // The relay pauses the destination in the store (shared by workers, kept across restarts).
          return { kind: 'unreachable', error: failure.error };
        case 'rejected-content':
          if (plain) return { kind: 'permanent', error: `Slack rejected the plain-text alert too: ${failure.error}` };
          this.options.logger.warn({ destination: alert.destination.id, outbox: alert.outboxId, error: failure.error }, 'Slack rejected the alert blocks; sending plain text');
          await this.options.attempts.beginAttempt?.(alert.outboxId, attemptId, new Date(this.now()));
          return this.post(alert, attemptId, true);
        case 'transient':
          return { kind: 'retry', error: failure.error, retryAfterMs: null };
      }
    }
  }

  /** Later reports of an alerted story, as a reply in the alert's thread (`receipt` is "channel/ts"). */
  async followUp(followUp: StoryFollowUp): Promise<DeliveryResult> {
    const channel = followUp.destination.channel;
    const blocked = await this.takeSlot(channel);
    if (blocked) return blocked;
    const threadTs = followUp.alertReceipt?.split('/')[1] || undefined;
    try {
      const text = followUpText(followUp);
      const result = await this.options.client.chat.postMessage({ channel, text, thread_ts: threadTs, unfurl_links: false, unfurl_media: false });
      return { kind: 'sent', receipt: `${channel}/${result.ts ?? ''}` };
    } catch (thrown) {
      return this.failed(followUp.destination.id, channel, thrown);
    }
  }

  /**
   * An unprompted reply (the scheduled digest): Block Kit with an escaped text fallback, paced and
   * held like alerts; plain text once if Slack refuses the blocks. Pictures are shared
   * after the text; if that fails the text stands and a note in its thread says so.
   */
  async postReply(destination: Destination, reply: Reply): Promise<DeliveryResult> {
    const channel = destination.channel;
    const blocked = await this.takeSlot(channel);
    if (blocked) return blocked;
    let ts: string;
    try {
      ts = await this.postRendered(channel, reply, false);
    } catch (thrown) {
      if (classifySlackError(thrown).kind !== 'rejected-content') return this.failed(destination.id, channel, thrown);
      try {
        ts = await this.postRendered(channel, reply, true);
      } catch (again) {
        return this.failed(destination.id, channel, again);
      }
    }
    if (reply.images && reply.images.length > 0) await this.attachImages(destination, ts, reply.images);
    return { kind: 'sent', receipt: `${channel}/${ts}` };
  }

  private async postRendered(channel: string, reply: Reply, plain: boolean): Promise<string> {
    const { text, blocks } = slackReply(reply, { plain });
    const result = await this.options.client.chat.postMessage({ channel, text, ...(blocks ? { blocks: [...blocks] } : {}), unfurl_links: false, unfurl_media: false });
    return result.ts ?? '';
  }

  private async attachImages(destination: Destination, ts: string, images: readonly ImageAttachment[]): Promise<void> {
    const share = this.options.shareImages ?? createImageSharer(this.options.client);
    const outcome = await share(destination.channel, images);
    if (outcome.kind === 'shared') return;
    this.options.logger.warn({ destination: destination.id, error: outcome.error }, 'Slack chart upload failed; the text was posted without it');
    try {
      await this.options.client.chat.postMessage({ channel: destination.channel, text: imageNote(outcome.error), thread_ts: ts || undefined, unfurl_links: false, unfurl_media: false });
    } catch {
      // The reply itself went out; a lost note is not worth a retry of the whole reply.
    }
  }

  /** Held by a 429, or paced: a result to return now, or null once the slot is ours. */
  private async takeSlot(channel: string): Promise<DeliveryResult | null> {
    const held = this.gate.heldFor(channel, this.now());
    if (held > 0) return { kind: 'retry', error: 'channel rate limited', retryAfterMs: held };
    const wait = this.gate.reserve(channel, this.now());
    if (wait > 0) await sleep(wait);
    return null;
  }

  private failed(destinationId: string, channel: string, thrown: unknown): DeliveryResult {
    const failure = classifySlackError(thrown);
    if (failure.kind === 'rate-limited') {
      this.gate.hold(channel, this.now() + failure.retryAfterMs);
      return { kind: 'retry', error: failure.error, retryAfterMs: failure.retryAfterMs };
    }
    if (failure.kind === 'permanent') return { kind: 'unreachable', error: failure.error };
    return failure.kind === 'transient' ? { kind: 'retry', error: failure.error, retryAfterMs: null } : { kind: 'permanent', error: failure.error };
  }

  /** Our message for this outbox row in the channel's recent history, if Slack has it. */
  private async findPosted(alert: AlertMessage): Promise<Sent | null | 'unknown-rate-limited'> {
    const channel = alert.destination.channel;
    const reader = this.options.reader ?? this.options.client;
    const oldest = String(Math.floor(this.now() / 1000) - (this.options.historyWindowSeconds ?? 6 * 3600));
    try {
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const result = await reader.conversations.history({ channel, oldest, limit: 200, include_all_metadata: true, cursor });
        for (const message of result.messages ?? []) {
          const metadata = message.metadata;
          if (metadata?.event_type === ALERT_EVENT_TYPE && String((metadata.event_payload as Record<string, unknown> | undefined)?.outbox_id) === String(alert.outboxId) && message.ts) {
            return { ts: message.ts, channel };
          }
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return null;
    } catch (thrown) {
      const failure = classifySlackError(thrown);
      if (failure.kind === 'rate-limited') {
        this.gate.hold(channel, this.now() + failure.retryAfterMs);
        return 'unknown-rate-limited';
      }
      // Cannot look (e.g. no channels:history scope): post, accepting at most one duplicate.
      this.options.logger.warn({ destination: alert.destination.id, outbox: alert.outboxId, error: failure.error }, 'cannot check Slack history for an in-doubt alert; it may be posted twice');
      return null;
    }
  }
}
