import { generateKeyPairSync, sign as edSign, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordHttpHandler } from '../../src/platforms/discord/http-endpoint.js';
import type { DiscordMessage } from '../../src/platforms/discord/render.js';
import { discordPublicKey } from '../../src/platforms/discord/signature.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { REPO_ROOT } from '../support/app-config.js';
import { capturingLogger, destination, openTempStores } from './delivery-harness.js';
import { commandDepsFor, serve, until } from './inbound-harness.js';

const PAYLOADS = path.resolve(REPO_ROOT, '../shared/corpus/payloads/discord');
const CHANNEL = '645027906669510667';
const MANAGE_CHANNELS = String(1 << 4);

function corpus(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(PAYLOADS, name), 'utf8')) as Record<string, unknown>;
}

describe.skipIf(!existsSync(PAYLOADS))('Discord HTTP interactions: POST /discord/interactions (corpus payloads)', () => {
  let privateKey: KeyObject;
  let publicHex: string;
  let stores: SqliteStores;
  let server: Awaited<ReturnType<typeof serve>>;
  let edits: DiscordMessage[];
  let inlineWithinMs: number;

  const signed = (body: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> => ({
    'content-type': 'application/json',
    'x-signature-timestamp': timestamp,
    'x-signature-ed25519': edSign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
  });
  const send = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return server.post(body, signed(body));
  };
  const watchCommand = (id: string, action: string, term: string, permissions = MANAGE_CHANNELS): Record<string, unknown> => {
    const base = corpus('docs/interaction.application_command.chat_input.json');
    const member = { ...(base.member as Record<string, unknown>), permissions };
    return { ...base, id, member, channel_id: CHANNEL, data: { type: 1, name: 'watch', options: [{ type: 3, name: 'action', value: action }, { type: 3, name: 'term', value: term }] } };
  };

  beforeEach(async () => {
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    publicHex = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    stores = openTempStores();
    edits = [];
    inlineWithinMs = 2_000;
    const handler = createDiscordHttpHandler({
      publicKey: discordPublicKey(publicHex),
      answer: {
        destinations: [destination('d', 'discord', CHANNEL)],
        commandDeps: commandDepsFor(stores),
        configure: new Map([['d', { role: '111222333444555666', users: [] }]]),
        feedback: stores.outbox,
        logger: capturingLogger().logger,
        now: () => new Date(),
        get inlineWithinMs() {
          return inlineWithinMs;
        },
      },
      editOriginal: async (_interaction, message) => {
        edits.push(message);
      },
    });
    server = await serve(handler);
  });
  afterEach(async () => {
    await server.close();
    await stores.close();
  });

  it('answers a real PING with {"type":1} as JSON', async () => {
    const response = await send(corpus('issues/interaction.ping.minimal.json'));
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    expect(JSON.parse(response.text)).toEqual({ type: 1 });
  });

  describe('bad signatures → 401 (reliability.md §3 D46)', () => {
    const ping = JSON.stringify({ id: '795459528803745843', type: 1, version: 1, note: 'café' });
    it.each<[string, () => Record<string, string>, string?]>([
      ['missing headers', () => ({ 'content-type': 'application/json' })],
      ['non-hex signature', () => ({ ...signed(ping), 'x-signature-ed25519': 'z'.repeat(128) })],
      ['short signature', () => ({ ...signed(ping), 'x-signature-ed25519': 'ab'.repeat(10) })],
      ['stale timestamp (> 300 s)', () => signed(ping, String(Math.floor(Date.now() / 1000) - 301))],
      ['signature over re-serialised JSON (\\u00e9 for é)', () => signed(ping.replace('é', '\\u00e9'))],
      ['body changed after signing', () => signed(ping), ping.replace('"type":1', '"type":2')],
    ])('%s', async (_name, headers, body) => {
      const response = await server.post(body ?? ping, headers());
      expect(response.status).toBe(401);
    });

    it('100 random probes → 100 × 401', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 100 }, () => server.post(ping, { ...signed(ping), 'x-signature-ed25519': randomBytes(64).toString('hex') }).then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([401]));
    });
  });

  it('runs /watch add for Manage Channels, refuses others server-side, and a replayed id has one effect', async () => {
    const refused = JSON.parse((await send(watchCommand('1001', 'add', 'SOCAR', '0'))).text) as { type: number; data: DiscordMessage };
    expect(refused.type).toBe(4);
    expect(refused.data.content).toContain('Nothing was changed');
    expect(refused.data).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    expect(await stores.watchTerms.list('d')).toEqual([]);

    expect((await send(watchCommand('1002', 'add', 'SOCAR'))).status).toBe(200);
    expect(await stores.watchTerms.list('d')).toHaveLength(1);
    await send(watchCommand('1003', 'remove', 'SOCAR'));
    const replay = JSON.parse((await send(watchCommand('1002', 'add', 'SOCAR'))).text) as { data: DiscordMessage };
    expect(replay.data.content).toBe('Already handled.');
    expect(await stores.watchTerms.list('d')).toEqual([]);
  });

  it('the configured role may configure too; echoes cannot ping or mask links', async () => {
    const command = watchCommand('1004', 'add', '@everyone [bank](https://evil.example)', '0');
    (command.member as Record<string, unknown>).roles = ['111222333444555666'];
    const answer = JSON.parse((await send(command)).text) as { data: DiscordMessage };
    expect(answer.data.content).toContain('Nothing was changed');
    expect(answer.data.content).not.toMatch(/@everyone|\[bank\]\(/);
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    const allowed = { ...watchCommand('1006', 'add', 'SOCAR', '0'), member: command.member };
    await send(allowed);
    expect(await stores.watchTerms.list('d')).toHaveLength(1);
  });

  it('defers (type 5) when a command is slow, then edits the original', async () => {
    inlineWithinMs = 0;
    const answer = JSON.parse((await send(watchCommand('1005', 'list', ''))).text) as { type: number; data: { flags?: number } };
    expect(answer).toEqual({ type: 5, data: { flags: 64 } });
    await until(() => edits.length === 1);
    expect(edits[0]?.content).toContain('Watching in');
  });

  it('autocompletes entity names for /timeline', async () => {
    const base = corpus('docs/interaction.autocomplete.json');
    const payload = { ...base, id: '2001', channel_id: CHANNEL, data: { name: 'timeline', type: 1, options: [{ type: 3, name: 'query', value: 'soc', focused: true }] } };
    const answer = JSON.parse((await send(payload)).text) as { type: number; data: { choices: { name: string }[] } };
    expect(answer.type).toBe(8);
    expect(answer.data.choices.map((choice) => choice.name).join(' ')).toMatch(/SOCAR/i);
    expect(answer.data.choices.length).toBeLessThanOrEqual(25);
  });
});
