import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestCommand } from '../../src/commands/digest.js';
import { timelineCommand } from '../../src/commands/timeline.js';
import type { Reply } from '../../src/core/reply.js';
import { openApp, type App } from '../../src/main.js';
import type { StoryMember } from '../../src/pipeline/ports.js';
import { storyTimelineFor } from '../../src/pipeline/story-queries.js';
import { renderReply } from '../../src/platforms/console/render.js';
import { PLAIN } from '../../src/platforms/console/terminal-text.js';
import { canonicalUrl } from '../../src/stories/canonical-url.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';

/**
 * The real pipeline over the demo's fixture feeds (loopback fixture server, replay finished): one
 * cycle polls all 14 feeds, stores and scores ~200 items, folds them into stories and delivers.
 */
describe('stories over the fixture crisis', () => {
  let app: App;
  let output = '';
  let store = '';
  let members: StoryMember[] = [];

  beforeAll(async () => {
    const shipped = readFileSync(path.join(REPO_ROOT, 'config/wirewatch.yaml'), 'utf8');
    const { dir } = writeTestConfig('');
    store = path.join(dir, 'stories.sqlite');
    const { env } = writeTestConfig(shipped.replace('path: data/wirewatch.sqlite', `path: ${JSON.stringify(store)}`));
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    app = await openApp({ cwd: REPO_ROOT, env, stdout, live: true, replayAll: true });
    await app.runCycle({ all: true });
    for (let round = 0; round < 12 && (await app.stores.outbox.pendingCount()) > 0; round++) await app.deliver();
    const stories = app.queryDeps.stories;
    if (!stories) throw new Error('the SQLite app has a story store');
    const all = await stories.timeline({ entityIds: [], profiles: [], words: [], since: new Date(0), until: new Date(8e15), offset: 0, limit: 1000 });
    members = await stories.members(all.stories.map((story) => story.id), 1000);
  }, 30_000);
  afterAll(async () => {
    await app.close();
  });

  const ask = async (command: { run: typeof timelineCommand.run }, args: string, now = '2025-12-01T00:00:00Z'): Promise<Reply> => {
    const destination = app.destinations[0];
    if (!destination) throw new Error('no destination');
    return command.run(args, { destination, user: { id: 'u', name: 'u', canConfigure: false }, now: new Date(now) }, app.queryDeps);
  };

  it('folds every exact duplicate (same canonical link across feeds) and every same-title copy into one story', () => {
    const byLink = new Map<string, Set<number>>();
    const byTitle = new Map<string, Set<number>>();
    for (const member of members) {
      const link = canonicalUrl(member.link);
      if (link) byLink.set(link, (byLink.get(link) ?? new Set()).add(member.storyId));
      byTitle.set(member.title.toLowerCase(), (byTitle.get(member.title.toLowerCase()) ?? new Set()).add(member.storyId));
    }
    const groups = [...byLink.values(), ...byTitle.values()];
    const split = groups.filter((stories) => stories.size > 1);
    expect(split).toEqual([]);
    // The fixtures carry syndicated copies (NewsHub, Ticker Street) of at least 5 wire stories.
    expect(members.filter((member) => member.relation === 'duplicate').length).toBeGreaterThanOrEqual(5);
  });

  it('keeps separate events apart: no story spans more than four days of reports', () => {
    const spans = new Map<number, number[]>();
    for (const member of members) spans.set(member.storyId, [...(spans.get(member.storyId) ?? []), Date.parse(member.publishedAt)]);
    const long = [...spans.entries()].filter(([, times]) => Math.max(...times) - Math.min(...times) > 4 * 86_400_000);
    expect(long).toEqual([]);
  });

  it('queues one alert per story and destination (and at most one update); later reports arrive as indented follow-ups', () => {
    const db = new Database(store, { readonly: true });
    try {
      const perStory = db
        .prepare(`SELECT m.story_id, a.kind, count(*) AS alerts FROM outbox o JOIN items i ON i.id = o.item_id
                  JOIN story_members m ON m.feed_id = i.feed_id AND m.item_key = i.key
                  LEFT JOIN story_alerts a ON a.member_id = m.id AND a.destination_id = o.destination_id
                  GROUP BY o.destination_id, m.story_id, a.kind`)
        .all() as { story_id: number; kind: string | null; alerts: number }[];
      expect(perStory.filter((row) => row.kind === 'alert').length).toBeGreaterThan(5);
      expect(perStory.filter((row) => row.alerts > 1 || row.kind === null)).toEqual([]);
      // Updates say what changed, e.g. the Orlovka strike once Russia is named.
      expect(perStory.some((row) => row.kind === 'update')).toBe(true);
    } finally {
      db.close();
    }
    expect(output).toMatch(/━━ ALERT/);
    expect(output).toMatch(/\n {3}↳ \+\d+ reports? on .+ \(now \d+ sources, \d+ reports\)\n {5}· /);
  });

  it('/timeline socar lists the SOCAR thread as stories, in order, one line each', async () => {
    const text = renderReply(await ask(timelineCommand, 'socar'), PLAIN);
    const lines = text.split('\n').filter((line) => /^ {2}\d{4}-\d{2}-\d{2} /.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeLessThanOrEqual(8);
    const order = [/Trans-?Balkan|Трансбалкан/i, /Orlovka|Орлов|Орлів/i, /Naftogaz|Нафтогаз/i, /depot|нафтобаз|нефтебаз/i, /filling station|АЗС/i];
    const positions = order.map((pattern) => lines.findIndex((line) => pattern.test(line)));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toMatch(/outlets? · /);
    expect(text).toMatch(/related via/);
    const dates = lines.map((line) => line.trim().slice(0, 10));
    expect([...dates].sort()).toEqual(dates);
  });

  it('/timeline answers a misspelling with the nearest entity, and stays inert on hostile input', async () => {
    expect(renderReply(await ask(timelineCommand, 'socr'), PLAIN)).toMatch(/No stories match.*\n.*Did you mean SOCAR\?/);
    const hostile = renderReply(await ask(timelineCommand, '<!channel> *bold* [x](https://evil.example) @everyone'), PLAIN);
    expect(hostile).toMatch(/No stories match/);
    await expect(ask(timelineCommand, 'x'.repeat(10_000))).rejects.toThrow(/too long/);
    await expect(ask(timelineCommand, 'socar --since yesterday-ish')).rejects.toThrow(/not a time/);
    await expect(ask(timelineCommand, 'socar 2025-10-01 2025-09-01')).rejects.toThrow(/after "until"/);
    await expect(ask(timelineCommand, 'socar --page 0')).rejects.toThrow(/--page/);
  });

  it('/timeline pages long answers, narrows by since/until, and can attach a chart', async () => {
    const stories = app.queryDeps.stories;
    if (!stories) throw new Error('no story store');
    const request = { query: '', since: new Date(0), until: new Date('2025-12-01T00:00:00Z'), pageSize: 5, destination: app.destinations[0] ?? null };
    const page1 = await storyTimelineFor({ scorer: app.queryDeps.scorer, stories }, { ...request, page: 1 });
    const page2 = await storyTimelineFor({ scorer: app.queryDeps.scorer, stories }, { ...request, page: 2 });
    expect(page1.pages).toBeGreaterThanOrEqual(3);
    expect(page1.lines).toHaveLength(5);
    expect(page2.lines[0]?.story.firstAt.localeCompare(page1.lines[4]?.story.firstAt ?? '')).toBeGreaterThanOrEqual(0);
    expect(renderReply(await ask(timelineCommand, 'azerbaijan-russia --page 99'), PLAIN)).not.toMatch(/Show more/);
    const window = renderReply(await ask(timelineCommand, 'socar 2025-10-01 2025-10-31'), PLAIN);
    expect(window).not.toMatch(/Naftogaz/);
    expect(window).toMatch(/filling station/);
    const charted = await ask(timelineCommand, 'socar --chart');
    expect(charted.images?.[0]?.png.subarray(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]));
    expect(charted.images?.[0]?.alt).toMatch(/Stories per day for SOCAR/);
  });

  it('/digest 7d ranks the week’s stories with two-line summaries', async () => {
    const text = renderReply(await ask(digestCommand, '7d', '2025-10-14T00:00:00Z'), PLAIN);
    expect(text).toMatch(/^Digest: \d+ top stor(y|ies), last 7 days/);
    expect(text).toMatch(/1\. .*(depot|нафтобаз|Dushanbe)/i);
    const summaryLines = text.split('\n').filter((line) => /^ {2,}[^\d\s]/.test(line));
    expect(summaryLines.length).toBeGreaterThanOrEqual(2);
    await expect(ask(digestCommand, 'forever')).rejects.toThrow(/24h or \/digest 7d/);
    expect(renderReply(await ask(digestCommand, '24h', '2024-06-01T00:00:00Z'), PLAIN)).toMatch(/Nothing relevant happened/);
  });
});
