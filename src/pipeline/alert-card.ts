import type { AlertCard } from '../core/alert.js';
import type { OutboxEntry } from './ports.js';

const SNIPPET_CHARS = 280;

/** Only http(s) links become clickable anywhere; `javascript:`, `data:`, `file:` and the like are dropped. */
export function safeLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const url = new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The first sentences of a summary, cut at a word boundary. */
export function snippetOf(summary: string, max = SNIPPET_CHARS): string {
  const flat = summary.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Builds the neutral alert card from a queued outbox row: the why comes from the deciding profile. */
export function alertCardFor(entry: OutboxEntry): AlertCard {
  const result = entry.scores.find((score) => score.profile === entry.profile);
  return {
    title: entry.item.title || '(untitled)',
    link: safeLink(entry.item.link),
    source: entry.feedName,
    published: entry.item.published,
    snippet: snippetOf(entry.item.summary),
    score: entry.score,
    profile: entry.profile,
    reasons: result?.reasons ?? [],
  };
}
