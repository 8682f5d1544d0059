import { actionToken, alertActions, ACTION_LABELS, whyText } from '../../commands/alert-actions.js';
import type { AlertCard } from '../../core/alert.js';
import { truncate } from '../../core/chat-text.js';
import type { Reply, ReplyBlock, Segment } from '../../core/reply.js';
import type { StoryFollowUp } from '../../pipeline/ports.js';
import { bold, escapeWithin, flat, inlineCode, linkTo } from './markdown.js';

/** Discord's limits (reliability.md §1.6): content 2 000; embed title 256, description 4 096, field 1 024, footer 2 048, 6 000 in all. */
export const DISCORD_LIMITS = { content: 2_000, title: 256, description: 4_096, field: 1_024, footer: 2_048, total: 6_000, customId: 100 } as const;

export interface DiscordEmbed {
  readonly title?: string;
  readonly url?: string;
  readonly description?: string;
  readonly color?: number;
  readonly fields?: readonly { name: string; value: string; inline?: boolean }[];
  readonly footer?: { text: string };
  readonly timestamp?: string;
}

export interface AllowedMentions {
  readonly parse: readonly [];
  readonly roles?: readonly string[];
}

export interface DiscordMessage {
  content?: string;
  embeds?: DiscordEmbed[];
  components?: unknown[];
  allowed_mentions: AllowedMentions;
  flags?: number;
}

/** Nobody is ever pinged by what a feed or a user wrote. */
export const NO_MENTIONS: AllowedMentions = { parse: [] };
export const EPHEMERAL = 64;

/** Colour by score: the profile threshold is 50 by default; far above it is red. */
export function scoreColour(score: number): number {
  if (score >= 100) return 0xd64545;
  if (score >= 75) return 0xe8893c;
  return 0xe8c33c;
}

function when(published: string | null): string {
  return published ? `${published.slice(0, 16).replace('T', ' ')} UTC` : 'undated';
}

export function alertEmbed(card: AlertCard): DiscordEmbed {
  const why = whyText(card);
  const fields = [
    { name: 'Score', value: `${Math.round(card.score)}`, inline: true },
    { name: 'Profile', value: escapeWithin(card.profile, 100), inline: true },
    ...(why ? [{ name: 'Why', value: escapeWithin(why, DISCORD_LIMITS.field) }] : []),
  ];
  const timestamp = card.published && !Number.isNaN(Date.parse(card.published)) ? new Date(card.published).toISOString() : undefined;
  return {
    title: escapeWithin(card.title, DISCORD_LIMITS.title),
    ...(card.link ? { url: card.link } : {}),
    ...(card.snippet ? { description: escapeWithin(card.snippet, 1_000) } : {}),
    color: scoreColour(card.score),
    fields,
    footer: { text: truncate(`${flat(card.source)} · ${when(card.published)}`, DISCORD_LIMITS.footer) },
    ...(timestamp ? { timestamp } : {}),
  };
}

export function alertButtons(card: AlertCard, outboxId: number): unknown[] {
  const buttons = alertActions(card, outboxId).map((action) => ({
    type: 2,
    style: action.kind === 'up' ? 3 : action.kind === 'down' ? 4 : 2,
    label: ACTION_LABELS[action.kind],
    custom_id: actionToken(action).slice(0, DISCORD_LIMITS.customId),
  }));
  return [{ type: 1, components: buttons }];
}

/** An alert message. A role is pinged only when the destination names one and the score reaches its bar. */
export function alertMessage(card: AlertCard, outboxId: number, ping: { role: string | null; atScore: number }): DiscordMessage {
  const pingRole = ping.role !== null && /^\d{5,25}$/.test(ping.role) && card.score >= ping.atScore ? ping.role : null;
  return {
    ...(pingRole ? { content: `<@&${pingRole}>` } : {}),
    embeds: [alertEmbed(card)],
    components: alertButtons(card, outboxId),
    allowed_mentions: pingRole ? { parse: [], roles: [pingRole] } : NO_MENTIONS,
  };
}

/** The same alert as escaped text only, for when Discord rejects the rich form (50035). */
export function alertPlainMessage(card: AlertCard): DiscordMessage {
  const why = whyText(card);
  const lines = [
    bold(card.title, 300),
    card.link ? `<${card.link.replace(/>/g, '%3E')}>` : '',
    `${escapeWithin(card.source, 200)} · score ${Math.round(card.score)}`,
    why ? `why: ${escapeWithin(why, 800)}` : '',
  ];
  return { content: truncate(lines.filter(Boolean).join('\n'), DISCORD_LIMITS.content), allowed_mentions: NO_MENTIONS };
}

function segment(part: Segment): string {
  switch (part.kind) {
    case 'text':
      return escapeWithin(part.text, 1_500);
    case 'strong':
      return bold(part.text);
    case 'code':
      return inlineCode(part.text);
    case 'link':
      return linkTo(part.url, part.label);
  }
}

function lineOf(block: ReplyBlock): string {
  switch (block.kind) {
    case 'heading':
      return bold(block.text);
    case 'line':
      return block.segments.map(segment).join('');
    case 'divider':
      return '───';
    case 'card':
      return '';
  }
}

/**
 * A command reply: text lines in `content` (≤ 2 000), moved into an embed description (≤ 4 096)
 * when longer, cut with an ellipsis beyond that; alert cards become embeds (at most 10).
 */
export function replyMessage(reply: Reply, options: { plain?: boolean } = {}): DiscordMessage {
  const text = reply.blocks.map((block) => (block.kind === 'card' ? (options.plain ? bold(block.card.title) : '') : lineOf(block))).filter(Boolean).join('\n');
  const cards = options.plain ? [] : reply.blocks.flatMap((block) => (block.kind === 'card' ? [alertEmbed(block.card)] : []));
  const flags = reply.ephemeral ? EPHEMERAL : undefined;
  const base = { allowed_mentions: NO_MENTIONS, ...(flags ? { flags } : {}) };
  if (options.plain || text.length <= DISCORD_LIMITS.content) {
    return { ...base, content: truncate(text, DISCORD_LIMITS.content) || '…', ...(cards.length > 0 ? { embeds: cards.slice(0, 10) } : {}) };
  }
  let budget = DISCORD_LIMITS.total;
  const embeds: DiscordEmbed[] = [{ description: truncate(text, DISCORD_LIMITS.description) }];
  budget -= embeds[0]?.description?.length ?? 0;
  for (const card of cards.slice(0, 9)) {
    const size = (card.title?.length ?? 0) + (card.description?.length ?? 0) + (card.footer?.text.length ?? 0) + (card.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    if (size > budget) break;
    budget -= size;
    embeds.push(card);
  }
  return { ...base, embeds };
}

/** "+3 sources" as a reply to the story's alert; the replied-to author is not pinged either. */
export function followUpMessage(followUp: StoryFollowUp, replyTo: string | null): DiscordMessage & { message_reference?: unknown } {
  const added = followUp.added.length + followUp.more;
  const lines = [`**+${added} new report${added === 1 ? '' : 's'}** · ${followUp.sources} sources, ${followUp.items} reports in this story`];
  for (const report of followUp.added) lines.push(`• ${report.link ? linkTo(report.link, report.title) : escapeWithin(report.title, 200)} — ${escapeWithin(report.source, 100)}`);
  if (followUp.more > 0) lines.push(`…and ${followUp.more} more`);
  return {
    content: truncate(lines.join('\n'), DISCORD_LIMITS.content),
    allowed_mentions: { ...NO_MENTIONS, replied_user: false } as AllowedMentions,
    ...(replyTo && /^\d{5,25}$/.test(replyTo) ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
  };
}
