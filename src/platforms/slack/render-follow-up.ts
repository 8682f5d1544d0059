import type { StoryFollowUp } from '../../pipeline/ports.js';
import { escapeWithin, flat, linkTo } from './mrkdwn.js';

/** "+3 sources" as a thread reply under the story's alert: escaped like every other text. */
export function followUpText(followUp: StoryFollowUp): string {
  const lines = [`*+${followUp.added.length + followUp.more} new report${followUp.added.length + followUp.more === 1 ? '' : 's'}* · ${followUp.sources} sources, ${followUp.items} reports in this story`];
  for (const report of followUp.added) {
    const title = report.link ? linkTo(report.link, report.title, 300) : escapeWithin(flat(report.title), 300);
    lines.push(`• ${title} — ${escapeWithin(flat(report.source), 120)}`);
  }
  if (followUp.more > 0) lines.push(`…and ${followUp.more} more`);
  return lines.join('\n');
}
