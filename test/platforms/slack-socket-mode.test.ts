import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPlatform, type SlackPlatform } from '../../src/platforms/slack/index.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { REPO_ROOT } from '../support/app-config.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { capturingLogger, destination, openTempStores, queueAlerts } from './delivery-harness.js';
import { commandDepsFor, until } from './inbound-harness.js';

// Token-shaped, built at run time so no literal token sits in the repo.
const BOT_TOKEN = ['xoxb', '17', '2039', 'socketbot'].join('-');
const APP_TOKEN = ['xapp', '1', 'A0FAKESOCK', '4242', 'socketapp'].join('-');
const CORPUS_SHAPE = path.resolve(REPO_ROOT, '../shared/corpus/payloads/slack/java-slack-sdk-json-logs/app-backend/slash-commands/SlashCommandPayload.json');

type Envelope = { envelope_id: string; type: 'slash_commands'; payload: Record<string, unknown>; accepts_response_payload: true };

describe('Slack Socket Mode: the real platform against a loopback apps.connections.open + websocket', () => {
  let stores: SqliteStores;
  let api: FakeSlackApi;
  let logs: ReturnType<typeof capturingLogger>;
  let platform: SlackPlatform;
  let sequence = 0;

  const start = async (): Promise<SlackPlatform> => {
    const started = createSlackPlatform({
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      signingSecret: null,
      apiUrl: api.apiUrl,
      destinations: [destination('a', 'slack', 'CAAAA')],
      configureUsers: new Map([['a', ['UALLOWED']]]),
      commandDeps: commandDepsFor(stores),
      outbox: stores.outbox,
      logger: logs.logger,
    });
    platform = started;
    await started.start();
    return started;
  };

  /** A slash_commands envelope as Slack sends it over the socket; the payload has the slash-command fields. */
  const envelope = (command: string, text: string, user: string, responseUrl?: string): Envelope => {
    const n = ++sequence;
    return {
      envelope_id: `0f2c${n}e4b-8d4a-4c2e-9f61-socket${n}`,
      type: 'slash_commands',
      payload: {
        token: 'verification-token-unused-in-socket-mode',
        team_id: 'T0G9PQBBK',
        team_domain: 'subarachnoid',
        channel_id: 'CAAAA',
        channel_name: 'ops',
        user_id: user,
        user_name: user.toLowerCase(),
        command,
        text,
        api_app_id: 'A0FAKESOCK',
        is_enterprise_install: 'false',
        response_url: responseUrl ?? `${api.url}/hooks/commands/T0G9PQBBK/${n}/socket${n}`,
        trigger_id: `870870196754${n}.8654065187606.socket${n}`,
      },
      accepts_response_payload: true,
    };
  };

  const responsesTo = (sent: Envelope) => api.responses.filter((response) => `${api.url}${response.path}` === sent.payload.response_url);
  const acksOf = (sent: Envelope) => api.socket.acks.filter((ack) => ack.envelope_id === sent.envelope_id);

  /** Sends an envelope and waits until it is acked and its answer has reached the response_url. */
  const run = async (sent: Envelope): Promise<Record<string, unknown>> => {
    api.socket.send(sent);
    await until(() => acksOf(sent).length === 1 && responsesTo(sent).length === 1);
    return responsesTo(sent)[0]?.body ?? {};
  };

  beforeEach(async () => {
    stores = openTempStores();
    api = await startFakeSlackApi();
    logs = capturingLogger();
    await start();
  });
  afterEach(async () => {
    await platform.stop();
    await api.close();
    await stores.close();
    for (const secret of [BOT_TOKEN, APP_TOKEN]) expect(logs.text()).not.toContain(secret);
  });

  it('connects with the app token only, and the envelope payload is the documented slash-command field set', () => {
    expect(api.socket.connections()).toBe(1);
    const opens = api.calls.filter((call) => call.method === 'apps.connections.open');
    expect(opens.map((call) => call.authorization)).toEqual([`Bearer ${APP_TOKEN}`]);
    expect(opens[0]?.body.token).toBeUndefined();
    // The app token opens the socket and nothing else; the bot token never goes to apps.connections.open.
    expect(api.calls.filter((call) => call.method !== 'apps.connections.open').map((call) => call.authorization)).not.toContain(`Bearer ${APP_TOKEN}`);
    if (existsSync(CORPUS_SHAPE)) {
      const documented = Object.keys(JSON.parse(readFileSync(CORPUS_SHAPE, 'utf8')) as Record<string, unknown>);
      expect(documented).toEqual(expect.arrayContaining(Object.keys(envelope('/wirewatch', '', 'U1').payload)));
    }
  });

  it('stop() closes the websocket', async () => {
    await platform.stop();
    await until(() => api.socket.connections() === 0);
  });

  it('/wirewatch and /timeline: each envelope is acked by its id, the answer goes to the response_url', async () => {
    const help = envelope('/wirewatch', '', 'UNOBODY');
    const answer = await run(help);
    expect(acksOf(help)).toEqual([{ envelope_id: help.envelope_id, payload: {} }]);
    expect(answer).toMatchObject({ response_type: expect.stringMatching(/^(ephemeral|in_channel)$/), text: expect.stringContaining('/timeline') });
    const timeline = envelope('/timeline', 'socar', 'UNOBODY');
    // The entity is resolved (socar → SOCAR) by the same command code as HTTP mode; the store is empty.
    expect(await run(timeline)).toMatchObject({ text: expect.stringContaining('Timeline: SOCAR'), blocks: [expect.objectContaining({ type: 'section' })] });
    expect(api.socket.strays).toEqual([]);
    // Socket Mode answers through response_url only: nothing was posted with the bot token.
    expect(api.posted).toEqual([]);
  });

  it('a reply Slack refuses as blocks goes again as plain text', async () => {
    api.scriptHook({ status: 400, body: { ok: false, error: 'invalid_blocks' } });
    const timeline = envelope('/timeline', 'socar', 'UNOBODY');
    api.socket.send(timeline);
    await until(() => responsesTo(timeline).length === 2);
    const [rich, plain] = responsesTo(timeline).map((response) => response.body);
    expect(rich).toMatchObject({ blocks: [expect.objectContaining({ type: 'section' })] });
    expect(plain).toMatchObject({ text: expect.stringContaining('Timeline: SOCAR') });
    expect(plain?.blocks).toBeUndefined();
  });

  it('/watch add: refused ephemerally for a member (nothing changes); configureUsers and workspace admins may', async () => {
    const refused = await run(envelope('/watch', 'add SOCAR', 'UNOBODY'));
    expect(refused).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Nothing was changed') });
    expect(await stores.watchTerms.list('a')).toEqual([]);
    expect(api.calls.filter((call) => call.method === 'users.info').map((call) => call.body.user)).toEqual(['UNOBODY']);

    await run(envelope('/watch', 'add SOCAR', 'UALLOWED'));
    api.admins.add('UADMIN1');
    await run(envelope('/watch', 'add Gazprom', 'UADMIN1'));
    expect((await stores.watchTerms.list('a')).map((term) => term.term).sort()).toEqual(['Gazprom', 'SOCAR']);
  });

  it('the same command delivered twice (same envelope, or a new envelope with the same trigger_id) has one effect', async () => {
    const add = envelope('/watch', 'add SOCAR', 'UALLOWED');
    await run(add);
    await run(envelope('/watch', 'remove SOCAR', 'UALLOWED'));
    api.socket.send(add);
    api.socket.send({ ...add, envelope_id: `${add.envelope_id}-redelivered` });
    // A replay is dropped right after its ack, long before a later command can be answered: once that answer is in, the replays are settled.
    const list = await run(envelope('/watch', 'list', 'UNOBODY'));
    expect(acksOf(add)).toHaveLength(2);
    expect(api.socket.acks.filter((ack) => ack.envelope_id === `${add.envelope_id}-redelivered`)).toHaveLength(1);
    expect(responsesTo(add)).toHaveLength(1);
    expect(await stores.watchTerms.list('a')).toEqual([]);
    expect(String(list.text)).not.toContain('SOCAR');
  });

  it('a 👍 button (an interactive envelope) is acked and thanked once, also when delivered twice', async () => {
    await queueAlerts(stores, ['a']);
    const press = {
      envelope_id: 'b7d1-interactive-1',
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        user: { id: 'U9', username: 'u9', name: 'u9', team_id: 'T0G9PQBBK' },
        api_app_id: 'A0FAKESOCK',
        team: { id: 'T0G9PQBBK', domain: 'subarachnoid' },
        channel: { id: 'CAAAA', name: 'ops' },
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'CAAAA', is_ephemeral: false },
        trigger_id: '8708701967540.8654065187606.press1',
        response_url: `${api.url}/hooks/actions/T0G9PQBBK/press1`,
        actions: [{ action_id: 'ww_up', block_id: 'ww', value: 'ww:up:1', type: 'button', action_ts: '1700000001.000200' }],
      },
    };
    api.socket.send(press);
    api.socket.send(press);
    await until(() => api.socket.acks.filter((ack) => ack.envelope_id === press.envelope_id).length === 2 && api.responses.length === 1);
    expect(api.responses[0]?.body).toMatchObject({ replace_original: false, text: expect.stringContaining('👍') });
    await run(envelope('/wirewatch', '', 'UNOBODY'));
    expect(api.responses.filter((response) => response.path.startsWith('/hooks/actions/'))).toHaveLength(1);
  });

  it('a bot token auth.test would refuse neither ends the process nor blocks commands', async () => {
    await platform.stop();
    // Bolt, given the token, ran auth.test in its constructor and nobody awaited it: an unhandled rejection ended the process.
    api.scriptMethod('auth.test', { body: { ok: false, error: 'invalid_auth' } });
    await start();
    expect(await run(envelope('/wirewatch', '', 'UNOBODY'))).toMatchObject({ text: expect.stringContaining('/timeline') });
    expect(api.calls.map((call) => call.method)).not.toContain('auth.test');
  });

  it('no token in any log line: a failed answer, a refused socket start', async () => {
    // A response_url whose server is gone makes Bolt log the failure.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    const unreachable = envelope('/wirewatch', '', 'UNOBODY', `http://127.0.0.1:${port}/hooks/commands/T0G9PQBBK/1/gone`);
    api.socket.send(unreachable);
    await until(() => acksOf(unreachable).length === 1 && logs.text().includes('fetch failed'));
    // SDK errors arrive as Error objects: their message is kept, never an empty line.
    expect(logs.text()).not.toContain('"msg":""');
    await platform.stop();

    api.scriptMethod('apps.connections.open', { body: { ok: false, error: 'invalid_auth' } });
    await expect(start()).rejects.toThrow(/invalid_auth/);
    expect(logs.text()).toContain('invalid_auth');
  });
});
