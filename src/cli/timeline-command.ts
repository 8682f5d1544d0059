import type { Command } from 'commander';
import { runCommand } from '../commands/registry.js';
import { openApp } from '../main.js';
import { timelineFor } from '../pipeline/queries.js';
import { renderReply } from '../platforms/console/render.js';
import { parseSince } from '../commands/since.js';

interface TimelineFlags {
  since?: string;
  until?: string;
  json?: boolean;
  limit?: string;
}

export function registerTimelineCommand(program: Command): void {
  program
    .command('timeline')
    .description('the story so far for an entity, profile or words: the same answer /timeline gives in chat')
    .argument('[query...]', 'entity (any alias, any script), profile id, or words; empty = the first destination\'s profile')
    .option('--since <when>', 'only items since 30d, 2w, 1y or a date (default: all time)')
    .option('--until <when>', 'only items until a date')
    .option('--limit <n>', 'at most this many items (JSON only)', '200')
    .option('--json', 'print one JSON object instead of text')
    .action(async (words: string[], flags: TimelineFlags) => {
      const app = await openApp({ live: false });
      try {
        const query = words.join(' ');
        const destination = app.destinations[0] ?? null;
        if (flags.json) {
          const now = new Date();
          const answer = await timelineFor(app.queryDeps, {
            query,
            since: flags.since ? parseSince(flags.since, now) : new Date(0),
            until: flags.until ? parseSince(flags.until, now) : now,
            limit: Math.max(1, Math.min(10_000, Number(flags.limit) || 200)),
            destination,
          });
          process.stdout.write(`${JSON.stringify(answer)}\n`);
          return;
        }
        if (!destination) return;
        const args = [query, flags.since ? `--since ${flags.since}` : '', flags.until ? `--until ${flags.until}` : ''].join(' ');
        const { reply, error } = await runCommand(`/timeline ${args}`, { destination, user: { id: 'cli', name: 'cli', canConfigure: true }, now: new Date() }, app.queryDeps);
        process.stdout.write(`${renderReply(reply, app.palette)}\n`);
        if (error) process.exitCode = 1;
      } finally {
        await app.close();
      }
    });
}
