import type { AlertCard } from '../../core/alert.js';
import type { Reply, Segment } from '../../core/reply.js';
import type { Reason } from '../../core/score.js';
import { clean, type Palette } from './terminal-text.js';

function formatContribution(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${rounded >= 0 ? '+' : ''}${rounded}`;
}

/** "why" in one line: the biggest contributions first. */
export function whyLine(reasons: readonly Reason[], limit = 6): string {
  const sorted = [...reasons].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const shown = sorted.slice(0, limit).map((reason) => `${clean(reason.label, 60)} ${formatContribution(reason.contribution)}${reason.field === 'title' ? ' (title)' : ''}`);
  return shown.join(' · ') + (sorted.length > limit ? ` · +${sorted.length - limit} more` : '');
}

function when(published: string | null): string {
  return published ? `${published.slice(0, 16).replace('T', ' ')} UTC` : 'undated';
}

/** An alert as the terminal shows it. */
export function renderAlert(card: AlertCard, destination: string, palette: Palette): string {
  const lines = [
    palette.accent(`━━ ALERT · score ${Math.round(card.score)} · ${clean(card.profile, 60)} → ${clean(destination, 60)}`),
    `  ${palette.bold(clean(card.title, 300))}`,
    `  ${palette.dim(`${clean(card.source, 100)} · ${when(card.published)}`)}`,
  ];
  if (card.link) lines.push(`  ${palette.link(clean(card.link, 500))}`);
  if (card.reasons.length > 0) lines.push(`  why: ${whyLine(card.reasons)}`);
  if (card.snippet) lines.push(`  ${palette.dim(clean(card.snippet, 300))}`);
  return lines.join('\n');
}

/** The `--json` form of an alert: one line, stable keys. */
export function alertJson(card: AlertCard, destination: string, outboxId: number): string {
  return JSON.stringify({
    title: card.title,
    link: card.link,
    source: card.source,
    published: card.published,
    score: Math.round(card.score * 10) / 10,
    profile: card.profile,
    reasons: card.reasons,
    destination,
    snippet: card.snippet,
    outboxId,
  });
}

function segment(part: Segment, palette: Palette): string {
  switch (part.kind) {
    case 'text':
      return clean(part.text, 4_000);
    case 'strong':
      return palette.bold(clean(part.text, 500));
    case 'code':
      return palette.accent(clean(part.text, 500));
    case 'link':
      return `${clean(part.label, 300)} ${palette.link(`<${clean(part.url, 500)}>`)}`;
  }
}

/** A command reply as the terminal shows it. */
export function renderReply(reply: Reply, palette: Palette): string {
  return reply.blocks
    .map((block) => {
      switch (block.kind) {
        case 'heading':
          return palette.bold(clean(block.text, 300));
        case 'line':
          return `  ${block.segments.map((part) => segment(part, palette)).join('')}`;
        case 'card':
          return renderAlert(block.card, '', palette);
        case 'divider':
          return palette.dim('  ────');
      }
    })
    .join('\n');
}
