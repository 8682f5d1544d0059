import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/main.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import { rss, startTestFeedServer, type RssItem, type TestFeedServer } from '../support/feed-server.js';

const OLD: RssItem[] = [{ title: 'City council approves new park budget', link: 'https://wire.example/park', description: 'Local news.', pubDate: '2025-10-20T10:00:00Z' }];
const DEPOT: RssItem = {
  title: 'Drones strike SOCAR oil depot in Odesa region',
  link: 'https://wire.example/socar-depot',
  guid: 'wire-1',
  description: 'Storage tanks at a SOCAR fuel depot in Ukraine’s Odesa region caught fire after a drone attack overnight; Azerbaijan protested.',
  pubDate: '2025-10-25T09:00:00Z',
};

/** Reliability.md A12 and the story rules, end to end through the console skin. */
describe('one alert per story, through the whole pipeline', () => {
  let server: TestFeedServer;
  let app: App;
  let output = '';

  const alerts = (): number => output.split('━━ ALERT').length - 1;
  const cycle = async (): Promise<void> => {
    await app.runCycle({ all: true });
  };

  beforeEach(async () => {
    server = await startTestFeedServer();
    const { dir } = writeTestConfig('');
    const { env } = writeTestConfig(`
store: { path: ${JSON.stringify(path.join(dir, 'store.sqlite'))} }
poll: { floor: 1s }
fetch: { allowPrivate: ["127.0.0.1:${server.port}"] }
feeds:
  - { id: wire, name: Test Wire, url: "${server.url}/wire.xml", interval: 1s }
  - { id: hub, name: Test Hub, url: "${server.url}/hub.xml", interval: 1s }
destinations:
  - { id: terminal, platform: console, channel: terminal, profiles: [azerbaijan-russia] }
`);
    server.set('/wire.xml', { body: rss('Test Wire', OLD) });
    server.set('/hub.xml', { body: rss('Test Hub', []) });
    output = '';
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    app = await openApp({ cwd: REPO_ROOT, env, stdout, live: true });
    await cycle(); // seeds both feeds
  });
  afterEach(async () => {
    await app.close();
    await server.close();
  });

  it('GUID churn and edited re-publications never re-alert; another outlet’s copy is a follow-up', async () => {
    server.set('/wire.xml', { body: rss('Test Wire', [...OLD, DEPOT]) });
    await cycle();
    expect(alerts()).toBe(1);

    // Every fetch changes every GUID (A12), then the title is edited: same article, no alert.
    server.set('/wire.xml', { body: rss('Test Wire', [...OLD, { ...DEPOT, guid: 'wire-1-churned' }]) });
    await cycle();
    server.set('/wire.xml', { body: rss('Test Wire', [...OLD, { ...DEPOT, guid: 'wire-1-again', title: `${DEPOT.title} (updated)` }]) });
    await cycle();
    expect(alerts()).toBe(1);
    expect(output).not.toMatch(/↳/);

    // The aggregator syndicates it with tracking parameters: the story gains a source, in the thread.
    server.set('/hub.xml', { body: rss('Test Hub', [{ ...DEPOT, guid: 'hub-77', link: `${DEPOT.link}?utm_source=hub&utm_medium=rss` }]) });
    await cycle();
    expect(alerts()).toBe(1);
    expect(output).toMatch(/\n {3}↳ \+1 report on Drones strike SOCAR oil depot in Odesa region \(now 2 sources, 2 reports\)\n {5}· Drones strike SOCAR oil depot in Odesa region — Test Hub/);
  });

  it('a later report of the same event that names a new side re-alerts once, saying what changed', async () => {
    server.set('/wire.xml', { body: rss('Test Wire', [...OLD, DEPOT]) });
    await cycle();
    const attributed: RssItem = {
      title: 'Russia’s drone attack on SOCAR depot in Odesa draws protest from Baku',
      link: 'https://hub.example/socar-depot-russia',
      description: 'Azerbaijan protested to Moscow after Russian drones set SOCAR fuel depot tanks ablaze in the Odesa region.',
      pubDate: '2025-10-25T12:00:00Z',
    };
    server.set('/hub.xml', { body: rss('Test Hub', [attributed]) });
    await cycle();
    expect(alerts()).toBe(2);
    expect(output).toMatch(/Update: now also involves Russia\./);
    const again: RssItem = { ...attributed, title: 'Russia denies SOCAR depot strike in Odesa', link: 'https://hub.example/russia-denies' };
    server.set('/hub.xml', { body: rss('Test Hub', [attributed, again]) });
    await cycle();
    expect(alerts()).toBe(2);
    expect(output).toMatch(/↳ \+1 report on /);
  });
});
