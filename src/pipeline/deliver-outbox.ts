import type { Destination, Platform } from '../core/alert.js';
import { toAppError } from '../core/errors.js';
import type { Logger } from '../shared/logger.js';
import { mapLimit } from '../shared/map-limit.js';
import { alertCardFor } from './alert-card.js';
import { deliverFollowUps, storyContextOf, updateSnippet } from './deliver-follow-ups.js';
import { pauseDestination } from './pause-destination.js';
import type { Clock, Notifier, OutboxEntry, OutboxStore, StoryStore } from './ports.js';

export interface DeliveryDeps {
  readonly outbox: OutboxStore;
  readonly notifiers: ReadonlyMap<Platform, Notifier>;
  readonly destinations: ReadonlyMap<string, Destination>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** When set: alerts learn their story (updates say what changed) and follow-ups are sent. */
  readonly stories?: StoryStore;
}

export interface DeliveryOptions {
  readonly owner: string;
  readonly leaseSeconds: number;
  /**
   * Alerts older than this are marked dead, not sent: a late alert is noise (MonitoRSS: 20 min).
   * The alerts of a paused destination meet it when it is resumed: only the recent ones go out.
   */
  readonly staleAfterSeconds: number;
  readonly maxAttempts: number;
  readonly batch?: number;
}

export interface DeliverySummary {
  readonly sent: number;
  readonly retried: number;
  readonly dead: number;
  readonly deferred: number;
  /** Story follow-ups sent ("+3 sources"), one per (destination, story). */
  readonly followUps?: number;
}

const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 15 * 60_000;

function retryDelayMs(attempts: number, retryAfterMs: number | null): number {
  const backoff = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempts);
  return Math.max(backoff, retryAfterMs ?? 0);
}

/**
 * The outbox relay: claims queued alerts, sends each through its platform's notifier and records
 * the outcome. Destinations run side by side and each in order, so one throttled channel never
 * delays the others; each destination gets at most `maxAlertsPerCycle` per run (the rest wait).
 * A destination that refuses everything (channel gone, bot removed, token revoked) is paused in
 * the store: its alerts wait, unclaimed, until someone resumes it (docs/adr/0003).
 */
export async function deliverOutbox(deps: DeliveryDeps, options: DeliveryOptions): Promise<DeliverySummary> {
  await forgetRemovedDestinations(deps);
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + options.leaseSeconds * 1000);
  const claimed = await deps.outbox.claimPending(now, options.batch ?? 200, options.owner, leaseUntil);
  // Paused before this pass: their alerts were not claimed, their follow-ups wait. Grows during the pass.
  const paused = new Set((await deps.outbox.pausedDestinations()).map((pause) => pause.destinationId));
  const summary = { sent: 0, retried: 0, dead: 0, deferred: 0 };
  const byDestination = new Map<string, OutboxEntry[]>();
  for (const entry of claimed) {
    const list = byDestination.get(entry.destinationId) ?? [];
    list.push(entry);
    byDestination.set(entry.destinationId, list);
  }

  await mapLimit([...byDestination.entries()], 8, async ([destinationId, entries]) => {
    const destination = deps.destinations.get(destinationId);
    for (const [index, entry] of entries.entries()) {
      const at = deps.clock.now();
      if (!destination) {
        await deps.outbox.markDead(entry.id, 'destination no longer configured', at);
        summary.dead++;
        continue;
      }
      if (at.getTime() - Date.parse(entry.createdAt) > options.staleAfterSeconds * 1000) {
        await deps.outbox.markDead(entry.id, 'stale: older than the staleness cutoff', at);
        summary.dead++;
        continue;
      }
      if (paused.has(destinationId) || index >= destination.maxAlertsPerCycle) {
        // Paused during this pass, or the flood guard: the rest of this destination's queue waits.
        await deps.outbox.defer(entry.id, at);
        summary.deferred++;
        continue;
      }
      await deliverOne(deps, options, destination, entry, summary, paused);
    }
  });
  if (!deps.stories) return summary;
  const followUps = await deliverFollowUps({ ...deps, stories: deps.stories, paused, pause: (destinationId, reason) => pause(deps, destinationId, reason, paused) });
  return { ...summary, followUps };
}

/**
 * A destination taken out of the config while paused would keep its alerts waiting (and the outbox
 * gauges alarming) forever: its pause is lifted, so this pass drops them as "destination no longer
 * configured", like any other unconfigured destination's.
 */
async function forgetRemovedDestinations(deps: DeliveryDeps): Promise<void> {
  for (const { destinationId } of await deps.outbox.pausedDestinations()) {
    if (deps.destinations.has(destinationId) || !(await deps.outbox.resumeDestination(destinationId))) continue;
    deps.logger.warn({ destination: destinationId }, 'paused destination is no longer configured: its waiting alerts are dropped');
  }
}

/** Records the pause in the store; the one call that made it (on any worker, before any restart) reports it. */
async function pause(deps: DeliveryDeps, destinationId: string, reason: string, paused: Set<string>): Promise<void> {
  paused.add(destinationId);
  await pauseDestination(deps.outbox, deps.logger, destinationId, reason, deps.clock.now());
}

async function deliverOne(
  deps: DeliveryDeps,
  options: DeliveryOptions,
  destination: Destination,
  entry: OutboxEntry,
  summary: { sent: number; retried: number; dead: number; deferred: number },
  paused: Set<string>,
): Promise<void> {
  const notifier = deps.notifiers.get(destination.platform);
  const at = (): Date => deps.clock.now();
  if (!notifier) {
    await deps.outbox.markRetry(entry.id, `no ${destination.platform} connection configured`, new Date(at().getTime() + RETRY_CAP_MS));
    summary.retried++;
    return;
  }
  const story = await storyContextOf(deps.stories, entry);
  const card = alertCardFor(entry);
  const message = {
    outboxId: entry.id,
    deliveryKey: `ww-${entry.id}`,
    destination,
    card: story?.outcome === 'update' && story.change ? { ...card, snippet: updateSnippet(card.snippet, story.change) } : card,
  };
  let result: Awaited<ReturnType<Notifier['deliver']>>;
  try {
    result = await notifier.deliver(message);
  } catch (thrown) {
    result = { kind: 'retry', error: toAppError(thrown, 'delivery_failed').message, retryAfterMs: null };
  }
  if (result.kind === 'sent') {
    await deps.outbox.markSent(entry.id, at(), result.receipt);
    if (story) await deps.stories?.alertSent(destination.id, entry.item.feedId, entry.item.key, result.receipt, at());
    summary.sent++;
  } else if (result.kind === 'unreachable') {
    // Nothing was posted: the alert waits with its destination, no attempt counted.
    await pause(deps, destination.id, result.error, paused);
    await deps.outbox.defer(entry.id, at());
    summary.deferred++;
  } else if (result.kind === 'permanent' || entry.attempts + 1 >= options.maxAttempts) {
    await deps.outbox.markDead(entry.id, result.kind === 'permanent' ? result.error : `gave up: ${result.error}`, at());
    deps.logger.error({ destination: destination.id, outbox: entry.id, error: result.error }, 'alert not deliverable');
    summary.dead++;
  } else {
    const delay = retryDelayMs(entry.attempts, result.retryAfterMs);
    await deps.outbox.markRetry(entry.id, result.error, new Date(at().getTime() + delay));
    deps.logger.warn({ destination: destination.id, outbox: entry.id, error: result.error, retryInMs: delay }, 'alert delivery will be retried');
    summary.retried++;
  }
}
