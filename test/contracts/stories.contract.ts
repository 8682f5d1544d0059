/**
 * The StoryStore contract: every backend (SQLite now, Postgres next) runs these through a factory
 * that opens a fresh, empty store whose stories take at most `maxItems` reports.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryCandidate, StoryChoice, StoryMemberInput, StoryReport, StoryStore } from '../../src/pipeline/ports.js';

/** `pause` records a destination as paused the way the outbox store does (the paused_destinations table). */
export type OpenStoryStore = (options: { maxItems: number }) => Promise<{ stories: StoryStore; pause(destinationId: string): Promise<void>; close(): Promise<void> }>;

const T0 = Date.parse('2025-10-12T04:35:00.000Z');
const iso = (hours: number): string => new Date(T0 + hours * 3_600_000).toISOString();
const NOW = new Date(T0 + 100 * 3_600_000);

function member(feedId: string, itemKey: string, overrides: Partial<StoryMemberInput> = {}): StoryMemberInput {
  return {
    feedId,
    feedName: `Feed ${feedId}`,
    itemKey,
    title: `Report ${itemKey}`,
    link: `https://${feedId}.example/${itemKey}`,
    snippet: `Snippet of ${itemKey}.`,
    publishedAt: iso(0),
    dated: true,
    score: 50,
    profiles: ['p'],
    entities: ['socar', 'odesa'],
    terms: ['socar', 'depot'],
    exactKeys: [`u:${feedId}.example/${itemKey}`],
    bands: [1, 2, 3],
    signature: `sig-${itemKey}`,
    ...overrides,
  };
}

