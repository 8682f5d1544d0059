import type { Feed, FeedCheck } from '../core/feed.js';
import { toAppError } from '../core/errors.js';
import type { PollDeps } from './deps.js';
import { assignStories, type StoryDeps } from './assign-stories.js';
import { failedCheck, successfulCheck } from './feed-check.js';
import { routeAlerts } from './route-alerts.js';
import { loadWatchTerms, scoreItems } from './score-items.js';

export type PollResult =
  | { readonly feedId: string; readonly kind: 'not-modified' }
  | { readonly feedId: string; readonly kind: 'updated'; readonly seen: number; readonly stored: number; readonly queued: number }
  | { readonly feedId: string; readonly kind: 'failed'; readonly code: string; readonly disabled: boolean };

/**
 * One poll of one feed: fetch (conditional GET) → parse → keep only unseen items → score → route →
 * stories (one alert per story; recorded first and idempotent per item, so a crash before the next
 * step replays the same decisions) → store items, outbox rows and the feed's new state in one
 * transaction. Every failure is recorded on
 * the feed's record and never escapes: other feeds are unaffected and nothing stored is lost.
 */
export async function pollFeed(deps: PollDeps & Partial<StoryDeps>, feed: Feed): Promise<PollResult> {
  const now = deps.clock.now();
  const fail = async (error: { code: string; message: string }, check: FeedCheck): Promise<PollResult> => {
    await deps.feeds.recordCheck(feed.id, check);
    deps.logger.warn({ feed: feed.id, code: error.code, failures: check.failures, disabled: check.disabledReason }, `feed poll failed: ${error.message}`);
    return { feedId: feed.id, kind: 'failed', code: error.code, disabled: check.disabledAt !== null };
  };

  try {
    const outcome = await deps.fetchFeed(feed.url, { etag: feed.etag, lastModified: feed.lastModified });
    if (outcome.kind === 'failed') {
      return await fail(outcome.error, failedCheck(feed, now, outcome.error, deps.policy, { random: deps.random }));
    }
    if (outcome.kind === 'http-error') {
      const error = { code: 'http_error', message: `HTTP ${outcome.status}` };
      return await fail(
        error,
        failedCheck(feed, now, error, deps.policy, {
          gone: outcome.status === 410,
          retryAfterSeconds: outcome.hints.retryAfterSeconds,
          random: deps.random,
        }),
      );
    }
    if (outcome.kind === 'not-modified') {
      const validators = { etag: feed.etag, lastModified: feed.lastModified };
      await deps.feeds.recordCheck(feed.id, successfulCheck(feed, now, outcome.hints, deps.policy, validators, feed.seeded));
      return { feedId: feed.id, kind: 'not-modified' };
    }

    const parsed = await deps.parseFeed(outcome.body, { contentType: outcome.contentType, baseUrl: outcome.finalUrl });
    if (!parsed.ok) {
      return await fail(parsed.error, failedCheck(feed, now, parsed.error, deps.policy, { random: deps.random }));
    }
    const hints = { ...outcome.hints, ttlMinutes: parsed.feed.ttlMinutes };
    const check = successfulCheck(feed, now, hints, deps.policy, outcome, true);

    const unseen = await deps.ingest.unseenKeys(feed.id, parsed.items.map((item) => item.key));
    const fresh = parsed.items.filter((item) => unseen.has(item.key));
    const watchTerms = await loadWatchTerms(deps.watchTerms, deps.destinations);
    const scored = scoreItems(deps.scorer, fresh, deps.destinations, watchTerms);
    const routed = routeAlerts(scored, deps.destinations, {
      isFirst: !feed.seeded,
      alertNewest: feed.alertNewestOnFirstPoll,
    });
    // One alert per story: the story store grants each destination's alert or turns it into a follow-up.
    const entries = deps.stories && deps.storyPolicy
      ? await assignStories({ stories: deps.stories, storyPolicy: deps.storyPolicy }, feed, routed, now)
      : routed;
    const { stored, queued } = await deps.ingest.commit(feed.id, entries, check, now);
    if (parsed.warnings.length > 0) deps.logger.info({ feed: feed.id, warnings: parsed.warnings.slice(0, 5) }, 'feed parsed with warnings');
    deps.logger.debug({ feed: feed.id, seen: parsed.items.length, stored, queued }, 'feed polled');
    return { feedId: feed.id, kind: 'updated', seen: parsed.items.length, stored, queued };
  } catch (thrown) {
    // Infrastructure faults (storage full, a bug): record what we can; the lease expires otherwise.
    const error = toAppError(thrown);
    deps.logger.error({ feed: feed.id, code: error.code, err: error }, 'feed poll crashed');
    try {
      return await fail(error, failedCheck(feed, now, error, deps.policy, { random: deps.random }));
    } catch {
      return { feedId: feed.id, kind: 'failed', code: error.code, disabled: false };
    }
  }
}
