import { foldToken } from '../scoring/index.js';

/** Edit distance, bounded: gives up (returns max + 1) once every path exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}

const fold = (text: string): string => text.split(/\s+/).map(foldToken).join(' ').trim();

/**
 * The entity whose label or alias is closest to what the user typed ("socr" → SOCAR), within a
 * third of the query's length; null when nothing is that close. Queries are cut to 60 characters.
 */
export function nearestEntity(query: string, entities: readonly { id: string; label: string; names: readonly string[] }[]): { id: string; label: string } | null {
  const wanted = fold(query.slice(0, 60));
  if (wanted === '') return null;
  const max = Math.max(1, Math.floor(wanted.length / 3));
  let best: { id: string; label: string; distance: number } | null = null;
  for (const entity of entities) {
    for (const name of [entity.label, ...entity.names]) {
      const distance = editDistance(wanted, fold(name), max);
      if (distance <= max && (best === null || distance < best.distance)) best = { id: entity.id, label: entity.label, distance };
    }
  }
  return best ? { id: best.id, label: best.label } : null;
}
