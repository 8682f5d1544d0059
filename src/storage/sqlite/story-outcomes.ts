import type { StoryAssignment, StoryIntent, StoryOutcome, StoryRelation } from '../../pipeline/ports.js';
import type { SqliteDatabase } from './database.js';
import type { StoryCache } from './story-cache.js';

type Outcomes = StoryAssignment['outcomes'][number][];

/** What a placed report means for each destination that wanted it: an alert, an update, a follow-up, or nothing. */
export type OutcomeWriter = (storyId: number, memberId: number, relation: StoryRelation, echo: boolean, intents: readonly StoryIntent[], now: number) => Outcomes;

/**
 * Claims per destination the story's one alert (the (destination, story, kind) key decides, so two
 * pollers never both alert) or its one material update, else queues a follow-up. Once a story has
 * alerted a destination the cache knows it, so the many later reports of a story skip the claim
 * that would only fail; the cache drops that knowledge with everything else when another
 * connection commits (story-cache.ts).
 */
export function createOutcomeWriter(db: SqliteDatabase, cache: StoryCache): OutcomeWriter {
  const claimAlert = db.prepare<[string, number, string, number, string | null, number]>(
    'INSERT OR IGNORE INTO story_alerts (destination_id, story_id, kind, member_id, change, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const hasAlert = db.prepare<[string, number], number>("SELECT 1 FROM story_alerts WHERE destination_id = ? AND story_id = ? AND kind = 'alert'").pluck();
  const queueFollowUp = db.prepare<[string, number, number]>('INSERT OR IGNORE INTO story_followups (destination_id, story_id, member_id) VALUES (?, ?, ?)');

  const alerted = (destinationId: string, storyId: number): boolean => {
    if (cache.alerted(destinationId, storyId)) return true;
    if (hasAlert.get(destinationId, storyId) === undefined) return false;
    cache.keepAlerted(destinationId, storyId);
    return true;
  };

  /** True when this report took the story's alert for the destination; either way the alert now exists. */
  const claim = (destinationId: string, storyId: number, memberId: number, now: number): boolean => {
    if (cache.alerted(destinationId, storyId)) return false;
    const claimed = claimAlert.run(destinationId, storyId, 'alert', memberId, null, now).changes === 1;
    cache.keepAlerted(destinationId, storyId);
    return claimed;
  };

  return (storyId, memberId, relation, echo, intents, now) =>
    intents.map((intent) => {
      const result = (outcome: StoryOutcome, change: string | null = null): Outcomes[number] => ({ destinationId: intent.destinationId, outcome, change });
      if (relation === 'duplicate') {
        // The same article again: never an alert; a copy from another outlet is news of a new source.
        if (echo || !alerted(intent.destinationId, storyId)) return result('none');
        queueFollowUp.run(intent.destinationId, storyId, memberId);
        return result('follow-up');
      }
      if (claim(intent.destinationId, storyId, memberId, now)) return result('alert');
      if (intent.update !== null && claimAlert.run(intent.destinationId, storyId, 'update', memberId, intent.update, now).changes === 1) {
        return result('update', intent.update);
      }
      queueFollowUp.run(intent.destinationId, storyId, memberId);
      return result('follow-up');
    });
}
