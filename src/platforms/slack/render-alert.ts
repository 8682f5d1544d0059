import type { AlertCard } from '../../core/alert.js';
import { actionToken, alertActions, ACTION_LABELS, whyText } from '../../commands/alert-actions.js';
import { bold, dateToken, escapeWithin, flat, linkTo } from './mrkdwn.js';

/** Block Kit limits (docs.slack.dev; reliability.md §1.6) we render within. */
export const SLACK_LIMITS = { section: 3_000, header: 150, button: 75, value: 2_000, blocks: 50, text: 3_000 } as const;

export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
}

/** What Slack keeps with the message so a later run can find it (the in-doubt history check). */
export const ALERT_EVENT_TYPE = 'wirewatch_alert';

export function alertMetadata(outboxId: number, deliveryKey: string): { event_type: string; event_payload: Record<string, string | number> } {
  return { event_type: ALERT_EVENT_TYPE, event_payload: { outbox_id: outboxId, delivery_key: deliveryKey } };
}

/** The notification / screen-reader line: escaped like everything else (a `<!channel>` title must not ping). */
export function alertFallbackText(card: AlertCard): string {
  return escapeWithin(`${flat(card.title)} — ${flat(card.source)} (score ${Math.round(card.score)})`, SLACK_LIMITS.text);
}

export function alertBlocks(card: AlertCard, outboxId: number | null): SlackBlock[] {
  const headline = card.link ? `*${linkTo(card.link, card.title, 500)}*` : bold(card.title, 500);
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: headline } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${escapeWithin(flat(card.source), 200)} · ${dateToken(card.published)}` }] },
  ];
  const why = whyText(card);
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `Score *${Math.round(card.score)}* · ${escapeWithin(flat(card.profile), 100)}${why ? `\nwhy: ${escapeWithin(flat(why), 1_500)}` : ''}` },
  });
  // plain_text never parses mentions or links, whatever the feed wrote.
  if (card.snippet) blocks.push({ type: 'section', text: { type: 'plain_text', text: escapeWithin(flat(card.snippet), 1_000), emoji: false } });
  if (outboxId !== null) {
    const elements = alertActions(card, outboxId).map((action) => {
      const token = actionToken(action);
      return {
        type: 'button',
        action_id: `ww_${action.kind}`,
        text: { type: 'plain_text', text: ACTION_LABELS[action.kind], emoji: true },
        value: token.slice(0, SLACK_LIMITS.value),
      };
    });
    blocks.push({ type: 'actions', block_id: `ww_alert_${outboxId}`, elements });
  }
  return blocks;
}

/** The same alert as plain mrkdwn text, for when Slack rejects the blocks (invalid_blocks). */
export function alertPlainText(card: AlertCard): string {
  const why = whyText(card);
  const lines = [
    card.link ? linkTo(card.link, card.title, 500) : escapeWithin(flat(card.title), 500),
    `${escapeWithin(flat(card.source), 200)} · score ${Math.round(card.score)}`,
    ...(why ? [`why: ${escapeWithin(flat(why), 1_000)}`] : []),
  ];
  return lines.join('\n');
}
