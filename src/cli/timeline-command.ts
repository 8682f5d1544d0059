import type { Command } from 'commander';
import { runCommand } from '../commands/registry.js';
import { parseTimelineArgs } from '../commands/timeline.js';
import { openApp } from '../main.js';
import { timelineFor } from '../pipeline/queries.js';
import { storyTimelineFor } from '../pipeline/story-queries.js';
import { saveReplyImages } from '../platforms/console/charts.js';
import { renderReply } from '../platforms/console/render.js';

interface TimelineFlags {
  since?: string;
  until?: string;
  json?: boolean;
  limit?: string;
  page?: string;
  chart?: boolean;
}

export function registerTimelineCommand(program: Command): void {
  program
    .command('timeline')
    .description('the story so far for an entity, profile or words: the same answer /timeline gives in chat')
    .argument('[query...]', 'entity (any alias, any script), profile id, or words, then optional since and until; empty = the first destination\'s profile')
    .option('--since <when>', 'only stories since 30d, 2w, 1y or a date (default: all time)')
    .option('--until <when>', 'only stories until a date')
    .option('--page <n>', 'which page of 25 stories', '1')
    .option('--limit <n>', 'at most this many stories (JSON only)', '200')
    .option('--chart', 'also write a PNG of stories per day under data/charts/')
    .option('--json', 'print one JSON object instead of text')
    .action(async (words: string[], flags: TimelineFlags) => {
      const app = await openApp({ live: false });
      try {
        const destination = app.destinations[0] ?? null;
        const args = [
          words.map((word) => (/\s/.test(word) ? `"${word.replace(/"/g, '')}"` : word)).join(' '),
          flags.since ? `--since ${flags.since}` : '',
          flags.until ? `--until ${flags.until}` : '',
          flags.page ? `--page ${flags.page}` : '',
          flags.chart ? '--chart' : '',
        ].join(' ');
        if (flags.json) {
          const now = new Date();
          const parsed = parseTimelineArgs(args, now);
          const limit = Math.max(1, Math.min(10_000, Number(flags.limit) || 200));
          const stories = app.queryDeps.stories;
          // Stories when the store has them (one entry per story); raw items otherwise.
          const answer = stories
            ? await storyTimelineFor({ scorer: app.queryDeps.scorer, stories }, { query: parsed.query, since: parsed.since, until: parsed.until, page: parsed.page, pageSize: limit, destination })
            : await timelineFor(app.queryDeps, { query: parsed.query, since: parsed.since, until: parsed.until, limit, destination });
          process.stdout.write(`${JSON.stringify(answer)}\n`);
          return;
        }
        if (!destination) return;
        const { reply, error } = await runCommand(`/timeline ${args}`, { destination, user: { id: 'cli', name: 'cli', canConfigure: true }, now: new Date() }, app.queryDeps);
        process.stdout.write(`${renderReply(reply, app.palette)}\n`);
        for (const saved of saveReplyImages(reply, 'data/charts')) process.stdout.write(`${saved}\n`);
        if (error) process.exitCode = 1;
      } finally {
        await app.close();
      }
    });
}
