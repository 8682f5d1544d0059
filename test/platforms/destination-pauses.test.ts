/**
 * A destination that refuses everything (bot removed, channel gone, access revoked) is paused in
 * the store, not in a notifier's memory: its alerts wait (never dead), the others keep flowing, a
 * restarted relay still holds it, and `/wirewatch resume` (an admin, checked server-side) lets the
 * waiting alerts out, each once. Real stores (SQLite file, Postgres schema), loopback chat APIs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../src/commands/chat-requests.js';
import type { Reply } from '../../src/core/reply.js';
import { deliverOutbox } from '../../src/pipeline/deliver-outbox.js';
import type { OutboxStore } from '../../src/pipeline/ports.js';
import { DiscordNotifier } from '../../src/platforms/discord/discord-notifier.js';
import { answerInteraction, type DiscordInteraction } from '../../src/platforms/discord/interactions.js';
import { createDiscordRest } from '../../src/platforms/discord/rest.js';
import { answerSlashCommand, type SlackAnswerDeps } from '../../src/platforms/slack/answer.js';
import { SlackNotifier } from '../../src/platforms/slack/slack-notifier.js';
import { createSlackWebClient } from '../../src/platforms/slack/web-client.js';
import { dropSchema } from '../../src/storage/postgres/admin.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { openSqliteStores, type SqliteStores } from '../../src/storage/sqlite/index.js';
import { T0 } from '../contracts/stores.contract.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { POSTGRES_URL } from '../storage/postgres-url.js';
import { capturingLogger, destination, queueAlerts, relay, virtualClock } from './delivery-harness.js';
import { commandDepsFor } from './inbound-harness.js';

/** The ports these tests use; SQLite and Postgres stores both provide them. */
type Stores = Pick<SqliteStores, 'feeds' | 'ingest' | 'outbox' | 'items' | 'watchTerms' | 'stories' | 'close'>;

/** A fresh store, and `reopen` for a new handle on the same database (the process after a restart). */
interface OpenedStore {
  readonly first: Stores;
  reopen(): Promise<Stores>;
  drop(): Promise<void>;
}

const BACKENDS: [string, () => Promise<OpenedStore>][] = [
  [
    'SQLite',
    async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'wirewatch-pauses-')), 'store.sqlite');
      return { first: openSqliteStores(file), reopen: async () => openSqliteStores(file), drop: async () => undefined };
    },
  ],
  [
    'Postgres',
    async () => {
      const schema = `wwp_${process.pid}_${randomBytes(3).toString('hex')}`;
      const open = (): Promise<Stores> => openPostgresStores(POSTGRES_URL, { schema, maxConnections: 2 });
      return { first: await open(), reopen: open, drop: () => dropSchema(POSTGRES_URL, schema) };
    },
  ],
];

const SLACK_TOKEN = ['xoxb', '3333', '4444', 'SECRETpausetoken'].join('-');
const ADMIN = 'UADMIN1';
const A = destination('a', 'slack', 'CAAAA');
const B = destination('b', 'slack', 'CBBBB');

const replyText = (reply: Reply): string => JSON.stringify(reply.blocks);
const postedTo = (api: FakeSlackApi, channel: string): number => api.calls.filter((call) => call.method === 'chat.postMessage' && call.body.channel === channel).length;

