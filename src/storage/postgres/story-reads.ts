import type { PendingFollowUp, StoryAlertContext, StoryMember, StorySnapshot, StoryStore, StoryTimelinePage, StoryTimelineQuery } from '../../pipeline/ports.js';
import type { PostgresDatabase } from './database.js';
import { dateOf, foldText } from './rows.js';
import { MEMBER_COLUMNS, memberFromRow, STORY_COLUMNS, storyFromRow, type MemberRow, type StoryRow } from './story-rows.js';

type StoryReads = Omit<StoryStore, 'candidates' | 'assign' | 'assignMany'>;

/**
 * $1 since, $2 until, $3 tags, $4 folded words. Stories by entity or profile come from the
 * (tag, first_at) index; words are substrings of the story's folded headline and titles.
 */
const TIMELINE_FILTER = `
  FROM stories s
  WHERE s.first_at >= $1 AND s.first_at <= $2
    AND (cardinality($3::text[]) = 0 OR s.id IN (
      SELECT story_id FROM story_tags WHERE tag = ANY($3::text[]) AND first_at >= $1 AND first_at <= $2))
    AND (cardinality($4::text[]) = 0 OR NOT EXISTS (
      SELECT 1 FROM unnest($4::text[]) AS w(word) WHERE strpos(s.folded, w.word) = 0))`;

interface FollowUpRow extends MemberRow {
  readonly destination_id: string;
  readonly receipt: string | null;
}

interface AlertRow {
  readonly story_id: number;
  readonly kind: 'alert' | 'update';
  readonly change: string | null;
  readonly source_count: number;
  readonly item_count: number;
}

