import type { PendingFollowUp, StoryAlertContext, StoryMember, StorySnapshot, StoryStore } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './errors.js';
import { MEMBER_COLUMNS, memberFromRow, STORY_COLUMNS, storyFromRow, type MemberRow, type StoryRow } from './story-rows.js';
import { createStoryTimeline } from './story-timeline.js';
import { isoOf, msOf } from './time.js';

type StoryReads = Omit<StoryStore, 'candidates' | 'assign' | 'assignMany'>;

interface FollowUpRow extends MemberRow {
  readonly destination_id: string;
  readonly receipt: string | null;
}

export function createStoryReads(db: SqliteDatabase): StoryReads {
  const active = db.prepare<{ tags: string; since: number; until: number; limit: number }, StoryRow>(`
    SELECT ${STORY_COLUMNS} FROM stories s
    WHERE s.last_at >= @since AND s.first_at <= @until
      AND EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id AND t.tag IN (SELECT value FROM json_each(@tags)))
    ORDER BY s.best_score * s.source_count DESC, s.last_at DESC LIMIT @limit`);
  const members = db.prepare<[string, number], MemberRow>(`
    SELECT * FROM (
      SELECT ${MEMBER_COLUMNS}, row_number() OVER (PARTITION BY m.story_id ORDER BY m.score DESC, m.id) AS rank
      FROM story_members m WHERE m.story_id IN (SELECT value FROM json_each(?))
    ) WHERE rank <= ? ORDER BY story_id, rank`);
  const alertFor = db.prepare<[string, string, string], { story_id: number; kind: 'alert' | 'update'; change: string | null; source_count: number; item_count: number }>(`
    SELECT a.story_id, a.kind, a.change, s.source_count, s.item_count
    FROM story_members m JOIN story_alerts a ON a.member_id = m.id AND a.destination_id = ? JOIN stories s ON s.id = a.story_id
    WHERE m.feed_id = ? AND m.item_key = ?`);
  const alertSent = db.prepare<{ destination: string; feedId: string; itemKey: string; receipt: string | null; at: number }>(`
    UPDATE story_alerts SET receipt = @receipt, sent_at = @at
    WHERE destination_id = @destination AND sent_at IS NULL
      AND member_id = (SELECT id FROM story_members WHERE feed_id = @feedId AND item_key = @itemKey)`);
  const pending = db.prepare<[number], FollowUpRow>(`
    SELECT f.destination_id, a.receipt, ${MEMBER_COLUMNS}
    FROM story_followups f
    JOIN story_alerts a ON a.destination_id = f.destination_id AND a.story_id = f.story_id AND a.kind = 'alert' AND a.sent_at IS NOT NULL
    JOIN story_members m ON m.id = f.member_id
    WHERE f.sent_at IS NULL AND f.destination_id NOT IN (SELECT destination_id FROM paused_destinations)
    ORDER BY f.destination_id, f.story_id, m.id LIMIT ?`);
  const storiesById = db.prepare<[string], StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id IN (SELECT value FROM json_each(?))`);
  const followUpsSent = db.prepare<[number, string, number, number]>(
    'UPDATE story_followups SET sent_at = ? WHERE destination_id = ? AND story_id = ? AND member_id <= ? AND sent_at IS NULL',
  );
  const lastDigest = db.prepare<[string], number>('SELECT last_at FROM digests WHERE destination_id = ?').pluck();
  const recordDigest = db.prepare<[string, number]>(
    'INSERT INTO digests (destination_id, last_at) VALUES (?, ?) ON CONFLICT (destination_id) DO UPDATE SET last_at = excluded.last_at',
  );

  return {
    timeline: createStoryTimeline(db),
    async active(profiles, since, until, limit): Promise<StorySnapshot[]> {
      const params = { tags: JSON.stringify(profiles.map((id) => `p:${id}`)), since: msOf(since, 'since'), until: msOf(until, 'until'), limit: Math.max(0, Math.floor(limit)) };
      return guard('read active stories', () => active.all(params).map(storyFromRow));
    },
    async members(storyIds, perStory): Promise<StoryMember[]> {
      if (storyIds.length === 0) return [];
      return guard('read story reports', () => members.all(JSON.stringify(storyIds), Math.max(1, Math.floor(perStory))).map(memberFromRow));
    },
    async alertFor(destinationId, feedId, itemKey): Promise<StoryAlertContext | null> {
      const row = guard('read an alert’s story', () => alertFor.get(destinationId, feedId, itemKey));
      return row ? { storyId: row.story_id, outcome: row.kind, change: row.change, sourceCount: row.source_count, itemCount: row.item_count } : null;
    },
    async alertSent(destinationId, feedId, itemKey, receipt, at): Promise<void> {
      const when = msOf(at, 'at');
      guard('record a story alert sent', () => alertSent.run({ destination: destinationId, feedId, itemKey, receipt, at: when }));
    },
    async pendingFollowUps(limit): Promise<PendingFollowUp[]> {
      return guard('read pending follow-ups', () => {
        const rows = pending.all(Math.max(1, Math.floor(limit)) * 20);
        const groups = new Map<string, { destinationId: string; storyId: number; receipt: string | null; members: StoryMember[] }>();
        for (const row of rows) {
          const key = `${row.destination_id}\u0000${row.story_id}`;
          const group = groups.get(key) ?? { destinationId: row.destination_id, storyId: row.story_id, receipt: row.receipt, members: [] };
          group.members.push(memberFromRow(row));
          groups.set(key, group);
        }
        const chosen = [...groups.values()].slice(0, limit);
        const stories = new Map(storiesById.all(JSON.stringify(chosen.map((group) => group.storyId))).map((row) => [row.id, storyFromRow(row)]));
        return chosen.flatMap((group) => {
          const story = stories.get(group.storyId);
          return story ? [{ destinationId: group.destinationId, storyId: group.storyId, alertReceipt: group.receipt, story, members: group.members }] : [];
        });
      });
    },
    async followUpsSent(destinationId, storyId, upToMemberId, at): Promise<void> {
      const when = msOf(at, 'at');
      guard('mark follow-ups sent', () => followUpsSent.run(when, destinationId, storyId, upToMemberId));
    },
    async lastDigestAt(destinationId): Promise<string | null> {
      const value = guard('read the last digest time', () => lastDigest.get(destinationId));
      return value === undefined ? null : isoOf(value);
    },
    async recordDigest(destinationId, at): Promise<void> {
      const when = msOf(at, 'at');
      guard('record a digest', () => recordDigest.run(destinationId, when));
    },
  };
}
