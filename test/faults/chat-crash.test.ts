/**
 * Exactly once across crashes, with real processes (reliability.md §3 E53/F55, docs/adr/0003):
 * `wirewatch run --once` as a child process on a real SQLite file, a loopback feed with three
 * matching reports, and the Slack and Discord fakes as the platforms (the real WebClient and
 * @discordjs/rest; `--once` only delivers, so no gateway login). The fakes SIGKILL the bot at one point of a send:
 *   E  a create received, nothing stored yet (the outbox rows are committed, the send begun);
 *   F1 message N stored by the platform, the answer not yet sent to the bot;
 *   F2 message N answered while the test holds the SQLite write lock, so the bot has the answer
 *      and cannot mark the row sent (it waits in SQLite's busy handler when it is killed).
 * The same command then runs again on the same file once the delivery lease has run out. Then every
 * report is posted to each destination exactly once (Discord: nonce, or the in-doubt lookup by the
 * buttons; Slack: the in-doubt history lookup by metadata), the outbox holds only sent rows, each
 * with the receipt of the one message, and no output of either run holds a token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import type { CreateHook, CreateStage } from '../support/create-hook.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.js';
import { rss, startTestFeedServer, type RssItem, type TestFeedServer } from '../support/feed-server.js';
import { blockedOnWrite, fakeChatSecrets, holdWriteLock, leasesExpired, readOutbox, startBot, type BotRun } from './bot-process.js';

const SLACK_CHANNEL = 'C0CRASH01';
const DISCORD_CHANNEL = '100000000000000077';
const REPORTS = 3;

type Platform = 'slack' | 'discord';

interface CrashCase {
  readonly name: string;
  /** Destinations in the config (F2 uses one, so no other lane's write waits behind the test's lock). */
  readonly platforms: readonly Platform[];
  /** Whose create triggers the kill ('any': the first create on either platform). */
  readonly on: Platform | 'any';
  readonly stage: CreateStage;
  /** The kill comes at the create that makes (or would make) this the Nth message in the channel. */
  readonly nth: number;
  /** The restarted bot may not read that platform's history (no channels:history / Read Message History). */
  readonly historyDenied?: boolean;
}

const CASES: readonly CrashCase[] = [
  { name: 'E: killed at the first send, after the outbox commit, before any platform stored a message', platforms: ['slack', 'discord'], on: 'any', stage: 'received', nth: 1 },
  { name: 'F1 Slack: killed after Slack stored alert 2, before the answer reached the bot', platforms: ['slack', 'discord'], on: 'slack', stage: 'stored', nth: 2 },
  { name: 'F1 Discord: killed after Discord stored alert 2, before the answer reached the bot', platforms: ['slack', 'discord'], on: 'discord', stage: 'stored', nth: 2 },
  { name: 'F1 Slack, history unreadable: the in-doubt alert is posted again, one duplicate at most', platforms: ['slack'], on: 'slack', stage: 'stored', nth: 2, historyDenied: true },
  { name: 'F1 Discord, history unreadable: the nonce makes Discord return the first message', platforms: ['discord'], on: 'discord', stage: 'stored', nth: 2, historyDenied: true },
  { name: 'F2 Slack: killed after the answer to alert 2, before mark-sent', platforms: ['slack'], on: 'slack', stage: 'answered', nth: 2 },
  { name: 'F2 Discord: killed after the answer to alert 2, before mark-sent', platforms: ['discord'], on: 'discord', stage: 'answered', nth: 2 },
];

const LETTERS = 'bcdfghjklmnprstvz';
/** Made-up words: the reports share no run of three words but the template's, so each is its own story. */
const words = (from: number): string =>
  Array.from({ length: 8 }, (_, k) => {
    let text = '';
    let rest = from + k;
    do {
      text += LETTERS[rest % LETTERS.length];
      rest = Math.floor(rest / LETTERS.length);
    } while (rest > 0);
    return `${text}ova`;
  }).join(' ');

const reports: RssItem[] = Array.from({ length: REPORTS }, (_, index) => ({
  title: `Russian drone strike hits SOCAR gas station ${words(index * 16 + 16)} in Odesa`,
  link: `https://news.example/wire/story-${index + 1}`,
  description: `Aliyev condemned attack on SOCAR energy infrastructure near ${words(index * 16 + 24)}.`,
  pubDate: new Date(Date.now() - (index + 1) * 6 * 86_400_000).toISOString(),
}));

