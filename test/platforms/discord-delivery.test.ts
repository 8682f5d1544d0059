import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordNotifier } from '../../src/platforms/discord/discord-notifier.js';
import { createDiscordRest } from '../../src/platforms/discord/rest.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { REPO_ROOT } from '../support/app-config.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { capturingLogger, destination, dyingBeforeMarkSent, openTempStores, queueAlerts, relay, virtualClock } from './delivery-harness.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.SECRET.discordbottoken';
const PAYLOADS = path.resolve(REPO_ROOT, '../shared/corpus/payloads/discord/docs');
const A = destination('a', 'discord', '111111111111111111');
const B = destination('b', 'discord', '222222222222222222');

function corpus(name: string): unknown {
  return JSON.parse(readFileSync(path.join(PAYLOADS, name), 'utf8'));
}

describe.skipIf(!existsSync(PAYLOADS))('Discord delivery through @discordjs/rest against a loopback Discord API (corpus payloads)', () => {
  let api: FakeDiscordApi;
  let stores: SqliteStores;
  let logs: ReturnType<typeof capturingLogger>;
  let notifier: DiscordNotifier;

  beforeEach(async () => {
    api = await startFakeDiscordApi();
    stores = openTempStores();
    logs = capturingLogger();
    notifier = new DiscordNotifier({
      rest: createDiscordRest({ token: TOKEN, apiUrl: api.apiUrl, timeoutMs: 2_000 }),
      attempts: stores.outbox,
      mentions: new Map([['b', { role: '987654321098765432', atScore: 50 }]]),
      logger: logs.logger,
      now: virtualClock.now,
    });
  });
  afterEach(async () => {
    await api.close();
    await stores.close();
    expect(logs.text()).not.toContain('SECRET');
  });

  it('sends an embed with nonce + enforce_nonce and allowed_mentions { parse: [] }; only a configured role is pinged', async () => {
    await queueAlerts(stores, ['a', 'b']);
    expect(await relay(stores, notifier, [A, B], logs.logger)).toMatchObject({ sent: 2 });
    const [first, second] = api.messages;
    expect(first?.body).toMatchObject({ nonce: 'ww-1', enforce_nonce: true, allowed_mentions: { parse: [] } });
    expect(first?.body.content).toBeUndefined();
    const embed = (first?.body.embeds as Record<string, unknown>[])[0];
    expect(embed?.title).toBe('Drone strike on \\<!channel\\> SOCAR depot @\u2060everyone');
    expect(embed?.description).not.toMatch(/<@U|\[bank\]\(/);
    expect(second?.body).toMatchObject({ content: '<@&987654321098765432>', allowed_mentions: { parse: [], roles: ['987654321098765432'] } });
    expect(api.requests[0]?.authorization).toBe(`Bot ${TOKEN}`);
  });

  it('a 429 on one channel (corpus body) holds that channel only', async () => {
    api.script(A.channel, { status: 429, headers: { 'retry-after': '65', 'x-ratelimit-scope': 'user', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '64.57' }, body: corpus('ratelimit.429.user.body.json') });
    await queueAlerts(stores, ['a', 'b', 'a', 'b']);
    const summary = await relay(stores, notifier, [A, B], logs.logger);
    expect(summary).toMatchObject({ sent: 2, retried: 2 });
    expect(api.messages.map((message) => message.channel)).toEqual([B.channel, B.channel]);
    expect(api.requests.filter((request) => request.path.includes(A.channel))).toHaveLength(1);
  });

  it.each([
    [10003, 404],
    [50001, 403],
    [50013, 403],
  ])('error %i pauses the destination in the store; its alerts wait (not dead), others unaffected', async (code, status) => {
    api.script(A.channel, { status, body: { message: 'nope', code } });
    await queueAlerts(stores, ['a', 'a', 'b']);
    expect(await relay(stores, notifier, [A, B], logs.logger)).toMatchObject({ sent: 1, dead: 0, deferred: 2 });
    expect(await stores.outbox.pausedDestinations()).toEqual([{ destinationId: 'a', reason: `Discord ${status} code ${code}`, pausedAt: expect.any(String) }]);
    expect(await stores.outbox.pendingCount()).toBe(2);
    expect(api.requests.filter((request) => request.path.includes(A.channel))).toHaveLength(1);
  });

  it('a 50035 (corpus body) degrades to one plain-text message', async () => {
    api.script(A.channel, { status: 400, body: corpus('error.50035.object.json') });
    await queueAlerts(stores, ['a']);
    expect(await relay(stores, notifier, [A], logs.logger)).toMatchObject({ sent: 1 });
    expect(api.messages).toHaveLength(1);
    expect(api.messages[0]?.body.embeds).toBeUndefined();
    expect(api.messages[0]?.body).toMatchObject({ allowed_mentions: { parse: [] }, nonce: 'ww-1', enforce_nonce: true });
  });

  describe('crash matrix (reliability.md §3 E53, F55)', () => {
    it('connection dropped after Discord committed: the retry with the same nonce returns the same message', async () => {
      api.script(A.channel, 'commit-then-drop');
      await queueAlerts(stores, ['a']);
      await relay(stores, notifier, [A], logs.logger);
      await relay(stores, notifier, [A], logs.logger, 30);
      expect(api.messages).toHaveLength(1);
      expect(await stores.outbox.pendingCount()).toBe(0);
    });

    it('killed after the send, before mark-sent: re-sent with the same nonce, still one message', async () => {
      await queueAlerts(stores, ['a']);
      await expect(relay({ outbox: dyingBeforeMarkSent(stores.outbox) }, notifier, [A], logs.logger)).rejects.toThrow('SIGKILL');
      expect(await relay(stores, notifier, [A], logs.logger, 62)).toMatchObject({ sent: 1 });
      expect(api.messages).toHaveLength(1);
    });
  });
});