export function createPostgresStoryReads(db: PostgresDatabase): StoryReads {
  return {
    async timeline(query: StoryTimelineQuery): Promise<StoryTimelinePage> {
      const tags = [...query.entityIds.map((id) => `e:${id}`), ...query.profiles.map((id) => `p:${id}`)];
      const words = [...new Set(query.words.map((word) => foldText(word.trim())).filter(Boolean))];
      const filter = [dateOf(query.since, 'since'), dateOf(query.until, 'until'), tags, words];
      const limit = Math.max(0, Math.floor(query.limit));
      const offset = Math.max(0, Math.floor(query.offset));
      const countUpTo = query.countUpTo === undefined ? null : Math.max(0, Math.floor(query.countUpTo));
      const [rows, counted] = await Promise.all([
        limit === 0
          ? Promise.resolve([])
          : db.query<StoryRow>('read the story timeline', `SELECT ${STORY_COLUMNS} ${TIMELINE_FILTER} ORDER BY s.first_at, s.id LIMIT $5 OFFSET $6`, [...filter, limit, offset]),
        // LIMIT NULL counts them all; one past countUpTo tells "more than that".
        db.query<{ total: number }>('count the story timeline', `SELECT count(*) AS total FROM (SELECT 1 ${TIMELINE_FILTER} LIMIT $5) c`, [...filter, countUpTo === null ? null : countUpTo + 1]),
      ]);
      const total = counted[0]?.total ?? 0;
      const atLeast = countUpTo !== null && total > countUpTo;
      return { stories: rows.map(storyFromRow), total: atLeast ? (countUpTo ?? total) : total, atLeast };
    },
    async active(profiles, since, until, limit): Promise<StorySnapshot[]> {
      const rows = await db.query<StoryRow>(
        'read active stories',
        `SELECT ${STORY_COLUMNS} FROM stories s
         WHERE s.last_at >= $2 AND s.first_at <= $3
           AND EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id AND t.tag = ANY($1::text[]))
         ORDER BY s.best_score * s.source_count DESC, s.last_at DESC LIMIT $4`,
        [profiles.map((id) => `p:${id}`), dateOf(since, 'since'), dateOf(until, 'until'), Math.max(0, Math.floor(limit))],
      );
      return rows.map(storyFromRow);
    },
    async members(storyIds, perStory): Promise<StoryMember[]> {
      if (storyIds.length === 0) return [];
      const rows = await db.query<MemberRow>(
        'read story reports',
        `SELECT * FROM (
           SELECT ${MEMBER_COLUMNS}, row_number() OVER (PARTITION BY m.story_id ORDER BY m.score DESC, m.id) AS rank
           FROM story_members m WHERE m.story_id = ANY($1::bigint[])
         ) r WHERE rank <= $2 ORDER BY story_id, rank`,
        [[...storyIds], Math.max(1, Math.floor(perStory))],
      );
      return rows.map(memberFromRow);
    },
    async alertFor(destinationId, feedId, itemKey): Promise<StoryAlertContext | null> {
      const [row] = await db.query<AlertRow>(
        'read an alert’s story',
        `SELECT a.story_id, a.kind, a.change, s.source_count, s.item_count
         FROM story_members m JOIN story_alerts a ON a.member_id = m.id AND a.destination_id = $1 JOIN stories s ON s.id = a.story_id
         WHERE m.feed_id = $2 AND m.item_key = $3`,
        [destinationId, feedId, itemKey],
      );
      return row ? { storyId: row.story_id, outcome: row.kind, change: row.change, sourceCount: row.source_count, itemCount: row.item_count } : null;
    },
    async alertSent(destinationId, feedId, itemKey, receipt, at): Promise<void> {
      await db.query(
        'record a story alert sent',
        `UPDATE story_alerts SET receipt = $4, sent_at = $5
         WHERE destination_id = $1 AND sent_at IS NULL
           AND member_id = (SELECT id FROM story_members WHERE feed_id = $2 AND item_key = $3)`,
        [destinationId, feedId, itemKey, receipt, dateOf(at, 'at')],
      );
    },
    async pendingFollowUps(limit): Promise<PendingFollowUp[]> {
      const wanted = Math.max(1, Math.floor(limit));
      const rows = await db.query<FollowUpRow>(
        'read pending follow-ups',
        `SELECT f.destination_id, a.receipt, ${MEMBER_COLUMNS}
         FROM story_followups f
         JOIN story_alerts a ON a.destination_id = f.destination_id AND a.story_id = f.story_id AND a.kind = 'alert' AND a.sent_at IS NOT NULL
         JOIN story_members m ON m.id = f.member_id
         WHERE f.sent_at IS NULL AND f.destination_id NOT IN (SELECT destination_id FROM paused_destinations)
         ORDER BY f.destination_id, f.story_id, m.id LIMIT $1`,
        [wanted * 20],
      );
      const groups = new Map<string, { destinationId: string; storyId: number; receipt: string | null; members: StoryMember[] }>();
      for (const row of rows) {
        const key = `${row.destination_id}\u0000${row.story_id}`;
        const group = groups.get(key) ?? { destinationId: row.destination_id, storyId: row.story_id, receipt: row.receipt, members: [] };
        group.members.push(memberFromRow(row));
        groups.set(key, group);
      }
      const chosen = [...groups.values()].slice(0, wanted);
      if (chosen.length === 0) return [];
      const storyRows = await db.query<StoryRow>('read pending follow-ups’ stories', `SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = ANY($1::bigint[])`, [
        chosen.map((group) => group.storyId),
      ]);
      const stories = new Map(storyRows.map((row) => [row.id, storyFromRow(row)]));
      return chosen.flatMap((group) => {
        const story = stories.get(group.storyId);
        return story ? [{ destinationId: group.destinationId, storyId: group.storyId, alertReceipt: group.receipt, story, members: group.members }] : [];
      });
    },
    async followUpsSent(destinationId, storyId, upToMemberId, at): Promise<void> {
      await db.query(
        'mark follow-ups sent',
        'UPDATE story_followups SET sent_at = $1 WHERE destination_id = $2 AND story_id = $3 AND member_id <= $4 AND sent_at IS NULL',
        [dateOf(at, 'at'), destinationId, storyId, upToMemberId],
      );
    },
    async lastDigestAt(destinationId): Promise<string | null> {
      const [row] = await db.query<{ last_at: Date }>('read the last digest time', 'SELECT last_at FROM digests WHERE destination_id = $1', [destinationId]);
      return row ? row.last_at.toISOString() : null;
    },
    async recordDigest(destinationId, at): Promise<void> {
      await db.query(
        'record a digest',
        'INSERT INTO digests (destination_id, last_at) VALUES ($1, $2) ON CONFLICT (destination_id) DO UPDATE SET last_at = excluded.last_at',
        [destinationId, dateOf(at, 'at')],
      );
    },
  };
}
