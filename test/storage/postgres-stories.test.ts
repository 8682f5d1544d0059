/**
 * Stories across workers on Postgres: two stores on two pools (two workers) assign reports of the
 * same event at the same moment. Exact duplicates and near duplicates of one profile must end in one
 * story with one alert, whichever worker gets there first.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryCandidate, StoryChoice, StoryMemberInput, StoryReport, StoryStore } from '../../src/pipeline/ports.js';
import { dropSchema } from '../../src/storage/postgres/admin.js';
import { createPostgresStoryStore, openPostgresDatabase, type PostgresDatabase } from '../../src/storage/postgres/index.js';
import { migrate } from '../../src/storage/postgres/migrations.js';
import { POSTGRES_URL } from './postgres-url.js';

const schema = `wws_${process.pid}_${randomBytes(3).toString('hex')}`;
const AT = '2025-10-12T04:35:00.000Z';
let dbs: PostgresDatabase[] = [];
let workers: StoryStore[] = [];

beforeAll(async () => {
  dbs = [0, 1].map(() => openPostgresDatabase(POSTGRES_URL, { schema, maxConnections: 4 }));
  await Promise.all(dbs.map((db) => migrate(db)));
  workers = dbs.map((db) => createPostgresStoryStore(db));
});

afterAll(async () => {
  await Promise.all(dbs.map((db) => db.close()));
  await dropSchema(POSTGRES_URL, schema);
});

function report(event: number, feedId: string, exactKeys: string[], bands: number[]): StoryReport {
  const member: StoryMemberInput = {
    feedId,
    feedName: `Feed ${feedId}`,
    itemKey: `${event}`,
    title: `Event ${event}`,
    link: null,
    snippet: '',
    publishedAt: AT,
    dated: true,
    score: 50,
    profiles: ['p'],
    entities: [`place-${event}`],
    terms: ['strike'],
    exactKeys,
    bands,
    signature: `sig-${event}`,
  };
  return { member, probe: { exactKeys, bands, entities: member.entities, at: new Date(AT), windowSeconds: 48 * 3600 } };
}

/** Whatever is already there is the same event: exact → duplicate, else join; nothing → a new story. */
function decide(_report: StoryReport, candidates: readonly StoryCandidate[]): StoryChoice {
  const [first] = candidates;
  const target = first ? { kind: first.exact ? ('duplicate' as const) : ('join' as const), storyId: first.story.id } : { kind: 'new' as const };
  return { target, intents: [{ destinationId: 'ops', update: null }] };
}

describe('StoryStore on Postgres with two workers at once', () => {
  it('folds exact and near duplicates of one event assigned concurrently into one story with one alert', async () => {
    const events = 12;
    const rounds = Array.from({ length: events }, async (_, event) => {
      // Even events: the same article from two outlets (one exact key); odd: a rewrite sharing an LSH band.
      const keys = event % 2 === 0 ? [[`u:news.example/${event}`], [`u:news.example/${event}`]] : [[`u:a.example/${event}`], [`u:b.example/${event}`]];
      const bands = event % 2 === 0 ? [[], []] : [[1000 + event], [1000 + event]];
      const [a, b] = await Promise.all([
        workers[0]!.assignMany([report(event, 'a', keys[0]!, bands[0]!)], decide, new Date(AT)),
        workers[1]!.assignMany([report(event, 'b', keys[1]!, bands[1]!)], decide, new Date(AT)),
      ]);
      return [...(a ?? []), ...(b ?? [])];
    });
    const assigned = await Promise.all(rounds);
    for (const [event, pair] of assigned.entries()) {
      expect(new Set(pair.map((assignment) => assignment.storyId)).size, `event ${event}: one story`).toBe(1);
      expect(pair.map((assignment) => assignment.relation).sort(), `event ${event}`).toEqual([event % 2 === 0 ? 'duplicate' : 'join', 'first'].sort());
      expect(pair.flatMap((assignment) => assignment.outcomes.filter((outcome) => outcome.outcome === 'alert')), `event ${event}: one alert`).toHaveLength(1);
    }
    const { total } = await workers[0]!.timeline({ entityIds: [], profiles: [], words: [], since: new Date(0), until: new Date(Date.parse(AT) + 1000), offset: 0, limit: 0 });
    expect(total).toBe(events);
  });
});
