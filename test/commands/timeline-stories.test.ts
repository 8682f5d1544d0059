/**
 * /timeline over many stories: past 1,000 matches the store stops counting and the reply says
 * "1,000+ stories"; a page beyond that is still found, and its count is exact again when known.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storyTimelineReply } from '../../src/commands/story-lines.js';
import { loadProfileFile } from '../../src/config/profile.js';
import type { StoryReport, StoryStore } from '../../src/pipeline/ports.js';
import { storyTimelineFor, type StoryTimelineAnswer } from '../../src/pipeline/story-queries.js';
import { renderReply } from '../../src/platforms/console/render.js';
import { PLAIN } from '../../src/platforms/console/terminal-text.js';
import { createScorer, type Scorer } from '../../src/scoring/index.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/index.js';
import { createSqliteStoryStore } from '../../src/storage/sqlite/story-store.js';
import { REPO_ROOT } from '../support/app-config.js';

const START = Date.parse('2025-01-01T00:00:00Z');
const STORIES = 1_030;

function report(index: number): StoryReport {
  const member = {
    feedId: 'wire', feedName: 'Wire', itemKey: `k${index}`, title: `Ulpar convoy update ${index}`, link: `https://wire.example/${index}`, snippet: '',
    publishedAt: new Date(START + index * 60_000).toISOString(), dated: true, score: 60, profiles: ['azerbaijan-russia'], entities: ['socar'],
    terms: [], exactKeys: [`k:${index}`], bands: [], signature: '',
  };
  return { member, probe: { exactKeys: member.exactKeys, bands: [], entities: [], at: new Date(START), windowSeconds: 0 } };
}

describe('/timeline past 1,000 stories', () => {
  let dir: string;
  let db: SqliteDatabase;
  let stories: StoryStore;
  let scorer: Scorer;
  const ask = (page: number): Promise<StoryTimelineAnswer> =>
    storyTimelineFor({ scorer, stories }, { query: 'ulpar', since: new Date(0), until: new Date(START + STORIES * 60_000), page, pageSize: 25, destination: null });
  const render = (answer: StoryTimelineAnswer): string =>
    renderReply(storyTimelineReply(answer, { query: 'ulpar', window: 'all time', labels: new Map(), nextCommand: `/timeline ulpar --page ${answer.page + 1}`, chart: false }), PLAIN);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-timeline-stories-'));
    db = openSqliteDatabase(path.join(dir, 'stories.sqlite'));
    stories = createSqliteStoryStore(db);
    scorer = createScorer([loadProfileFile(path.join(REPO_ROOT, 'config/profiles/azerbaijan-russia.yaml'))]);
    await stories.assignMany(Array.from({ length: STORIES }, (_, index) => report(index)), () => ({ target: { kind: 'new' }, intents: [] }), new Date(START));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says "1,000+ stories" and offers the next page', async () => {
    const first = await ask(1);
    expect(first).toMatchObject({ total: 1_000, atLeast: true, pages: 40 });
    expect(first.lines.map((line) => line.story.headline)).toEqual(Array.from({ length: 25 }, (_, index) => `Ulpar convoy update ${index}`));
    const text = render(first);
    expect(text).toMatch(/^Timeline: "ulpar" \(all time\) — 1,000\+ stories/);
    expect(text).toMatch(/Page 1 of 40\+\. Show more: \/timeline ulpar --page 2/);
  });

  it('finds a page past the 1,000th story, and counts exactly where the count reaches the end', async () => {
    const deep = await ask(42);
    expect(deep.lines.map((line) => line.story.headline)).toEqual(Array.from({ length: 5 }, (_, index) => `Ulpar convoy update ${1_025 + index}`));
    expect(deep).toMatchObject({ total: STORIES, atLeast: false, pages: 42 });
    const text = render(deep);
    expect(text).toMatch(/— 1030 stories/);
    expect(text).not.toMatch(/Show more/);
  });

  it('drops function words from free words, unless there is nothing else', async () => {
    const until = new Date(START + STORIES * 60_000);
    const asked = (query: string): Promise<StoryTimelineAnswer> => storyTimelineFor({ scorer, stories }, { query, since: new Date(0), until, page: 1, pageSize: 25, destination: null });
    expect((await asked('the convoy update 7')).words).toEqual(['convoy', 'update', '7']);
    expect((await asked('и the')).words).toEqual(['и', 'the']);
    // News words narrow a search: only function words go.
    expect((await asked('new york report')).words).toEqual(['new', 'york', 'report']);
  });
});
