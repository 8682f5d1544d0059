import type { Destination, Platform } from '../core/alert.js';
import { toAppError } from '../core/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Clock, DeliveryResult, Notifier, OutboxEntry, PendingFollowUp, StoryFollowUp, StoryStore } from './ports.js';

const SHOWN = 10;

export function followUpMessage(pending: PendingFollowUp, destination: Destination): StoryFollowUp {
  const last = pending.members.at(-1);
  return {
    destination,
    storyId: pending.storyId,
    alertReceipt: pending.alertReceipt,
    deliveryKey: `ww-story-${pending.storyId}-${last?.id ?? 0}`,
    headline: pending.story.headline,
    sources: pending.story.sourceCount,
    items: pending.story.itemCount,
    added: pending.members.slice(0, SHOWN).map((member) => ({ title: member.title, source: member.feedName, link: member.link, published: member.publishedAt })),
    more: Math.max(0, pending.members.length - SHOWN),
  };
}

/**
 * Sends queued follow-ups ("+3 sources: …") for stories whose alert was delivered, one message per
 * (destination, story) however many reports arrived meanwhile. A platform without `followUp`
 * skips them (marked done); a transient failure leaves them queued for the next run, and so does
 * a paused destination (an unreachable one is paused through `pause`).
 */
export async function deliverFollowUps(
  deps: {
    readonly stories: StoryStore;
    readonly notifiers: ReadonlyMap<Platform, Notifier>;
    readonly destinations: ReadonlyMap<string, Destination>;
    readonly clock: Clock;
    readonly logger: Logger;
    /** Destinations whose follow-ups wait; `pause` adds to it. */
    readonly paused: ReadonlySet<string>;
    readonly pause: (destinationId: string, reason: string) => Promise<void>;
  },
  limit = 50,
): Promise<number> {
  // The store leaves out destinations paused before this run; `paused` also holds those paused during it.
  const pending = await deps.stories.pendingFollowUps(limit);
  let sent = 0;
  let tried = 0;
  for (const group of pending) {
    const last = group.members.at(-1);
    const destination = deps.destinations.get(group.destinationId);
    if (!last || deps.paused.has(group.destinationId)) continue;
    if (++tried > limit) break;
    const notifier = destination ? deps.notifiers.get(destination.platform) : undefined;
    if (!destination || !notifier?.followUp) {
      await deps.stories.followUpsSent(group.destinationId, group.storyId, last.id, deps.clock.now());
      continue;
    }
    let result: DeliveryResult;
    try {
      result = await notifier.followUp(followUpMessage(group, destination));
    } catch (thrown) {
      result = { kind: 'retry', error: toAppError(thrown, 'delivery_failed').message, retryAfterMs: null };
    }
    if (result.kind === 'retry') {
      deps.logger.warn({ destination: destination.id, story: group.storyId, error: result.error }, 'follow-up will be retried');
      continue;
    }
    if (result.kind === 'unreachable') {
      await deps.pause(destination.id, result.error);
      continue;
    }
    if (result.kind === 'permanent') deps.logger.error({ destination: destination.id, story: group.storyId, error: result.error }, 'follow-up not deliverable');
    else sent++;
    await deps.stories.followUpsSent(group.destinationId, group.storyId, last.id, deps.clock.now());
  }
  return sent;
}

/** The alert card of a material update says what changed, first thing. */
export function updateSnippet(snippet: string, change: string): string {
  return `Update: ${change}.${snippet ? ` ${snippet}` : ''}`;
}

/** Story context of an outbox row, or null (no story store, or an alert from before stories). */
export async function storyContextOf(stories: StoryStore | undefined, entry: OutboxEntry): Promise<Awaited<ReturnType<StoryStore['alertFor']>>> {
  return stories ? stories.alertFor(entry.destinationId, entry.item.feedId, entry.item.key) : null;
}
