import type { Writable } from 'node:stream';
import type { AlertMessage, Destination } from '../../core/alert.js';
import type { Reply } from '../../core/reply.js';
import type { DeliveryResult, Notifier, StoryFollowUp } from '../../pipeline/ports.js';
import { followUpJson, renderFollowUp } from './follow-up.js';
import { alertJson, renderAlert, renderReply } from './render.js';
import type { Palette } from './terminal-text.js';

/** The terminal skin's notifier: pretty alerts for people, or one JSON line per alert with --json. */
export class ConsoleNotifier implements Notifier {
  readonly platform = 'console' as const;

  constructor(
    private readonly output: Writable,
    private readonly options: { json: boolean; palette: Palette; jsonFollowUps?: boolean },
  ) {}

  async deliver(alert: AlertMessage): Promise<DeliveryResult> {
    const rendered = this.options.json
      ? alertJson(alert.card, alert.destination.id, alert.outboxId)
      : `${renderAlert(alert.card, alert.destination.channel, this.options.palette)}\n`;
    await new Promise<void>((resolve, reject) => {
      this.output.write(`${rendered}\n`, (error) => (error ? reject(error) : resolve()));
    });
    return { kind: 'sent', receipt: null };
  }

  /**
   * Later reports of an alerted story: indented follow-up lines. With --json stdout stays one JSON
   * line per alert (consumers parse alerts), so follow-ups print as JSON only with `jsonFollowUps`.
   */
  async followUp(followUp: StoryFollowUp): Promise<DeliveryResult> {
    if (this.options.json && !this.options.jsonFollowUps) return { kind: 'sent', receipt: null };
    const rendered = this.options.json ? followUpJson(followUp) : `${renderFollowUp(followUp, this.options.palette)}\n`;
    await new Promise<void>((resolve, reject) => {
      this.output.write(`${rendered}\n`, (error) => (error ? reject(error) : resolve()));
    });
    return { kind: 'sent', receipt: null };
  }

  /** A scheduled message (the daily digest): the reply as the prompt would show it; skipped with --json. */
  async postReply(destination: Destination, reply: Reply): Promise<DeliveryResult> {
    if (this.options.json) return { kind: 'sent', receipt: null };
    const rendered = `${this.options.palette.dim(`── for ${destination.channel}`)}\n${renderReply(reply, this.options.palette)}\n`;
    await new Promise<void>((resolve, reject) => {
      this.output.write(`${rendered}\n`, (error) => (error ? reject(error) : resolve()));
    });
    return { kind: 'sent', receipt: null };
  }
}
