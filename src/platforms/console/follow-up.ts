import type { StoryFollowUp } from '../../pipeline/ports.js';
import { clean, type Palette } from './terminal-text.js';

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * A story follow-up as the terminal shows it: indented under the alert it continues, one line per
 * new report. Feed text goes through `clean` like everything else printed.
 */
export function renderFollowUp(followUp: StoryFollowUp, palette: Palette): string {
  const lines = [
    `   ${palette.accent('↳')} ${palette.bold(`+${plural(followUp.added.length + followUp.more, 'report')}`)} on ${clean(followUp.headline, 160)} ${palette.dim(`(now ${plural(followUp.sources, 'source')}, ${plural(followUp.items, 'report')})`)}`,
    ...followUp.added.map((report) => `     ${palette.dim('·')} ${clean(report.title, 200)} ${palette.dim(`— ${clean(report.source, 80)}`)}${report.link ? ` ${palette.link(clean(report.link, 300))}` : ''}`),
  ];
  if (followUp.more > 0) lines.push(`     ${palette.dim(`… and ${followUp.more} more`)}`);
  return lines.join('\n');
}

/** The `--json` form: one line, stable keys, `kind: "follow-up"` to tell it from an alert. */
export function followUpJson(followUp: StoryFollowUp): string {
  return JSON.stringify({
    kind: 'follow-up',
    destination: followUp.destination.id,
    storyId: followUp.storyId,
    headline: followUp.headline,
    sources: followUp.sources,
    items: followUp.items,
    added: followUp.added,
    more: followUp.more,
  });
}
