import { tokensOf } from './terms.js';

/** Digest ranking and extractive summaries. Pure; no network models. */

const HOUR = 3_600_000;
/** Recency halves a story's weight every this long after its last report. */
const HALF_LIFE_MS = 24 * HOUR;

export function digestRank(story: { bestScore: number; sourceCount: number; lastAt: string }, now: Date): number {
  const age = Math.max(0, now.getTime() - Date.parse(story.lastAt));
  return story.bestScore * Math.log2(1 + story.sourceCount) * 0.5 ** (age / HALF_LIFE_MS);
}

/** Sentences of plain text; very short fragments are dropped. */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"«“])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => tokensOf(sentence).length >= 4);
}

/**
 * Two-line extractive summary: every sentence of the story's reports is scored by the TF-IDF of its
 * words (IDF across the stories of this digest, TF within the story, so words that make this story
 * different weigh most), and the best sentences, not near-copies of each other, are kept in order.
 */
export function extractiveSummaries(stories: readonly { id: number; texts: readonly string[] }[], lines = 2): Map<number, string[]> {
  const documentFrequency = new Map<string, number>();
  const perStory = stories.map((story) => {
    const candidates = story.texts.flatMap(sentences).slice(0, 200);
    const words = new Set(candidates.flatMap(tokensOf));
    for (const word of words) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    return { id: story.id, candidates };
  });
  const result = new Map<number, string[]>();
  for (const { id, candidates } of perStory) {
    const tf = new Map<string, number>();
    for (const word of candidates.flatMap(tokensOf)) tf.set(word, (tf.get(word) ?? 0) + 1);
    const scored = candidates.map((sentence, index) => {
      const words = tokensOf(sentence);
      const weight = words.reduce((sum, word) => sum + (tf.get(word) ?? 0) * Math.log((1 + stories.length) / (documentFrequency.get(word) ?? 1)), 0);
      return { sentence, index, score: weight / Math.sqrt(words.length), words: new Set(words) };
    });
    const chosen: typeof scored = [];
    for (const candidate of [...scored].sort((a, b) => b.score - a.score || a.index - b.index)) {
      if (chosen.length >= lines) break;
      const copy = chosen.some((kept) => [...candidate.words].filter((word) => kept.words.has(word)).length >= 0.6 * Math.min(kept.words.size, candidate.words.size));
      if (!copy) chosen.push(candidate);
    }
    result.set(id, chosen.sort((a, b) => a.index - b.index).map((item) => item.sentence));
  }
  return result;
}
