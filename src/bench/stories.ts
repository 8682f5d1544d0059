/**
 * `wirewatch bench stories`: (1) story assignment (report features, MinHash signature, candidate
 * lookup, decision, one SQLite transaction) per new report while the store grows to 100,000
 * reports, 8 % of them edited re-publications; (2) /timeline over 1,000,000 stored reports (in
 * ~250,000 stories), by entity and time, as the command asks it. A temp SQLite file; nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProfileFile } from '../config/profile.js';
import type { FeedItem } from '../core/item.js';
import type { ScoreResult } from '../core/score.js';
import { assignStories, storyPolicyFor } from '../pipeline/assign-stories.js';
import { reportWords } from '../pipeline/score-items.js';
import type { IngestEntry, StoryCandidate, StoryChoice, StoryReport } from '../pipeline/ports.js';
import { storyTimelineFor } from '../pipeline/story-queries.js';
import { createScorer } from '../scoring/index.js';
import { openSqliteDatabase } from '../storage/sqlite/index.js';
import { createSqliteStoryStore } from '../storage/sqlite/story-store.js';
import type { Benchmark } from './report.js';
import { randomFrom } from './scoring.js';

const HOUR = 3_600_000;

function scoreOf(entities: readonly string[], score: number): ScoreResult {
  return { profile: 'azerbaijan-russia', score, threshold: 50, alert: true, reasons: [], entities: [...entities] };
}

/** A synthetic vocabulary of 3,000 words (syllable strings): enough that unrelated reports share few words. */
function vocabulary(random: () => number): string[] {
  const syllables = ['ka', 'ro', 'mi', 'den', 'tor', 'val', 'sen', 'bri', 'lo', 'gan', 'vex', 'ul', 'par', 'zet', 'qua', 'mon'];
  const words = new Set<string>();
  while (words.size < 3_000) words.add(Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join(''));
  return [...words];
}

interface SyntheticEvent {
  readonly entities: string[];
  readonly words: string[];
}

/**
 * Reports about events: a new event one time in five, otherwise one of the 200 most recent (recent
 * ones likelier); each report uses two or three of its event's entities and words drawn mostly from
 * the event's own 12, like outlets retelling one story.
 */
function reportStream(random: () => number, entityIds: readonly string[], start: number): (index: number) => { item: FeedItem; entities: string[] } {
  const words = vocabulary(random);
  const events: SyntheticEvent[] = [];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return (index) => {
    if (events.length === 0 || random() < 0.2) {
      events.push({ entities: [pick(entityIds), pick(entityIds), pick(entityIds)], words: Array.from({ length: 12 }, () => pick(words)) });
      if (events.length > 200) events.shift();
    }
    const event = events[events.length - 1 - Math.floor(random() ** 2 * events.length)] ?? events[0];
    if (!event) throw new Error('no event');
    const entities = [...new Set(event.entities.filter(() => random() < 0.8))];
    const text = (count: number): string => Array.from({ length: count }, () => (random() < 0.8 ? pick(event.words) : pick(words))).join(' ');
    return {
      item: { key: `k${index}`, guid: null, link: `https://feed${index % 50}.example/${index}`, title: text(8), summary: text(30), published: new Date(start + index * 60_000).toISOString(), author: null },
      entities: entities.length > 0 ? entities : [event.entities[0] ?? 'socar'],
    };
  };
}