describe.each(BACKENDS)('Slack: a paused destination on %s', (_name, openStore) => {
  let api: FakeSlackApi;
  let opened: OpenedStore;
  let stores: Stores;
  let logs: ReturnType<typeof capturingLogger>;

  const notifierOn = (outbox: OutboxStore): SlackNotifier =>
    new SlackNotifier({ client: createSlackWebClient({ token: SLACK_TOKEN, apiUrl: api.apiUrl, logger: logs.logger, timeoutMs: 2_000 }), attempts: outbox, logger: logs.logger, spacingMs: 0, now: virtualClock.now });
  const slash = (text: string, user: string, channel = 'CBBBB'): Promise<Reply> => {
    const deps: SlackAnswerDeps = {
      destinations: [A, B],
      commandDeps: { ...commandDepsFor(stores as SqliteStores), pauses: stores.outbox },
      configureUsers: new Map(),
      isWorkspaceAdmin: async (id) => id === ADMIN,
      feedback: stores.outbox,
      logger: logs.logger,
      now: () => new Date(virtualClock.now()),
    };
    return answerSlashCommand({ command: '/wirewatch', text, user_id: user, channel_id: channel }, deps);
  };

  beforeEach(async () => {
    api = await startFakeSlackApi();
    logs = capturingLogger();
    opened = await openStore();
    stores = opened.first;
  });
  afterEach(async () => {
    await api.close();
    await stores.close();
    await opened.drop();
    expect(logs.text()).not.toContain(SLACK_TOKEN);
  });

  it('not_in_channel pauses it in the store; its alerts wait while B flows; a restart keeps the pause; resume delivers each once', async () => {
    api.script('CAAAA', { body: { ok: false, error: 'not_in_channel' } });
    await queueAlerts(stores as SqliteStores, ['a', 'b']);
    expect(await relay(stores, notifierOn(stores.outbox), [A, B], logs.logger, 1)).toMatchObject({ sent: 1, dead: 0, retried: 0, deferred: 1 });
    expect(await stores.outbox.pausedDestinations()).toEqual([{ destinationId: 'a', reason: 'not_in_channel', pausedAt: new Date(T0.getTime() + 1_000).toISOString() }]);
    expect(await stores.outbox.pendingCount()).toBe(1);

    // More news while paused: B gets it, A's waits without a request to Slack.
    await queueAlerts(stores as SqliteStores, ['a', 'b']);
    expect(await relay(stores, notifierOn(stores.outbox), [A, B], logs.logger, 5)).toMatchObject({ sent: 1, dead: 0, deferred: 0 });
    expect(postedTo(api, 'CAAAA')).toBe(1);

    // Restart: a new process (store handle, notifier, relay) on the same database sends nothing to A.
    await stores.close();
    stores = await opened.reopen();
    expect(await relay(stores, notifierOn(stores.outbox), [A, B], logs.logger, 70)).toMatchObject({ sent: 0, dead: 0, deferred: 0 });
    expect(postedTo(api, 'CAAAA')).toBe(1);
    expect(await stores.outbox.pendingCount()).toBe(2);
    // A channel sees its own pause; another channel learns only that one exists.
    expect(replyText(await slash('status', 'UANYONE', 'CAAAA'))).toMatch(/1 paused destination.*"a".*not_in_channel, since 2025-03-01 12:00 UTC/);
    const elsewhere = replyText(await slash('status', 'UANYONE'));
    expect(elsewhere).toMatch(/This channel's alerts go out\. 1 other destination is paused/);
    expect(elsewhere).not.toContain('not_in_channel');

    // Resume is a configuration command: refused server-side for others, nothing changes; and from
    // a chat channel only that channel's destination can be resumed.
    expect(replyText(await slash('resume', 'UNOBODY', 'CAAAA'))).toContain('Nothing was changed');
    expect(replyText(await slash('resume a', ADMIN))).toMatch(/only its own destination can be resumed.*Nothing was changed/);
    expect(await stores.outbox.pausedDestinations()).toHaveLength(1);
    expect(replyText(await slash('resume', ADMIN))).toMatch(/\\"b\\" is not paused\. Nothing was changed/);
    expect(replyText(await slash('resume', ADMIN, 'CAAAA'))).toContain('Resumed');
    expect(await stores.outbox.pausedDestinations()).toEqual([]);

    const notifier = notifierOn(stores.outbox);
    expect(await relay(stores, notifier, [A, B], logs.logger, 80)).toMatchObject({ sent: 2, dead: 0 });
    expect(await relay(stores, notifier, [A, B], logs.logger, 90)).toMatchObject({ sent: 0 });
    const toA = api.posted.filter((message) => message.channel === 'CAAAA').map((message) => message.metadata?.event_payload.outbox_id);
    expect(toA).toHaveLength(2);
    expect(new Set(toA).size).toBe(2);
    expect(await stores.outbox.pendingCount()).toBe(0);
    // Reported once, however many alerts and restarts met the pause.
    expect(logs.text().match(/destination paused/g)).toHaveLength(1);
  });

  it('resumed after the staleness cutoff: the waiting alerts die as stale, none is posted late', async () => {
    api.script('CAAAA', { body: { ok: false, error: 'channel_not_found' } });
    await queueAlerts(stores as SqliteStores, ['a', 'a']);
    const pass = (offsetSeconds: number) =>
      deliverOutbox(
        { outbox: stores.outbox, notifiers: new Map([['slack', notifierOn(stores.outbox)]]), destinations: new Map([[A.id, A]]), clock: { now: () => new Date(T0.getTime() + offsetSeconds * 1000) }, logger: logs.logger },
        { owner: `relay-${offsetSeconds}`, leaseSeconds: 60, staleAfterSeconds: 3_600, maxAttempts: 8 },
      );
    expect(await pass(1)).toMatchObject({ sent: 0, dead: 0, deferred: 2 });
    // A week later, still paused: nothing is claimed, so nothing is sent or dropped yet.
    expect(await pass(7 * 86_400)).toMatchObject({ sent: 0, dead: 0, deferred: 0 });
    expect(await stores.outbox.pendingCount()).toBe(2);
    expect(await stores.outbox.resumeDestination('a')).toBe(true);
    expect(await pass(7 * 86_400 + 10)).toMatchObject({ sent: 0, dead: 2 });
    expect(postedTo(api, 'CAAAA')).toBe(1);
  });

  it('taken out of the config while paused: the pause is lifted and its waiting alerts are dropped, not kept forever', async () => {
    api.script('CAAAA', { body: { ok: false, error: 'channel_not_found' } });
    await queueAlerts(stores as SqliteStores, ['a', 'b']);
    const pass = (destinations: typeof A[], offsetSeconds: number) =>
      deliverOutbox(
        { outbox: stores.outbox, notifiers: new Map([['slack', notifierOn(stores.outbox)]]), destinations: new Map(destinations.map((entry) => [entry.id, entry])), clock: { now: () => new Date(T0.getTime() + offsetSeconds * 1000) }, logger: logs.logger },
        { owner: `relay-${offsetSeconds}`, leaseSeconds: 60, staleAfterSeconds: 3_600, maxAttempts: 8 },
      );
    expect(await pass([A, B], 1)).toMatchObject({ sent: 1, deferred: 1 });
    expect(await stores.outbox.pausedDestinations()).toHaveLength(1);
    // A restart with "a" removed from config/wirewatch.yaml.
    expect(await pass([B], 70)).toMatchObject({ sent: 0, dead: 1 });
    expect(await stores.outbox.pausedDestinations()).toEqual([]);
    expect(await stores.outbox.pendingCount()).toBe(0);
    expect(logs.text()).toContain('paused destination is no longer configured');
  });
});

const DISCORD_TOKEN = ['MTIzNDU2Nzg5MDEyMzQ1Njc4', 'SECRET', 'pausebottoken'].join('.');
const C = destination('c', 'discord', '333333333333333333');
const D = destination('d', 'discord', '444444444444444444');
const MANAGE_CHANNELS = String(1 << 4);

describe('Discord: a paused destination on SQLite', () => {
  let api: FakeDiscordApi;
  let opened: OpenedStore;
  let stores: Stores;
  let logs: ReturnType<typeof capturingLogger>;
  let sequence = 0;

  const notifierOn = (outbox: OutboxStore): DiscordNotifier =>
    new DiscordNotifier({ rest: createDiscordRest({ token: DISCORD_TOKEN, apiUrl: api.apiUrl, timeoutMs: 2_000 }), attempts: outbox, logger: logs.logger, now: virtualClock.now });
  const interact = async (options: { name: string; value: string }[], permissions: string, channel = D.channel): Promise<string> => {
    const interaction: DiscordInteraction = {
      id: `9${String(++sequence).padStart(17, '0')}`,
      type: 2,
      channel_id: channel,
      guild_id: '290926798626357999',
      member: { user: { id: '100000000000000009', username: 'ann' }, roles: [], permissions },
      data: { name: 'wirewatch', options },
    };
    const deps = {
      destinations: [C, D],
      commandDeps: { ...commandDepsFor(stores as SqliteStores), pauses: stores.outbox },
      configure: new Map(),
      feedback: stores.outbox,
      logger: logs.logger,
      now: () => new Date(virtualClock.now()),
    };
    const answer = await answerInteraction(interaction, deps, new ReplayGuard());
    return JSON.stringify(answer.initial.data ?? (await answer.later));
  };

  beforeEach(async () => {
    api = await startFakeDiscordApi();
    logs = capturingLogger();
    opened = await BACKENDS[0]![1]();
    stores = opened.first;
  });
  afterEach(async () => {
    await api.close();
    await stores.close();
    expect(logs.text()).not.toContain('SECRET');
  });

  it('50001 Missing Access pauses it in the store; D flows; after a restart still paused; /wirewatch resume by a channel manager delivers it once', async () => {
    api.script(C.channel, { status: 403, body: { message: 'Missing Access', code: 50001 } });
    await queueAlerts(stores as SqliteStores, ['c', 'd']);
    expect(await relay(stores, notifierOn(stores.outbox), [C, D], logs.logger, 1)).toMatchObject({ sent: 1, dead: 0, deferred: 1 });
    expect(await stores.outbox.pausedDestinations()).toMatchObject([{ destinationId: 'c', reason: 'Discord 403 code 50001' }]);

    await stores.close();
    stores = await opened.reopen();
    expect(await relay(stores, notifierOn(stores.outbox), [C, D], logs.logger, 70)).toMatchObject({ sent: 0, dead: 0 });
    expect(api.requests.filter((request) => request.path.includes(C.channel))).toHaveLength(1);

    expect(await interact([{ name: 'action', value: 'status' }], '0', C.channel)).toMatch(/c.*Discord 403 code 50001/);
    expect(await interact([{ name: 'action', value: 'status' }], '0')).not.toContain('50001');
    expect(await interact([{ name: 'action', value: 'resume' }], '0', C.channel)).toContain('Nothing was changed');
    expect(await interact([{ name: 'action', value: 'resume' }, { name: 'destination', value: 'c' }], MANAGE_CHANNELS)).toContain('only its own destination');
    expect(await stores.outbox.pausedDestinations()).toHaveLength(1);
    expect(await interact([{ name: 'action', value: 'resume' }, { name: 'destination', value: 'c' }], MANAGE_CHANNELS, C.channel)).toContain('Resumed');

    const notifier = notifierOn(stores.outbox);
    expect(await relay(stores, notifier, [C, D], logs.logger, 80)).toMatchObject({ sent: 1, dead: 0 });
    expect(await relay(stores, notifier, [C, D], logs.logger, 90)).toMatchObject({ sent: 0 });
    expect(api.messages.filter((message) => message.channel === C.channel)).toHaveLength(1);
    expect(await stores.outbox.pendingCount()).toBe(0);
  });
});
