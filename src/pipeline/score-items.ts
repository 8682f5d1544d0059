import type { Destination } from '../core/alert.js';
import type { FeedItem } from '../core/item.js';
import type { AnalyzedText, Scorer, WatchTermInput } from '../scoring/index.js';
import { SUMMARY_CHARS } from '../stories/index.js';
import type { ReportWords, WatchTermStore } from './ports.js';
import type { ScoredItem } from './route-alerts.js';

/** Each destination's own watch terms (/watch add), read once per poll rather than once per item. */
export async function loadWatchTerms(
  store: WatchTermStore,
  destinations: readonly Destination[],
): Promise<Map<string, WatchTermInput[]>> {
  const lists = await Promise.all(destinations.map((destination) => store.list(destination.id)));
  const byDestination = new Map<string, WatchTermInput[]>();
  destinations.forEach((destination, index) => {
    const terms = lists[index] ?? [];
    if (terms.length > 0) byDestination.set(destination.id, terms);
  });
  return byDestination;
}

/** The words story matching reads (stories/features.ts), as the scorer already read them. */
export function reportWords(text: AnalyzedText): ReportWords {
  return { title: text.words('title'), summary: text.words('summary', SUMMARY_CHARS) };
}

/**
 * Scores new items once against every profile, and again for each destination that has its own
 * watch terms or threshold, so that routing sees exactly what that destination would. The text is
 * cleaned and tokenized once for all of them.
 */
export function scoreItems(
  scorer: Scorer,
  items: readonly FeedItem[],
  destinations: readonly Destination[],
  watchTerms: ReadonlyMap<string, readonly WatchTermInput[]>,
): ScoredItem[] {
  return items.map((item) => {
    // Read once: every destination's scoring, and the story features, use the same words.
    const text = scorer.analyze({ title: item.title, summary: item.summary });
    const scores = scorer.score(text);
    const byDestination = new Map<string, ReturnType<Scorer['score']>>();
    for (const destination of destinations) {
      const terms = watchTerms.get(destination.id);
      if (terms) {
        byDestination.set(
          destination.id,
          scorer.score(text, { profiles: destination.profiles, watchTerms: terms }),
        );
      }
    }
    return { item, scores, byDestination, words: reportWords(text) };
  });
}