export const benchmark: Benchmark = async ({ quick, log }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-bench-stories-'));
  try {
    const profile = loadProfileFile(path.resolve('config/profiles/azerbaijan-russia.yaml'));
    const scorer = createScorer([profile]);
    const entityIds = profile.entities.map((entity) => entity.id);
    const policy = storyPolicyFor([profile]);
    const random = randomFrom(7);
    const start = Date.parse('2025-01-01T00:00:00Z');

    // (1) Assignment while the store grows.
    const assignN = quick ? 5_000 : 100_000;
    const db = openSqliteDatabase(path.join(dir, 'assign.sqlite'));
    const stories = createSqliteStoryStore(db);
    const nextReport = reportStream(random, entityIds, start);
    const recent: FeedItem[] = [];
    let nearCopies = 0;
    // Only the assignStories calls are timed: making up the synthetic reports is the bench's work, not the store's.
    let assignMs = 0;
    let lastTenth = 0;
    for (let index = 0; index < assignN; index += 100) {
      const entries: IngestEntry[] = [];
      for (let offset = 0; offset < 100 && index + offset < assignN; offset++) {
        const number = index + offset;
        const fresh = nextReport(number);
        const source = recent.length > 0 && random() < 0.08 ? recent[Math.floor(random() * recent.length)] : undefined;
        const item = source ? { ...source, key: `k${number}`, link: `https://copy.example/${number}`, title: `${source.title} (updated)` } : fresh.item;
        if (source) nearCopies++;
        // The words come from the scorer's reading, as on the ingest path (scoring's cost: bench scoring).
        const words = reportWords(scorer.analyze(item));
        entries.push({ item, scores: [scoreOf(fresh.entities, 60 + random() * 60)], alerts: [{ destinationId: 'terminal', profile: 'azerbaijan-russia', score: 70 }], words });
        recent.push(fresh.item);
        if (recent.length > 3_000) recent.shift();
      }
      const batchStart = performance.now();
      await assignStories({ stories, storyPolicy: policy }, { id: `feed${index % 50}`, name: 'Bench feed' }, entries, new Date(start + index * 60_000));
      const batchMs = performance.now() - batchStart;
      assignMs += batchMs;
      if (index >= assignN * 0.9) lastTenth += batchMs;
    }
    const storyCount = (await stories.timeline({ entityIds: [], profiles: [], words: [], since: new Date(0), until: new Date(8e15), offset: 0, limit: 1 })).total;
    db.close();
    log(`assigned ${assignN} reports in ${Math.round(assignMs)} ms`);

    // (2) Timeline over a million stored reports: members go straight into stories of ~4 reports.
    const timelineN = quick ? 20_000 : 1_000_000;
    const big = openSqliteDatabase(path.join(dir, 'timeline.sqlite'));
    const bigStories = createSqliteStoryStore(big);
    const loadStream = reportStream(randomFrom(11), entityIds, start);
    const loadBegan = performance.now();
    let firstTitle = '';
    for (let index = 0; index < timelineN; index += 1_000) {
      const reports = Array.from({ length: Math.min(1_000, timelineN - index) }, (_, offset) => {
        const { item, entities } = loadStream(index + offset);
        if (firstTitle === '') firstTitle = item.title;
        const member = {
          feedId: `feed${(index + offset) % 50}`, feedName: 'Bench feed', itemKey: item.key, title: item.title, link: item.link, snippet: item.summary.slice(0, 200),
          publishedAt: item.published ?? new Date(start).toISOString(), dated: true, score: 60, profiles: ['azerbaijan-russia'], entities,
          terms: [], exactKeys: [`g:${Math.floor((index + offset) / 4)}`], bands: [], signature: '',
        };
        return { member, probe: { exactKeys: member.exactKeys, bands: [], entities: [], at: new Date(start), windowSeconds: 0 } };
      });
      // Stories of four reports each, tied by a shared key: the timeline's cost depends on stories and tags, not on matching.
      const decide = (_report: StoryReport, candidates: readonly StoryCandidate[]): StoryChoice => {
        const group = candidates.find((candidate) => candidate.exact);
        return { target: group ? { kind: 'join', storyId: group.story.id } : { kind: 'new' }, intents: [] };
      };
      await bigStories.assignMany(reports, decide, new Date());
      if (index > 0 && index % 200_000 === 0) log(`stored ${index} reports`);
    }
    const loadMs = performance.now() - loadBegan;
    const deps = { scorer, stories: bigStories };
    const end = new Date(start + timelineN * 60_000);
    const lastMonth = new Date(end.getTime() - 30 * 24 * HOUR);
    const matched = new Map<string, string>();
    const countOf = (answer: { total: number; atLeast: boolean }): string => `${answer.total.toLocaleString('en-US')}${answer.atLeast ? '+' : ''}`;
    const ask = async (query: string, since: Date, page: number): Promise<number> => {
      const t = performance.now();
      const answer = await storyTimelineFor(deps, { query, since, until: end, page, pageSize: 25, destination: null });
      matched.set(query, countOf(answer));
      return performance.now() - t;
    };
    // Words of the first report: its first is a common prefix ("ulpar…", in about 12 % of the
    // stories), the others plain vocabulary words (about 1 %), and two of them share an event.
    const [commonWord = '', rarerWord = ''] = firstTitle.split(' ');
    const timings: (readonly [string, number])[] = [];
    for (const [label, query, since, page] of [
      ['entity (SOCAR), all time', 'socar', new Date(0), 1],
      ['entity (Orlovka, Cyrillic), last 30 days', 'Орловка', lastMonth, 1],
      ['free words, no match, all time', 'drone depot', new Date(0), 1],
      ['one common word, all time', commonWord, new Date(0), 1],
      ['one common word, all time, page 40', commonWord, new Date(0), 40],
      ['one common word, last 30 days', commonWord, lastMonth, 1],
      ['two words of one event, all time', `${commonWord} ${rarerWord}`, new Date(0), 1],
      ['one rarer word, all time', rarerWord, new Date(0), 1],
      // The worst case for words: the prefix of most titles' words, so a set of ~1/3 of all titles.
      ['a two-letter prefix, all time', commonWord.slice(0, 2), new Date(0), 1],
    ] as const) {
      await ask(query, since, page);
      const runs = [await ask(query, since, page), await ask(query, since, page), await ask(query, since, page)].sort((a, b) => a - b);
      timings.push([`${label} ("${query}")`, runs[1] ?? 0]);
      log(`timeline "${query}" page ${page}: ${matched.get(query) ?? 0} stories`);
    }
    // Words with an entity: no /timeline query asks this (an entity takes over the query), the port allows it.
    const wordAndEntity = async (): Promise<number> => {
      const t = performance.now();
      await bigStories.timeline({ entityIds: ['socar'], profiles: [], words: [commonWord], since: new Date(0), until: end, offset: 0, limit: 25, countUpTo: 1_000 });
      return performance.now() - t;
    };
    await wordAndEntity();
    const entityRuns = [await wordAndEntity(), await wordAndEntity(), await wordAndEntity()].sort((a, b) => a - b);
    timings.push([`store: a common word + an entity (SOCAR), all time ("${commonWord}")`, entityRuns[1] ?? 0]);
    big.close();

    const perItemUs = (assignMs * 1000) / assignN;
    const lastTenthUs = (lastTenth * 1000) / (assignN * 0.1);
    return {
      name: 'stories',
      note:
        `Assignment: ${assignN.toLocaleString('en-US')} synthetic reports (3 profile entities each, 30 words, ${nearCopies.toLocaleString('en-US')} edited copies of recent ones) through assignStories on SQLite with the words the scorer read (as on the ingest path): features (join terms, OPH MinHash, bands) + candidates + decision, one IMMEDIATE transaction per poll of 100 reports; ` +
        `${storyCount.toLocaleString('en-US')} stories resulted. Target ≤ 100 µs/report. Timeline: ${timelineN.toLocaleString('en-US')} stored reports in ${Math.ceil(timelineN / 4).toLocaleString('en-US')} stories (loaded in ${Math.round(loadMs / 1000)} s); ` +
        'median of 3 runs of the /timeline use-case (query resolution, page of 25, the total counted up to 1,000, related-story expansion when the answer is small). Target ≤ 200 ms.',
      columns: ['measure', 'value'],
      rows: [
        ['assignment, µs/report (all)', perItemUs],
        ['assignment, µs/report (last 10 %, store ≥ 90 % full)', lastTenthUs],
        ...timings.map(([label, ms]) => [`timeline ms: ${label}`, ms] as const),
      ],
      figures: {
        assignReports: assignN,
        assignStories: storyCount,
        assignUsPerReport: perItemUs,
        assignUsPerReportLastTenth: lastTenthUs,
        timelineReports: timelineN,
        timelineMs: Object.fromEntries(timings),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
