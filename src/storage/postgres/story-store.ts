import type {
  StoryAssignment,
  StoryCandidate,
  StoryChoice,
  StoryIntent,
  StoryMemberInput,
  StoryOutcome,
  StoryProbe,
  StoryRelation,
  StoryStore,
} from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { dateOf, foldText } from './rows.js';
import { createPostgresStoryReads } from './story-reads.js';
import { runOn, STORY_COLUMNS, storyFromRow, unionCapped, type Run, type StoryRow } from './story-rows.js';

export interface PostgresStoryOptions {
  /** A story with this many reports takes no more joins (default 200). */
  readonly maxItems?: number;
}

// The SQLite store's limits (storage/sqlite/story-store.ts): both stores must decide alike.
const MAX_ENTITIES = 24;
const MAX_TERMS = 40;
const MAX_FOLDED = 4_000;
/** Band rows are kept for the first reports of a story only: enough to catch its re-publications. */
const MAX_BANDED_MEMBERS = 20;
/** Entity candidates are stories that started at most this long before the window (tags keep the start only). */
const MAX_SPAN_MS = 3 * 86_400_000;

type Outcomes = StoryAssignment['outcomes'][number][];
type Target = StoryChoice['target'];

interface RecordedRow {
  readonly id: number;
  readonly story_id: number;
  readonly relation: StoryRelation;
  readonly outcomes: Outcomes;
}

interface CandidateHit {
  readonly kind: 'exact' | 'near' | 'entity';
  readonly story_id: number;
  readonly signature: string | null;
}

const tagsOf = (entities: readonly string[], profiles: readonly string[]): string[] => [...entities.map((id) => `e:${id}`), ...profiles.map((id) => `p:${id}`)];

/**
 * What a report's assignment locks (docs/adr/0002-stories.md, "On Postgres"): each of its profiles
 * (every join and near duplicate is between reports of one profile) and each exact key (an exact
 * duplicate is one story whatever its profiles). Reports without a profile share one lock.
 */
function lockKeysOf(members: readonly StoryMemberInput[]): string[] {
  const keys = members.flatMap((member) => [...(member.profiles.length > 0 ? member.profiles : ['']).map((id) => `p:${id}`), ...member.exactKeys.map((key) => `x:${key}`)]);
  return [...new Set(keys)];
}

/**
 * Stories on Postgres, shared by N workers. Each assignment transaction first takes
 * transaction-level advisory locks on its reports' profiles and exact keys, in one sorted order
 * (no lock cycles between assignments), so two workers placing reports of one event run one after
 * the other and the second reads the first's stories (READ COMMITTED: every statement sees what
 * committed before it). The story row joined is re-read FOR UPDATE, and the (destination, story,
 * kind) primary key still decides who gets a story's alert.
 */
