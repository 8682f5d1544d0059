import { oneLine, truncate } from '../../core/chat-text.js';
import type { Reply, ReplyBlock, Segment } from '../../core/reply.js';
import { bold, escapeWithin, flat, inlineCode, linkTo } from './mrkdwn.js';
import { alertBlocks, SLACK_LIMITS, type SlackBlock } from './render-alert.js';

/** A command answer as Slack wants it back (response_url body or chat.postMessage arguments). */
export interface SlackReply {
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
}

function segment(part: Segment): string {
  switch (part.kind) {
    case 'text':
      // Spaces at the ends are part of the line ("1. ", "  · 3 outlets"): only control characters and runs go.
      return escapeWithin(oneLine(part.text), 1_500);
    case 'strong':
      return bold(part.text);
    case 'code':
      return inlineCode(part.text);
    case 'link':
      return linkTo(part.url, part.label);
  }
}

function lineText(block: ReplyBlock): string {
  switch (block.kind) {
    case 'heading':
      return bold(block.text, 300);
    case 'line':
      return block.segments.map(segment).join('');
    case 'card':
      return '';
    case 'divider':
      return '───';
  }
}

/**
 * Consecutive lines share one section (up to Slack's 3 000 characters), so a long timeline stays
 * well under 50 blocks; whatever still does not fit is cut with a note.
 */
export function replyBlocks(reply: Reply): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(pending.join('\n'), SLACK_LIMITS.section) } });
    pending = [];
  };
  for (const block of reply.blocks) {
    if (block.kind === 'card') {
      flush();
      blocks.push(...alertBlocks(block.card, null));
      continue;
    }
    if (block.kind === 'divider') {
      flush();
      blocks.push({ type: 'divider' });
      continue;
    }
    const text = lineText(block);
    if ([...pending, text].join('\n').length > SLACK_LIMITS.section) flush();
    pending.push(text.length > SLACK_LIMITS.section ? truncate(text, SLACK_LIMITS.section) : text);
  }
  flush();
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  return [...blocks.slice(0, SLACK_LIMITS.blocks - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: '…more: narrow the query.' }] }];
}

/** The reply as escaped mrkdwn text only: the fallback and the notification text. */
export function replyPlainText(reply: Reply): string {
  const lines = reply.blocks.map((block) => (block.kind === 'card' ? escapeWithin(flat(block.card.title), 300) : lineText(block)));
  return truncate(lines.filter(Boolean).join('\n'), SLACK_LIMITS.text);
}

export function slackReply(reply: Reply, options: { plain?: boolean } = {}): SlackReply {
  const response_type = reply.ephemeral ? 'ephemeral' : 'in_channel';
  const text = replyPlainText(reply);
  return options.plain ? { response_type, text } : { response_type, text, blocks: replyBlocks(reply) };
}
