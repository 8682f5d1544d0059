/** Timeline assembly: story phases and grouping by day or week. Pure: time is a parameter. */

export type StoryPhase = 'new' | 'developing' | 'quiet';

const HOUR = 3_600_000;
/** A story with no new report for this long is quiet. */
export const QUIET_AFTER_MS = 24 * HOUR;

export function storyPhase(story: { lastAt: string; itemCount: number }, now: Date): StoryPhase {
  if (now.getTime() - Date.parse(story.lastAt) > QUIET_AFTER_MS) return 'quiet';
  return story.itemCount > 1 ? 'developing' : 'new';
}

/** Monday of the ISO week of a date, as YYYY-MM-DD (UTC). */
export function weekOf(iso: string): string {
  const date = new Date(Date.parse(iso));
  const day = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day)).toISOString().slice(0, 10);
}

export interface TimelineGroup<T> {
  readonly label: string;
  readonly stories: readonly T[];
}

/**
 * Groups chronologically ordered stories under a heading per day, or per week when the list spans
 * many days (more than `dayLimit` distinct days), so a long timeline stays readable.
 */
export function groupStories<T extends { firstAt: string }>(stories: readonly T[], dayLimit = 10): TimelineGroup<T>[] {
  const days = new Set(stories.map((story) => story.firstAt.slice(0, 10)));
  const byWeek = days.size > dayLimit;
  const groups: { label: string; stories: T[] }[] = [];
  for (const story of stories) {
    const label = byWeek ? `Week of ${weekOf(story.firstAt)}` : story.firstAt.slice(0, 10);
    const last = groups.at(-1);
    if (last && last.label === label) last.stories.push(story);
    else groups.push({ label, stories: [story] });
  }
  return groups;
}

/** Stories per UTC day between the first and last story (zeros included), for the chart. */
export function storiesPerDay(stories: readonly { firstAt: string }[]): { day: string; count: number }[] {
  if (stories.length === 0) return [];
  const counts = new Map<string, number>();
  for (const story of stories) counts.set(story.firstAt.slice(0, 10), (counts.get(story.firstAt.slice(0, 10)) ?? 0) + 1);
  const days = [...counts.keys()].sort();
  const first = Date.parse(days[0] ?? '');
  const last = Date.parse(days.at(-1) ?? '');
  const series: { day: string; count: number }[] = [];
  for (let at = first; at <= last && series.length < 3_660; at += 24 * HOUR) {
    const day = new Date(at).toISOString().slice(0, 10);
    series.push({ day, count: counts.get(day) ?? 0 });
  }
  return series;
}