export function storyStoreContract(backend: string, open: OpenStoryStore): void {
  describe(`StoryStore contract (${backend})`, () => {
    let current: Awaited<ReturnType<OpenStoryStore>> | null = null;
    const store = (): StoryStore => {
      if (!current) throw new Error('no store open');
      return current.stories;
    };
    const pause = (destinationId: string): Promise<void> => {
      if (!current) throw new Error('no store open');
      return current.pause(destinationId);
    };
    beforeEach(async () => {
      current = await open({ maxItems: 3 });
    });
    afterEach(async () => {
      await current?.close();
      current = null;
    });

    it('starts a story, folds reports into it, counts outlets and keeps the best headline', async () => {
      const first = await store().assign(member('a', '1'), { kind: 'new' }, [], NOW);
      expect(first).toMatchObject({ relation: 'first', replayed: false });
      const join = await store().assign(member('b', '2', { score: 90, title: 'Best report', publishedAt: iso(-2), entities: ['socar', 'russia'] }), { kind: 'join', storyId: first.storyId }, [], NOW);
      const copy = await store().assign(member('a', '3'), { kind: 'duplicate', storyId: first.storyId }, [], NOW);
      expect([join.storyId, copy.storyId]).toEqual([first.storyId, first.storyId]);
      const { stories, total } = await store().timeline({ entityIds: [], profiles: [], words: [], since: new Date(0), until: NOW, offset: 0, limit: 10 });
      expect(total).toBe(1);
      // The same outlet's copy is an echo: neither a new report nor a new source.
      expect(stories[0]).toMatchObject({ headline: 'Best report', link: 'https://b.example/2', bestScore: 90, itemCount: 2, sourceCount: 2, firstAt: iso(-2), lastAt: iso(0), undated: false });
      expect([...(stories[0]?.entities ?? [])].sort()).toEqual(['odesa', 'russia', 'socar']);
    });

    it('finds candidates by exact key and LSH band at any time, by entity only near the story’s start (window + at most 3 days)', async () => {
      const { storyId } = await store().assign(member('a', '1'), { kind: 'new' }, [], NOW);
      const probe = { exactKeys: [] as string[], bands: [] as number[], entities: [] as string[], at: new Date(T0), windowSeconds: 48 * 3600 };
      expect(await store().candidates({ ...probe, exactKeys: ['u:a.example/1'], at: new Date(T0 + 900 * 3_600_000) })).toMatchObject([{ story: { id: storyId }, exact: true }]);
      expect(await store().candidates({ ...probe, bands: [2, 99], at: new Date(T0 + 900 * 3_600_000) })).toMatchObject([{ exact: false, nearSignatures: ['sig-1'] }]);
      expect(await store().candidates({ ...probe, entities: ['odesa'], at: new Date(T0 + 40 * 3_600_000) })).toHaveLength(1);
      expect(await store().candidates({ ...probe, entities: ['odesa'], at: new Date(T0 - 50 * 3_600_000) })).toEqual([]);
      expect(await store().candidates({ ...probe, entities: ['odesa'], at: new Date(T0 + 6 * 24 * 3_600_000) })).toEqual([]);
      expect(await store().candidates({ ...probe, entities: ['aktau'] })).toEqual([]);
    });

    it('grants one alert per destination and story; later reports become follow-ups, one update at most; duplicates never alert', async () => {
      const intents = [{ destinationId: 'slack', update: null }, { destinationId: 'term', update: null }];
      const first = await store().assign(member('a', '1'), { kind: 'new' }, intents, NOW);
      expect(first.outcomes.map((outcome) => outcome.outcome)).toEqual(['alert', 'alert']);
      const joined = await store().assign(member('b', '2'), { kind: 'join', storyId: first.storyId }, [{ destinationId: 'slack', update: 'now also involves Russia' }, { destinationId: 'term', update: null }], NOW);
      expect(joined.outcomes).toEqual([
        { destinationId: 'slack', outcome: 'update', change: 'now also involves Russia' },
        { destinationId: 'term', outcome: 'follow-up', change: null },
      ]);
      const again = await store().assign(member('c', '3'), { kind: 'join', storyId: first.storyId }, [{ destinationId: 'slack', update: 'relevance rose' }], NOW);
      expect(again.outcomes[0]?.outcome).toBe('follow-up');
      const echo = await store().assign(member('a', '4'), { kind: 'duplicate', storyId: first.storyId }, intents, NOW);
      expect(echo.outcomes.map((outcome) => outcome.outcome)).toEqual(['none', 'none']);
      // Even a destination that never saw the story gets no alert from a duplicate report.
      const late = await store().assign(member('d', '5'), { kind: 'duplicate', storyId: first.storyId }, [{ destinationId: 'discord', update: null }], NOW);
      expect(late.outcomes[0]?.outcome).toBe('none');
    });

    it('is idempotent per report: a re-run gets the recorded decision back', async () => {
      const first = await store().assign(member('a', '1'), { kind: 'new' }, [{ destinationId: 'term', update: null }], NOW);
      const replay = await store().assign(member('a', '1'), { kind: 'new' }, [{ destinationId: 'term', update: null }], NOW);
      expect(replay).toEqual({ ...first, replayed: true });
    });

    it('assigns a poll’s reports in order: each sees the stories of the ones before; a re-run does not decide again', async () => {
      const probe = (keys: string[]) => ({ exactKeys: keys, bands: [], entities: ['socar'], at: new Date(T0), windowSeconds: 48 * 3600 });
      const reports = [
        { member: member('a', '1'), probe: probe(['u:a.example/1']) },
        { member: member('b', '2', { exactKeys: ['u:a.example/1'] }), probe: probe(['u:a.example/1']) },
      ];
      const seen: number[] = [];
      const decide = (_report: StoryReport, candidates: readonly StoryCandidate[]): StoryChoice => {
        seen.push(candidates.length);
        const exact = candidates.find((candidate) => candidate.exact);
        return { target: exact ? { kind: 'duplicate' as const, storyId: exact.story.id } : { kind: 'new' as const }, intents: [{ destinationId: 'term', update: null }] };
      };
      const first = await store().assignMany(reports, decide, NOW);
      expect(seen).toEqual([0, 1]);
      expect(first.map((assignment) => [assignment.relation, assignment.outcomes[0]?.outcome])).toEqual([['first', 'alert'], ['duplicate', 'follow-up']]);
      expect(first[1]?.storyId).toBe(first[0]?.storyId);
      const again = await store().assignMany(reports, decide, NOW);
      expect(seen).toEqual([0, 1]);
      expect(again).toEqual(first.map((assignment) => ({ ...assignment, replayed: true })));
    });

    it('caps a story: once full, a join starts a new story', async () => {
      const { storyId } = await store().assign(member('a', '1'), { kind: 'new' }, [], NOW);
      await store().assign(member('b', '2'), { kind: 'join', storyId }, [], NOW);
      await store().assign(member('c', '3'), { kind: 'join', storyId }, [], NOW);
      const fourth = await store().assign(member('d', '4'), { kind: 'join', storyId }, [], NOW);
      expect(fourth).toMatchObject({ relation: 'first' });
      expect(fourth.storyId).not.toBe(storyId);
    });

    it('tells delivery an alert’s story, and releases follow-ups only once the alert was sent', async () => {
      const first = await store().assign(member('a', '1'), { kind: 'new' }, [{ destinationId: 'term', update: null }], NOW);
      await store().assign(member('b', '2'), { kind: 'join', storyId: first.storyId }, [{ destinationId: 'term', update: null }], NOW);
      const third = await store().assign(member('c', '3'), { kind: 'duplicate', storyId: first.storyId }, [{ destinationId: 'term', update: null }], NOW);
      expect(third.outcomes[0]?.outcome).toBe('follow-up');
      expect(await store().alertFor('term', 'a', '1')).toMatchObject({ storyId: first.storyId, outcome: 'alert', change: null });
      expect(await store().alertFor('term', 'b', '2')).toBeNull();
      expect(await store().pendingFollowUps(10)).toEqual([]);

      await store().alertSent('term', 'a', '1', 'ts-1', NOW);
      const [pending, ...rest] = await store().pendingFollowUps(10);
      expect(rest).toEqual([]);
      expect(pending).toMatchObject({ destinationId: 'term', storyId: first.storyId, alertReceipt: 'ts-1', story: { sourceCount: 3 } });
      expect(pending?.members.map((entry) => entry.feedId)).toEqual(['b', 'c']);
      await store().followUpsSent('term', first.storyId, pending?.members.at(-1)?.id ?? 0, NOW);
      expect(await store().pendingFollowUps(10)).toEqual([]);
    });

    it('holds back the follow-ups of a paused destination, not the others', async () => {
      const intents = [{ destinationId: 'a-paused', update: null }, { destinationId: 'b-fine', update: null }];
      const first = await store().assign(member('a', '1'), { kind: 'new' }, intents, NOW);
      await store().assign(member('b', '2'), { kind: 'join', storyId: first.storyId }, intents, NOW);
      await store().alertSent('a-paused', 'a', '1', 'ts-a', NOW);
      await store().alertSent('b-fine', 'a', '1', 'ts-b', NOW);
      await pause('a-paused');
      expect((await store().pendingFollowUps(1)).map((group) => group.destinationId)).toEqual(['b-fine']);
    });

    it('answers the timeline by entity, profile or words, in time order, paged, with the total', async () => {
      const a = await store().assign(member('a', '1', { publishedAt: iso(10), entities: ['orlovka'], profiles: ['p'], title: 'Orlovka compressor strike' }), { kind: 'new' }, [], NOW);
      const b = await store().assign(member('b', '2', { publishedAt: iso(0), entities: ['socar'], profiles: ['q'], title: 'SOCAR depot hit' }), { kind: 'new' }, [], NOW);
      const c = await store().assign(member('c', '3', { publishedAt: iso(20), entities: ['socar', 'orlovka'], profiles: ['p'], title: 'SOCAR gas deal' }), { kind: 'new' }, [], NOW);
      const query = { entityIds: [] as string[], profiles: [] as string[], words: [] as string[], since: new Date(0), until: NOW, offset: 0, limit: 10 };
      const ids = async (overrides: Partial<typeof query>): Promise<number[]> => (await store().timeline({ ...query, ...overrides })).stories.map((story) => story.id);
      expect(await ids({ entityIds: ['socar'] })).toEqual([b.storyId, c.storyId]);
      expect(await ids({ profiles: ['p'] })).toEqual([a.storyId, c.storyId]);
      expect(await ids({ words: ['SOCAR', 'deal'] })).toEqual([c.storyId]);
      expect(await ids({ since: new Date(iso(5)), until: new Date(iso(15)) })).toEqual([a.storyId]);
      const page = await store().timeline({ ...query, offset: 1, limit: 1 });
      expect(page).toMatchObject({ total: 3, atLeast: false });
      expect(page.stories.map((story) => story.id)).toEqual([a.storyId]);
      // Counting may stop at countUpTo: the total is then that number, and more match.
      expect(await store().timeline({ ...query, offset: 1, limit: 1, countUpTo: 2 })).toMatchObject({ stories: [{ id: a.storyId }], total: 2, atLeast: true });
      expect(await store().timeline({ ...query, countUpTo: 3 })).toMatchObject({ total: 3, atLeast: false });
      expect(await store().timeline({ ...query, words: ['socar'], countUpTo: 1 })).toMatchObject({ total: 1, atLeast: true });
      expect(await store().timeline({ ...query, entityIds: ['orlovka'], countUpTo: 5 })).toMatchObject({ total: 2, atLeast: false });
    });

    it('lists active stories of profiles and their best reports, and remembers digests', async () => {
      const a = await store().assign(member('a', '1', { score: 40 }), { kind: 'new' }, [], NOW);
      await store().assign(member('b', '2', { score: 80 }), { kind: 'join', storyId: a.storyId }, [], NOW);
      await store().assign(member('c', '3', { profiles: ['other'], entities: ['x'] }), { kind: 'new' }, [], NOW);
      const active = await store().active(['p'], new Date(iso(-1)), new Date(iso(1)), 10);
      expect(active.map((story) => story.id)).toEqual([a.storyId]);
      expect(await store().active(['p'], new Date(iso(5)), new Date(iso(6)), 10)).toEqual([]);
      const members = await store().members([a.storyId], 1);
      expect(members.map((entry) => entry.feedId)).toEqual(['b']);
      expect(await store().lastDigestAt('term')).toBeNull();
      await store().recordDigest('term', NOW);
      expect(await store().lastDigestAt('term')).toBe(NOW.toISOString());
    });

    it('flags a story whose first report had no date', async () => {
      await store().assign(member('a', '1', { dated: false }), { kind: 'new' }, [], NOW);
      const { stories } = await store().timeline({ entityIds: [], profiles: [], words: [], since: new Date(0), until: NOW, offset: 0, limit: 10 });
      expect(stories[0]?.undated).toBe(true);
    });
  });
}
