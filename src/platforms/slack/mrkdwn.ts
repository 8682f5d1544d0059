import { httpUrl, looksLikeAddress, oneLine, truncate } from '../../core/chat-text.js';

/**
 * Slack text, escaped by construction. `&`, `<` and `>` are Slack's control characters: escaped,
 * no feed or user text can form `<!channel>`, `<@U…>`, `<!subteam^…>` or `<https://evil|label>`.
 * We never set `parse: full` or `link_names`, so a literal "@channel" stays text.
 */
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (char) => ENTITY[char] ?? char);
}

/** Escapes and cuts to `max` characters of *escaped* text, never inside an entity like `&amp;`. */
export function escapeWithin(value: string, max: number): string {
  const escaped = escapeText(value);
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return truncate(`${cut}…`, max);
}

/** Flat text for one line: control characters and newlines become spaces. */
export function flat(value: string): string {
  return oneLine(value).trim();
}

/** `*text*` for bold; asterisks inside would end the bold early, so they become a look-alike. */
export function bold(value: string, max = 500): string {
  return `*${escapeWithin(flat(value).replace(/\*/g, '∗'), max)}*`;
}

export function inlineCode(value: string, max = 500): string {
  return `\`${escapeWithin(flat(value).replace(/`/g, 'ˋ'), max)}\``;
}

/**
 * A link we make: `<url|label>` for http(s) urls only, `|` and `>` percent-encoded so the url
 * cannot end early. A label that itself reads like an address is shown beside the real url.
 */
export function linkTo(url: string, label: string, maxLabel = 300): string {
  const safe = httpUrl(url);
  const text = escapeWithin(flat(label), maxLabel);
  if (!safe) return text;
  const target = safe.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
  if (looksLikeAddress(label)) return `${text} (<${target}>)`;
  return `<${target}|${text || target}>`;
}

/** Slack's own date token: each reader sees the time in their zone; the fallback is UTC. */
export function dateToken(iso: string | null): string {
  if (!iso) return 'undated';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'undated';
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
