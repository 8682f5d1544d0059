import type { AlertCard } from '../core/alert.js';

/**
 * The buttons under every alert, platform-neutral: 👍 / 👎 feedback on the alert, "Timeline" for
 * its main entity and "Mute term" for its strongest match. Each button carries one token
 * (`ww:up:42`, `ww:tl:SOCAR`) that comes back when pressed; tokens fit Discord's 100-char custom_id.
 */
export type AlertAction =
  | { readonly kind: 'up' | 'down'; readonly outboxId: number }
  | { readonly kind: 'timeline'; readonly query: string }
  | { readonly kind: 'mute'; readonly term: string };

const MAX_PAYLOAD = 80;

/** Quotes and control characters would break the command line the token becomes. */
function cleanTerm(value: string): string {
  return value.replace(/["'\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_PAYLOAD);
}

export function alertActions(card: AlertCard, outboxId: number): AlertAction[] {
  const positive = [...card.reasons].filter((reason) => reason.contribution > 0).sort((a, b) => b.contribution - a.contribution);
  const entity = positive.find((reason) => reason.kind === 'entity');
  const strongest = positive.find((reason) => reason.kind === 'entity' || reason.kind === 'keyword' || reason.kind === 'watch-term');
  const actions: AlertAction[] = [
    { kind: 'up', outboxId },
    { kind: 'down', outboxId },
  ];
  const query = cleanTerm(entity?.label ?? '');
  if (query) actions.push({ kind: 'timeline', query });
  const term = cleanTerm(strongest?.label ?? '');
  if (term) actions.push({ kind: 'mute', term });
  return actions;
}

export function actionToken(action: AlertAction): string {
  switch (action.kind) {
    case 'up':
    case 'down':
      return `ww:${action.kind}:${action.outboxId}`;
    case 'timeline':
      return `ww:tl:${action.query}`;
    case 'mute':
      return `ww:mute:${action.term}`;
  }
}

export function parseActionToken(token: string): AlertAction | null {
  const match = /^ww:(up|down|tl|mute):(.{1,100})$/s.exec(token);
  if (!match) return null;
  const [, kind, payload = ''] = match;
  if (kind === 'up' || kind === 'down') {
    const outboxId = Number(payload);
    return Number.isSafeInteger(outboxId) && outboxId > 0 ? { kind, outboxId } : null;
  }
  const value = cleanTerm(payload);
  if (!value) return null;
  return kind === 'tl' ? { kind: 'timeline', query: value } : { kind: 'mute', term: value };
}

/** The command a button runs (feedback is recorded, not run). */
export function actionCommand(action: AlertAction): string | null {
  if (action.kind === 'timeline') return `/timeline "${action.query}"`;
  if (action.kind === 'mute') return `/watch add "${action.term}" --not`;
  return null;
}

export const ACTION_LABELS: Readonly<Record<AlertAction['kind'], string>> = {
  up: '👍',
  down: '👎',
  timeline: 'Timeline',
  mute: 'Mute term',
};

/** "why" in one line, strongest reasons first (plain text; each renderer escapes it). */
export function whyText(card: AlertCard, limit = 5): string {
  const sorted = [...card.reasons].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const shown = sorted.slice(0, limit).map((reason) => {
    const points = Math.round(reason.contribution * 10) / 10;
    return `${reason.label} ${points >= 0 ? '+' : ''}${points}${reason.field === 'title' ? ' (title)' : ''}`;
  });
  return shown.join(' · ') + (sorted.length > limit ? ` · +${sorted.length - limit} more` : '');
}
