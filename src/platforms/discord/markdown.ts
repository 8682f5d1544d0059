import { httpUrl, looksLikeAddress, oneLine, truncate } from '../../core/chat-text.js';

/**
 * Discord text, inert by construction: markdown characters are backslash-escaped (so no masked
 * link `[label](url)`, `<https://…>`, code fence, spoiler or heading can form), and `@everyone`,
 * `@here` and `<@…>` forms are broken with a zero-width joiner after "@". allowed_mentions
 * `{ parse: [] }` on every send is the second lock.
 */
const MARKDOWN = /[\\*_~`|[\]()<>#-]/g;

export function flat(value: string): string {
  return oneLine(value).trim();
}

export function escapeMarkdown(value: string): string {
  return value.replace(MARKDOWN, (char) => `\\${char}`).replace(/@/g, '@\u2060');
}

/** Escaped and cut to `max` characters, never leaving a dangling backslash. */
export function escapeWithin(value: string, max: number): string {
  const escaped = escapeMarkdown(flat(value));
  if (escaped.length <= max) return escaped;
  let cut = truncate(escaped, max).slice(0, -1);
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * A link we make. Discord does not honour escapes inside a masked link's label, so the label is
 * cleaned (brackets, backticks and "@" removed) rather than escaped, and a label that reads like an
 * address is never a link's text: it is shown as text with the real address beside it.
 */
export function linkTo(url: string, label: string, maxLabel = 200): string {
  const safe = httpUrl(url);
  if (!safe) return escapeWithin(label, maxLabel);
  const target = safe.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/</g, '%3C').replace(/>/g, '%3E');
  if (looksLikeAddress(label)) return `${escapeWithin(label, maxLabel)} (<${target}>)`;
  const text = truncate(flat(label).replace(/[[\]()<>`\\*_~|@#]/g, ' ').replace(/\s+/g, ' ').trim(), maxLabel);
  return text ? `[${text}](<${target}>)` : `<${target}>`;
}

export function bold(value: string, max = 300): string {
  return `**${escapeWithin(value, max)}**`;
}

/** Inline code cannot hold backticks, and escapes do not apply inside it: they become look-alikes. */
export function inlineCode(value: string, max = 300): string {
  const inner = truncate(flat(value).replace(/`/g, 'ˋ').replace(/@/g, '@\u2060'), max);
  return inner ? `\`${inner}\`` : '';
}