let feeds: TestFeedServer;

beforeAll(async () => {
  feeds = await startTestFeedServer();
  feeds.set('/wire.xml', { body: rss('Wire', reports) });
});

afterAll(async () => {
  await feeds?.close();
});

function configFor(platforms: readonly Platform[]): NodeJS.ProcessEnv {
  const destinations = platforms.map((platform) =>
    platform === 'slack'
      ? `  - { id: ops-slack, platform: slack, channel: ${SLACK_CHANNEL}, profiles: [azerbaijan-russia] }`
      : `  - { id: ops-discord, platform: discord, channel: "${DISCORD_CHANNEL}", profiles: [azerbaijan-russia] }`,
  );
  return writeTestConfig(`
profiles: { dir: ${JSON.stringify(path.join(REPO_ROOT, 'config/profiles'))} }
fetch: { allowPrivate: ["127.0.0.1:${feeds.port}"], timeout: 10 }
feeds:
  - { id: wire, name: Wire, url: "${feeds.url}/wire.xml", firstPoll: { alertNewest: ${REPORTS} } }
destinations:
${destinations.join('\n')}
`).env;
}

const byNumber = (a: number, b: number): number => a - b;

/** The messages a fake holds, each with the outbox row it carries (Slack: metadata; Discord: the nonce) and its receipt. */
function messagesOf(platform: Platform, slack: FakeSlackApi, discord: FakeDiscordApi): { outboxId: number; receipt: string }[] {
  if (platform === 'slack') return slack.posted.map((m) => ({ outboxId: Number(m.metadata?.event_payload.outbox_id), receipt: `${m.channel}/${m.ts}` }));
  return discord.messages.map((m) => ({ outboxId: Number(/^ww-(\d+)$/.exec(String(m.body.nonce))?.[1]), receipt: `${m.channel}/${m.id}` }));
}

