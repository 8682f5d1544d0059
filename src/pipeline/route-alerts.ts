import type { Destination } from '../core/alert.js';
import type { FeedItem } from '../core/item.js';
import type { ScoreResult } from '../core/score.js';
import type { IngestEntry, ReportWords } from './ports.js';

/** A new item with its scores: the base scores per profile, and per destination with its own watch terms. */
export interface ScoredItem {
  readonly item: FeedItem;
  readonly scores: readonly ScoreResult[];
  readonly byDestination: ReadonlyMap<string, readonly ScoreResult[]>;
  readonly words?: ReportWords;
}

/** Whether a destination wants an item, and the result that decided it (the best of its profiles). */
export function destinationVerdict(
  destination: Destination,
  scores: readonly ScoreResult[],
): ScoreResult | null {
  let best: ScoreResult | null = null;
  for (const result of scores) {
    if (!destination.profiles.includes(result.profile)) continue;
    const threshold = destination.threshold ?? result.threshold;
    if (result.score < threshold) continue;
    if (best === null || result.score > best.score) best = result;
  }
  return best;
}

function newestFirst(a: FeedItem, b: FeedItem): number {
  return (b.published ?? '').localeCompare(a.published ?? '');
}

/**
 * Decides which destinations each new item alerts. On a feed's first poll nothing alerts (the
 * store is being seeded, as MonitoRSS does), except the `alertNewest` newest items if configured.
 */
export function routeAlerts(
  scored: readonly ScoredItem[],
  destinations: readonly Destination[],
  firstPoll: { readonly isFirst: boolean; readonly alertNewest: number },
): IngestEntry[] {
  const eligible = new Set<FeedItem>(
    firstPoll.isFirst
      ? [...scored.map((entry) => entry.item)].sort(newestFirst).slice(0, firstPoll.alertNewest)
      : scored.map((entry) => entry.item),
  );
  return scored.map((entry) => {
    const alerts: IngestEntry['alerts'][number][] = [];
    if (eligible.has(entry.item)) {
      for (const destination of destinations) {
        const verdict = destinationVerdict(
          destination,
          entry.byDestination.get(destination.id) ?? entry.scores,
        );
        if (verdict) {
          alerts.push({ destinationId: destination.id, profile: verdict.profile, score: verdict.score });
        }
      }
    }
    return { item: entry.item, scores: entry.scores, alerts, words: entry.words };
  });
}
