import { PassThrough } from 'node:stream';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/main.js';
import { REPO_ROOT, writeTestConfig } from '../support/app-config.js';
import { rss, startTestFeedServer, type RssItem, type TestFeedServer } from '../support/feed-server.js';

const OLD: RssItem[] = [
  { title: 'City council approves new park budget', link: 'https://news.example/park', description: 'Local news.', pubDate: '2025-01-02T10:00:00Z' },
  { title: 'Stock markets close higher on tech gains', link: 'https://news.example/stocks', description: 'Markets.', pubDate: '2025-01-03T10:00:00Z' },
];
const RELEVANT: RssItem = {
  title: 'Russian drones strike SOCAR oil depot in Odesa region',
  link: 'https://news.example/socar-depot?utm_source=x',
  description: 'Azerbaijan condemned the Russian drone attack on a SOCAR facility in Ukraine’s Odesa region.',
  pubDate: '2025-10-25T09:00:00Z',
};
const NOISE: RssItem = {
  title: 'Odessa, Texas oil output rises in the Permian basin',
  link: 'https://news.example/odessa-texas',
  description: 'Drillers in Odessa, Texas reported higher output.',
  pubDate: '2025-10-25T10:00:00Z',
};

function captured(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, lines: () => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the whole pipeline on SQLite against a loopback feed server', () => {
  let server: TestFeedServer;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const apps: App[] = [];

  const open = async (stdout: PassThrough): Promise<App> => {
    const app = await openApp({ cwd: REPO_ROOT, env, stdout, json: true, live: true });
    apps.push(app);
    return app;
  };

  beforeEach(async () => {
    server = await startTestFeedServer();
    ({ env, dir } = writeTestConfig(''));
    const config = writeTestConfig(`
store: { path: ${JSON.stringify(path.join(dir, 'store.sqlite'))} }
poll: { floor: 1s }
fetch: { allowPrivate: ["127.0.0.1:${server.port}"] }
feeds:
  - { id: wire, name: Test Wire, url: "${server.url}/wire.xml", interval: 1s }
  - { id: broken, name: Broken Outlet, url: "${server.url}/broken.xml", interval: 1s }
destinations:
  - { id: terminal, platform: console, channel: terminal, profiles: [azerbaijan-russia] }
`);
    env = config.env;
    server.set('/wire.xml', { body: rss('Test Wire', OLD) });
    server.set('/broken.xml', { body: '<html><body>Checking your browser…</body></html>', contentType: 'text/html' });
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await server.close();
  });

  it('seeds on the first poll, alerts only relevant new items, explains them, and never re-posts', async () => {
    const out = captured();
    const app = await open(out.stream);

    const first = await app.runCycle({ all: true });
    expect(first.poll.polled).toBe(2);
    expect(first.delivery.sent).toBe(0);

    server.set('/wire.xml', { body: rss('Test Wire', [...OLD, RELEVANT, NOISE]) });
    const second = await app.runCycle({ all: true });
    expect(second.delivery.sent).toBe(1);
    const [alert] = out.lines();
    expect(alert).toMatchObject({ title: RELEVANT.title, source: 'Test Wire', profile: 'azerbaijan-russia', destination: 'terminal' });
    expect(alert?.link).toContain('https://news.example/socar-depot');
    expect(Array.isArray(alert?.reasons) && (alert.reasons as unknown[]).length).toBeGreaterThan(0);
    expect(Number(alert?.score)).toBeGreaterThan(0);

    // Unchanged feed: the conditional GET gets a 304 and nothing is parsed or posted.
    const third = await app.runCycle({ all: true });
    expect(third.poll.notModified).toBeGreaterThanOrEqual(1);
    expect(server.requests.filter((request) => request.path === '/wire.xml').at(-1)?.ifNoneMatch).toBeTruthy();

    // A restart on the same store re-posts nothing.
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    const again = await open(out.stream);
    const afterRestart = await again.runCycle({ all: true });
    expect(afterRestart.delivery.sent).toBe(0);
    expect(out.lines()).toHaveLength(1);
  });

  it('records a typed error on a feed that is not a feed, while other feeds keep working', async () => {
    const out = captured();
    const app = await open(out.stream);
    await app.runCycle({ all: true });
    const broken = await app.stores.feeds.get('broken');
    expect(broken?.lastError?.code).toBe('not_a_feed');
    expect(broken?.failures).toBe(1);
    const wire = await app.stores.feeds.get('wire');
    expect(wire?.lastError).toBeNull();
    expect(wire?.seeded).toBe(true);
  });

  it('answers /timeline from what was stored, in chronological order', async () => {
    const out = captured();
    const app = await open(out.stream);
    await app.runCycle({ all: true });
    // A later, separate event (stories fold reports of one event; the timeline lists stories).
    const later: RssItem = {
      title: 'Azerbaijan protests Russian strike on SOCAR depot',
      link: 'https://news.example/protest',
      description: 'Baku summoned the Russian ambassador three days after the SOCAR facility in Odesa was hit.',
      pubDate: '2025-10-28T09:00:00Z',
    };
    server.set('/wire.xml', { body: rss('Test Wire', [...OLD, later, RELEVANT]) });
    await app.runCycle({ all: true });
    const { runCommand } = await import('../../src/commands/registry.js');
    const destination = app.destinations[0];
    if (!destination) throw new Error('no destination');
    const { reply, error } = await runCommand('/timeline socar', { destination, user: { id: 'u', name: 'u', canConfigure: false }, now: new Date() }, app.queryDeps);
    expect(error).toBeNull();
    const titles = reply.blocks.flatMap((block) => (block.kind === 'line' ? block.segments.filter((s) => s.kind === 'link').map((s) => (s.kind === 'link' ? s.label : '')) : []));
    expect(titles).toEqual([RELEVANT.title, later.title]);
  });
});