describe('SIGKILL at each step of a chat delivery, then a restart on the same SQLite file', () => {
  for (const crash of CASES) {
    it(crash.name, async () => {
      const slack = await startFakeSlackApi();
      const discord = await startFakeDiscordApi();
      const secrets = fakeChatSecrets();
      const store = path.join(mkdtempSync(path.join(tmpdir(), 'wirewatch-crash-')), 'store.sqlite');
      const env: NodeJS.ProcessEnv = {
        ...configFor(crash.platforms),
        WIREWATCH_DATABASE_URL: store,
        WIREWATCH_LOG_LEVEL: 'debug',
        WIREWATCH_DELIVERY_LEASE: '1',
        ...(crash.platforms.includes('slack') ? { SLACK_BOT_TOKEN: secrets.slackToken, SLACK_SIGNING_SECRET: secrets.signingSecret, WIREWATCH_SLACK_API_URL: slack.apiUrl } : {}),
        ...(crash.platforms.includes('discord') ? { DISCORD_TOKEN: secrets.discordToken, WIREWATCH_DISCORD_API_URL: discord.apiUrl } : {}),
      };
      const runs: BotRun[] = [];
      // F2's write lock, taken when the message is stored and released once the bot is dead.
      const held: { lock: { release(): void } | null } = { lock: null };
      try {
        // 1. The first run, killed by the fake at the chosen point of a send.
        const first = startBot(['run', '--once'], env);
        runs.push(first);
        let killed = false;
        let blocked: boolean | null | undefined;
        const trigger = (platform: Platform): CreateHook => async (stage, event) => {
          if (killed || (crash.on !== 'any' && crash.on !== platform)) return;
          const count = stage === 'received' ? event.stored + 1 : event.stored;
          if (count !== crash.nth) return;
          if (crash.stage === 'answered' && stage === 'stored') {
            held.lock = holdWriteLock(store);
            return;
          }
          if (stage !== crash.stage) return;
          killed = true;
          if (crash.stage === 'answered') blocked = await blockedOnWrite(first.child.pid ?? 0, 8000);
          await first.kill();
          held.lock?.release();
          return 'drop';
        };
        slack.onCreate(trigger('slack'));
        discord.onCreate(trigger('discord'));
        const ended = await first.exited;
        expect(killed, `the kill point was never reached:\n${first.output()}`).toBe(true);
        expect(ended.signal).toBe('SIGKILL');
        // Linux shows the bot asleep in SQLite's busy wait, i.e. holding the answer; elsewhere unobservable (null).
        if (crash.stage === 'answered') expect(blocked).not.toBe(false);
        slack.onCreate(null);
        discord.onCreate(null);
        const before = readOutbox(store);
        expect(before.length).toBe(REPORTS * crash.platforms.length);
        expect(before.some((row) => row.status === 'pending')).toBe(true);
        // Rows whose send began and never recorded an outcome, with the message already on the platform.
        const inDoubtPosted = new Set(
          before.filter((row) => row.inDoubt && messagesOf(row.destination === 'ops-slack' ? 'slack' : 'discord', slack, discord).some((m) => m.outboxId === row.id)).map((row) => row.id),
        );
        if (crash.stage !== 'received') expect(inDoubtPosted.size).toBeGreaterThan(0);
        if (crash.historyDenied) {
          slack.scriptMethod('conversations.history', ...Array.from({ length: 3 }, () => ({ body: { ok: false, error: 'missing_scope' } })));
          discord.scriptHistory(...Array.from({ length: 3 }, () => ({ status: 403, body: { message: 'Missing Access', code: 50001 } })));
        }

        // 2. The same command on the same file, once the dead run's delivery leases have run out.
        await leasesExpired(store);
        const second = startBot(['run', '--once'], env);
        runs.push(second);
        const done = await second.exited;
        expect(done.code, second.output()).toBe(0);

        // 3. Every report reached every destination once (Slack without history: the in-doubt one twice at
        // most); every row is sent, with the receipt of a message that carries it.
        const outbox = readOutbox(store);
        expect(outbox.map((row) => row.status)).toEqual(outbox.map(() => 'sent'));
        for (const platform of crash.platforms) {
          const rows = outbox.filter((row) => row.destination === `ops-${platform}`);
          expect(rows.map((row) => row.link).sort()).toEqual(reports.map((report) => report.link).sort());
          const messages = messagesOf(platform, slack, discord);
          expect([...new Set(messages.map((m) => m.outboxId))].sort(byNumber)).toEqual(rows.map((row) => row.id).sort(byNumber));
          for (const row of rows) {
            const copies = messages.filter((m) => m.outboxId === row.id);
            const duplicate = platform === 'slack' && crash.historyDenied === true && inDoubtPosted.has(row.id);
            expect(copies.length, `${platform} messages for outbox row ${row.id}`).toBe(duplicate ? 2 : 1);
            expect(copies.map((m) => m.receipt)).toContain(row.receipt);
          }
        }
        const restartLog = second.output();
        if (crash.on === 'slack' && crash.stage !== 'received') {
          expect(restartLog).toContain(crash.historyDenied ? 'it may be posted twice' : 'in-doubt alert was already posted');
        }
        if (crash.on === 'discord' && crash.historyDenied) {
          // The restart sent the in-doubt row again with its nonce; Discord answered with the first message.
          for (const id of inDoubtPosted) expect(discord.requests.filter((r) => r.method === 'POST' && (r.body as { nonce?: string } | null)?.nonce === `ww-${id}`).length).toBe(2);
        }

        // 4. The tokens went to the APIs, and into no output of either run.
        if (crash.platforms.includes('slack')) expect(slack.calls[0]?.authorization).toBe(`Bearer ${secrets.slackToken}`);
        if (crash.platforms.includes('discord')) {
          // One cycle delivers over REST: a cron job must not depend on (or wait for) the gateway.
          expect(discord.gateway.identified()).toBe(0);
          expect(discord.requests.find((request) => request.path.endsWith('/messages'))?.authorization).toBe(`Bot ${secrets.discordToken}`);
        }
        for (const run of runs) {
          for (const secret of Object.values(secrets)) expect(run.output()).not.toContain(secret);
          expect(run.output()).not.toMatch(/xox[abp]-/);
        }
      } finally {
        for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) await run.kill();
        held.lock?.release();
        await slack.close();
        await discord.close();
        for (const dir of [path.dirname(store), path.dirname(String(env.WIREWATCH_CONFIG))]) rmSync(dir, { recursive: true, force: true });
      }
    }, 40_000);
  }
});