export function createPostgresStoryStore(db: PostgresDatabase, options: PostgresStoryOptions = {}): StoryStore {
  const maxItems = options.maxItems ?? 200;
  const lockPrefix = `wirewatch-story:${db.schema}:`;

  const lock = async (run: Run, members: readonly StoryMemberInput[]): Promise<void> => {
    await run(
      `SELECT count(pg_advisory_xact_lock(k)) FROM (
         SELECT DISTINCT hashtextextended($1 || key, 0) AS k FROM unnest($2::text[]) AS u(key) ORDER BY k) l`,
      [lockPrefix, lockKeysOf(members)],
    );
  };

  const recorded = async (run: Run, member: StoryMemberInput): Promise<StoryAssignment | null> => {
    const [row] = await run<RecordedRow>('SELECT id, story_id, relation, outcomes FROM story_members WHERE feed_id = $1 AND item_key = $2', [member.feedId, member.itemKey]);
    return row ? { storyId: row.story_id, memberId: row.id, relation: row.relation, outcomes: row.outcomes, replayed: true } : null;
  };

  const candidatesOn = async (run: Run, probe: StoryProbe): Promise<StoryCandidate[]> => {
    const limit = probe.limit ?? 10;
    const at = dateOf(probe.at, 'at').getTime();
    const window = probe.windowSeconds * 1000;
    const tags = probe.entities.slice(0, 6).map((id) => `e:${id}`);
    if (probe.exactKeys.length === 0 && probe.bands.length === 0 && tags.length === 0) return [];
    const perTag = Math.max(3, Math.ceil(limit / Math.max(1, tags.length)));
    // Exact keys, band matches (a few reports' signatures per story) and, per entity, the latest
    // stories that started in range (an index-ordered scan that stops at `perTag`): one round trip.
    const hits = await run<CandidateHit>(
      `SELECT 'exact'::text AS kind, story_id, NULL::text AS signature FROM story_keys WHERE key = ANY($1::text[])
       UNION ALL
       SELECT 'near', story_id, signature FROM (
         SELECT DISTINCT ON (b.member_id) b.member_id, b.story_id, m.signature
         FROM story_bands b JOIN story_members m ON m.id = b.member_id
         WHERE b.band = ANY($2::bigint[]) ORDER BY b.member_id LIMIT $3) n
       UNION ALL
       SELECT 'entity', t.story_id, NULL FROM unnest($4::text[]) AS e(tag) CROSS JOIN LATERAL (
         SELECT story_id FROM story_tags WHERE tag = e.tag AND first_at >= $5 AND first_at <= $6
         ORDER BY first_at DESC LIMIT $7) t`,
      [probe.exactKeys, probe.bands, limit * 4, tags, new Date(at - window - MAX_SPAN_MS), new Date(at + window), perTag],
    );
    const exact = new Set<number>();
    const near = new Map<number, string[]>();
    const nearby: number[] = [];
    for (const hit of hits) {
      if (hit.kind === 'exact') exact.add(hit.story_id);
      else if (hit.kind === 'entity') nearby.push(hit.story_id);
      else {
        const signatures = near.get(hit.story_id) ?? [];
        // A few reports per story are enough to recognise a re-publication; cap the stories too.
        if (signatures.length < 3 && (signatures.length > 0 || near.size < limit)) near.set(hit.story_id, [...signatures, hit.signature ?? '']);
      }
    }
    const ids = [...new Set([...exact, ...near.keys(), ...nearby])];
    if (ids.length === 0) return [];
    const rows = await run<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = ANY($1::bigint[]) ORDER BY s.id`, [ids]);
    return rows.map((row) => ({ story: storyFromRow(row), exact: exact.has(row.id), nearSignatures: near.get(row.id) ?? [] }));
  };

  const outcomesFor = async (run: Run, storyId: number, memberId: number, relation: StoryRelation, echo: boolean, intents: readonly StoryIntent[], now: Date): Promise<Outcomes> => {
    const outcomes: Outcomes = [];
    const claim = async (destinationId: string, kind: 'alert' | 'update', change: string | null): Promise<boolean> =>
      (
        await run(
          `INSERT INTO story_alerts (destination_id, story_id, kind, member_id, change, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [destinationId, storyId, kind, memberId, change, now],
        )
      ).length === 1;
    const followUp = (destinationId: string): Promise<unknown> =>
      run('INSERT INTO story_followups (destination_id, story_id, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [destinationId, storyId, memberId]);
    for (const intent of intents) {
      const result = (outcome: StoryOutcome, change: string | null = null): number => outcomes.push({ destinationId: intent.destinationId, outcome, change });
      if (relation === 'duplicate') {
        // The same article again: never an alert; a copy from another outlet is news of a new source.
        const alerted = echo ? [] : await run("SELECT 1 FROM story_alerts WHERE destination_id = $1 AND story_id = $2 AND kind = 'alert'", [intent.destinationId, storyId]);
        if (alerted.length === 0) {
          result('none');
          continue;
        }
      } else if (await claim(intent.destinationId, 'alert', null)) {
        result('alert');
        continue;
      } else if (intent.update !== null && (await claim(intent.destinationId, 'update', intent.update))) {
        result('update', intent.update);
        continue;
      }
      await followUp(intent.destinationId);
      result('follow-up');
    }
    return outcomes;
  };

  const newStory = async (run: Run, member: StoryMemberInput, at: Date, now: Date): Promise<number> => {
    const entities = member.entities.slice(0, MAX_ENTITIES);
    const [row] = await run<{ id: number }>(
      `INSERT INTO stories (first_at, last_at, headline, link, best_score, item_count, source_count, entities, terms, profiles, feeds, undated, folded, created_at)
       VALUES ($1, $1, $2, $3, $4, 1, 1, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [at, member.title, member.link, member.score, entities, member.terms.slice(0, MAX_TERMS), member.profiles, [member.feedId], !member.dated, foldText(member.title), now],
    );
    if (!row) throw new Error('INSERT … RETURNING gave no story id');
    await run('INSERT INTO story_tags (story_id, tag, first_at) SELECT $1::bigint, tag, $2::timestamptz FROM unnest($3::text[]) AS u(tag) ON CONFLICT DO NOTHING', [row.id, at, tagsOf(entities, member.profiles)]);
    return row.id;
  };

  /** Adds a report to a story row (locked by the caller): counts, headline, lists, and tags new to the story. */
  const grow = async (run: Run, current: StoryRow, member: StoryMemberInput, relation: StoryRelation, at: Date): Promise<{ echo: boolean }> => {
    const newSource = !current.feeds.includes(member.feedId);
    const echo = relation === 'duplicate' && !newSource;
    const better = member.score > current.best_score;
    const firstAt = at < current.first_at ? at : current.first_at;
    const entities = unionCapped(current.entities, member.entities, MAX_ENTITIES);
    const profiles = unionCapped(current.profiles, member.profiles, 50);
    await run(
      `UPDATE stories SET first_at = $2, last_at = $3, headline = $4, link = $5, best_score = $6, item_count = $7, source_count = $8,
         entities = $9, terms = $10, profiles = $11, feeds = $12, undated = $13,
         folded = CASE WHEN $14::text IS NULL OR length(folded) > ${MAX_FOLDED} THEN folded ELSE folded || E'\\n' || $14::text END
       WHERE id = $1`,
      [
        current.id,
        firstAt,
        echo || at <= current.last_at ? current.last_at : at,
        better ? member.title : current.headline,
        better ? member.link : current.link,
        Math.max(current.best_score, member.score),
        current.item_count + (echo ? 0 : 1),
        current.source_count + (newSource ? 1 : 0),
        entities,
        unionCapped(current.terms, member.terms, MAX_TERMS),
        profiles,
        newSource ? [...current.feeds, member.feedId] : current.feeds,
        at < current.first_at ? !member.dated : current.undated,
        echo ? null : foldText(member.title),
      ],
    );
    if (firstAt < current.first_at) await run('UPDATE story_tags SET first_at = $2 WHERE story_id = $1', [current.id, firstAt]);
    const known = new Set(tagsOf(current.entities, current.profiles));
    const added = tagsOf(entities, profiles).filter((tag) => !known.has(tag));
    if (added.length > 0) {
      await run('INSERT INTO story_tags (story_id, tag, first_at) SELECT $1::bigint, tag, $2::timestamptz FROM unnest($3::text[]) AS u(tag) ON CONFLICT DO NOTHING', [current.id, firstAt, added]);
    }
    return { echo };
  };

  /** Places one report not assigned before; the caller holds its locks. */
  const assignOn = async (run: Run, member: StoryMemberInput, choice: StoryChoice, now: Date): Promise<StoryAssignment> => {
    const { target, intents } = choice;
    const at = dateOf(member.publishedAt, 'publishedAt');
    const [current] = target.kind === 'new' ? [] : await run<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = $1 FOR UPDATE`, [target.storyId]);
    const joinable = current !== undefined && (target.kind === 'duplicate' || current.item_count < maxItems);
    const relation: StoryRelation = current && joinable && target.kind !== 'new' ? target.kind : 'first';
    const storyId = current && joinable ? current.id : await newStory(run, member, at, now);
    const { echo } = current && joinable ? await grow(run, current, member, relation, at) : { echo: false };
    const [inserted] = await run<{ id: number }>(
      `INSERT INTO story_members (story_id, feed_id, feed_name, item_key, title, link, snippet, published_at, dated, score, relation, signature, outcomes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '[]', $13) RETURNING id`,
      [storyId, member.feedId, member.feedName, member.itemKey, member.title, member.link, member.snippet, at, member.dated, member.score, relation, member.signature, now],
    );
    if (!inserted) throw new Error('INSERT … RETURNING gave no member id');
    const memberId = inserted.id;
    if (member.exactKeys.length > 0) {
      await run('INSERT INTO story_keys (key, story_id) SELECT key, $1::bigint FROM unnest($2::text[]) AS u(key) ON CONFLICT DO NOTHING', [storyId, member.exactKeys]);
    }
    if (!echo && member.bands.length > 0 && (relation === 'first' || (current?.item_count ?? 0) < MAX_BANDED_MEMBERS)) {
      await run('INSERT INTO story_bands (band, member_id, story_id) SELECT DISTINCT band, $1::bigint, $2::bigint FROM unnest($3::bigint[]) AS u(band) ON CONFLICT DO NOTHING', [memberId, storyId, member.bands]);
    }
    const outcomes = await outcomesFor(run, storyId, memberId, relation, echo, intents, now);
    if (outcomes.length > 0) await run('UPDATE story_members SET outcomes = $1::jsonb WHERE id = $2', [JSON.stringify(outcomes), memberId]);
    return { storyId, memberId, relation, outcomes, replayed: false };
  };

  return {
    ...createPostgresStoryReads(db),
    async candidates(probe: StoryProbe): Promise<StoryCandidate[]> {
      return candidatesOn((text, values) => db.query('find candidate stories', text, values), probe);
    },
    async assign(member: StoryMemberInput, target: Target, intents: readonly StoryIntent[], now: Date): Promise<StoryAssignment> {
      const at = dateOf(now, 'now');
      return db.transaction('assign a report to its story', async (client) => {
        const run = runOn(client);
        await lock(run, [member]);
        return (await recorded(run, member)) ?? (await assignOn(run, member, { target, intents }, at));
      });
    },
    async assignMany(reports, decide, now): Promise<StoryAssignment[]> {
      if (reports.length === 0) return [];
      const at = dateOf(now, 'now');
      return db.transaction('assign reports to their stories', async (client) => {
        const run = runOn(client);
        await lock(run, reports.map((report) => report.member));
        const assignments: StoryAssignment[] = [];
        // In order: each report's candidates include the stories the ones before it started.
        for (const report of reports) {
          const replay = await recorded(run, report.member);
          assignments.push(replay ?? (await assignOn(run, report.member, decide(report, await candidatesOn(run, report.probe)), at)));
        }
        return assignments;
      });
    },
  };
}
