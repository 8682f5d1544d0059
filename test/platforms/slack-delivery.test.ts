import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackNotifier } from '../../src/platforms/slack/slack-notifier.js';
import { createSlackWebClient } from '../../src/platforms/slack/web-client.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { capturingLogger, destination, dyingBeforeMarkSent, openTempStores, queueAlerts, relay, virtualClock } from './delivery-harness.js';

// A fake bot token, assembled at run time so no token-shaped literal sits in the repository.
const TOKEN = ['xoxb', '1111', '2222', 'SECRETslacktoken'].join('-');
const A = destination('a', 'slack', 'CAAAA');
const B = destination('b', 'slack', 'CBBBB');

describe('Slack delivery through the real WebClient against a loopback Slack API', () => {
  let api: FakeSlackApi;
  let stores: SqliteStores;
  let logs: ReturnType<typeof capturingLogger>;
  let notifier: SlackNotifier;

  beforeEach(async () => {
    api = await startFakeSlackApi();
    stores = openTempStores();
    logs = capturingLogger();
    notifier = new SlackNotifier({
      client: createSlackWebClient({ token: TOKEN, apiUrl: api.apiUrl, logger: logs.logger, timeoutMs: 2_000 }),
      attempts: stores.outbox,
      logger: logs.logger,
      spacingMs: 0,
      now: virtualClock.now,
    });
  });
  afterEach(async () => {
    await api.close();
    await stores.close();
    // No log line of any test may carry the token (reliability.md §3 F56).
    expect(logs.text()).not.toContain(TOKEN);
    expect(logs.text()).not.toContain('SECRET');
  });

  it('posts Block Kit with an escaped text fallback, buttons, no unfurls, and the outbox id in metadata', async () => {
    await queueAlerts(stores, ['a']);
    const summary = await relay(stores, notifier, [A], logs.logger);
    expect(summary.sent).toBe(1);
    const [message] = api.posted;
    expect(message?.channel).toBe('CAAAA');
    expect(message?.text).toBe('Drone strike on &lt;!channel&gt; SOCAR depot @everyone — Feed wire (score 80)');
    expect(message?.metadata).toEqual({ event_type: 'wirewatch_alert', event_payload: { outbox_id: 1, delivery_key: 'ww-1' } });
    expect(message?.raw.unfurl_links).toBe('false');
    expect(JSON.stringify(message?.blocks)).not.toMatch(/<!channel>|<@U024BE7LH>|<https:\/\/evil/);
    expect(JSON.stringify(message?.blocks)).toContain('ww:tl:SOCAR');
    expect(api.calls[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await stores.outbox.pendingCount()).toBe(0);
  });

  it('holds only the rate-limited channel for its Retry-After while the others flow', async () => {
    api.script('CAAAA', { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
    await queueAlerts(stores, ['a', 'b', 'a', 'b']);
    const summary = await relay(stores, notifier, [A, B], logs.logger);
    expect(summary).toMatchObject({ sent: 2, retried: 2, dead: 0 });
    expect(api.posted.map((message) => message.channel)).toEqual(['CBBBB', 'CBBBB']);
    // One request reached Slack for A: the second A alert waited without a call.
    expect(api.calls.filter((call) => call.body.channel === 'CAAAA')).toHaveLength(1);
    expect(await relay(stores, notifier, [A, B], logs.logger, 29)).toMatchObject({ sent: 0 });
    expect(await relay(stores, notifier, [A, B], logs.logger, 32)).toMatchObject({ sent: 2 });
    expect(api.posted.filter((message) => message.channel === 'CAAAA')).toHaveLength(2);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth'])('%s pauses that destination only, in the store; its alerts wait (not dead)', async (error) => {
    api.script('CAAAA', { body: { ok: false, error } });
    await queueAlerts(stores, ['a', 'a', 'b']);
    const summary = await relay(stores, notifier, [A, B], logs.logger);
    expect(summary).toMatchObject({ sent: 1, dead: 0, retried: 0, deferred: 2 });
    expect(await stores.outbox.pausedDestinations()).toEqual([{ destinationId: 'a', reason: error, pausedAt: expect.any(String) }]);
    expect(await stores.outbox.pendingCount()).toBe(2);
    expect(api.calls.filter((call) => call.body.channel === 'CAAAA')).toHaveLength(1);
    expect(logs.text().match(/destination paused/g)).toHaveLength(1);
  });

  it('falls back to plain text once when Slack rejects the blocks', async () => {
    api.script('CAAAA', { body: { ok: false, error: 'invalid_blocks' } });
    await queueAlerts(stores, ['a']);
    expect(await relay(stores, notifier, [A], logs.logger)).toMatchObject({ sent: 1 });
    expect(api.posted).toHaveLength(1);
    expect(api.posted[0]?.blocks).toBeNull();
    expect(api.posted[0]?.text).toContain('&lt;!channel&gt;');
  });

  describe('crash matrix (reliability.md §3 F55)', () => {
    it('killed after the outbox commit, before any send: the restarted relay sends it once', async () => {
      await queueAlerts(stores, ['a']);
      expect(await relay(stores, notifier, [A], logs.logger, 120)).toMatchObject({ sent: 1 });
      expect(api.posted).toHaveLength(1);
    });

    it('killed after Slack posted, before mark-sent: the re-claimed row is in doubt, history has it, nothing is re-posted', async () => {
      await queueAlerts(stores, ['a']);
      await expect(relay({ outbox: dyingBeforeMarkSent(stores.outbox) }, notifier, [A], logs.logger)).rejects.toThrow('SIGKILL');
      expect(api.posted).toHaveLength(1);
      // Still leased by the dead relay: nothing happens until the lease runs out.
      expect(await relay(stores, notifier, [A], logs.logger, 30)).toMatchObject({ sent: 0 });
      expect(await relay(stores, notifier, [A], logs.logger, 62)).toMatchObject({ sent: 1 });
      expect(api.posted).toHaveLength(1);
      expect(api.calls.map((call) => call.method)).toEqual(['chat.postMessage', 'conversations.history']);
    });

    it('connection dropped after Slack committed: retried later without a duplicate', async () => {
      api.script('CAAAA', 'commit-then-drop');
      await queueAlerts(stores, ['a']);
      expect(await relay(stores, notifier, [A], logs.logger)).toMatchObject({ retried: 1 });
      expect(await relay(stores, notifier, [A], logs.logger, 30)).toMatchObject({ sent: 1 });
      expect(api.posted).toHaveLength(1);
    });

    it('a definite refusal is not in doubt: the retry posts without a history lookup', async () => {
      api.script('CAAAA', { body: { ok: false, error: 'internal_error' } });
      await queueAlerts(stores, ['a']);
      expect(await relay(stores, notifier, [A], logs.logger)).toMatchObject({ retried: 1 });
      expect(await relay(stores, notifier, [A], logs.logger, 30)).toMatchObject({ sent: 1 });
      expect(api.calls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
    });
  });
});
