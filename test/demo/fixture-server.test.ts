import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server.js';

const FEEDS = fileURLToPath(new URL('../../fixtures/feeds', import.meta.url));
const FROM = new Date('2024-12-01T00:00:00Z');
const TO = new Date('2025-12-01T00:00:00Z');

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raw GET over node:http, so paths like `/../x` reach the server unnormalised. */
function get(server: FixtureServer, rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: rawPath, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function itemCount(body: Buffer): number {
  return body.toString('latin1').match(/<(item|entry)[\s>]/g)?.length ?? 0;
}

let open: FixtureServer[] = [];
async function start(replaySeconds: number, now?: () => number, dir = FEEDS): Promise<FixtureServer> {
  const server = await startFixtureServer({ dir, from: FROM, to: TO, replaySeconds, now });
  open.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(open.map((server) => server.close()));
  open = [];
});

describe('fixture server replay', () => {
  it('reveals items progressively as the injected clock advances', async () => {
    let realMs = 1_000_000;
    const server = await start(100, () => realMs);
    expect(server.virtualNow().toISOString()).toBe(FROM.toISOString());

    const atStart = await get(server, '/wire-en.xml');
    const seeded = atStart.body.toString('utf8');
    expect(atStart.status).toBe(200);
    expect(seeded).toContain('COP29 climate talks open in Baku'); // pre-crisis seed, before `from`
    expect(seeded).not.toContain('crashes near Aktau');

    realMs += 10_000; // 10% of a year: early February 2025
    const crash = (await get(server, '/wire-en.xml')).body.toString('utf8');
    expect(crash).toContain('crashes near Aktau');
    expect(crash).toContain('shot down by Russia');
    expect(crash).not.toContain('Sputnik Azerbaijan');

    realMs += 55_000; // 65% (late July): past the raids, before the Washington declaration
    const summer = (await get(server, '/wire-en.xml')).body;
    expect(summer.toString('utf8')).toContain('Sputnik Azerbaijan');
    expect(summer.toString('utf8')).not.toContain('White House');
    expect(itemCount(summer)).toBeGreaterThan(itemCount(atStart.body));

    realMs += 1_000_000; // far past the end: clamped to `to`, everything served
    expect(server.virtualNow().toISOString()).toBe(TO.toISOString());
    const all = await get(server, '/wire-en.xml');
    expect(itemCount(all.body)).toBe(itemCount(readFileSync(path.join(FEEDS, 'wire-en.xml'))));
  });

  it('replaySeconds 0 serves every item at once with virtual now = to', async () => {
    const server = await start(0);
    expect(server.virtualNow().toISOString()).toBe(TO.toISOString());
    for (const name of ['kyiv-uk.xml', 'energy-en.atom', 'broken-en.xml']) {
      const reply = await get(server, `/${name}`);
      expect(itemCount(reply.body)).toBe(itemCount(readFileSync(path.join(FEEDS, name))));
    }
  });

  it('always serves items without a readable date, and keeps the Atom head current', async () => {
    const server = await start(100, () => 0);
    const broken = (await get(server, '/broken-en.xml')).body.toString('utf8');
    expect(broken).toContain('Smarch'); // garbage date: present from the first poll
    expect(broken).not.toContain('Zangezur');
    const atom = (await get(server, '/energy-en.atom')).body.toString('utf8');
    expect(atom).toContain('<updated>2024-11-26T09:00:00.000Z</updated>'); // newest served entry
    expect(atom).not.toContain('Orlovka');
  });
});

describe('fixture server conditional GET', () => {
  it('answers 304 to a matching ETag or Last-Modified, and 200 again once an item appears', async () => {
    let realMs = 0;
    const server = await start(100, () => realMs);
    realMs = 63_000; // virtual 2025-07-19: wire newest served item is 2025-07-17
    const first = await get(server, '/wire-en.xml');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['last-modified']).toBe('Thu, 17 Jul 2025 08:00:00 GMT');
    expect(first.headers['cache-control']).toBe('no-cache');

    const byTag = await get(server, '/wire-en.xml', { 'if-none-match': etag });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    expect(byTag.headers.etag).toBe(etag);
    const byDate = await get(server, '/wire-en.xml', { 'if-modified-since': String(first.headers['last-modified']) });
    expect(byDate.status).toBe(304);
    const staleTag = await get(server, '/wire-en.xml', { 'if-none-match': '"something-else"', 'if-modified-since': String(first.headers['last-modified']) });
    expect(staleTag.status).toBe(200); // If-None-Match wins over If-Modified-Since

    realMs = 100_000; // replay over: newer items exist now
    const later = await get(server, '/wire-en.xml', { 'if-none-match': etag });
    expect(later.status).toBe(200);
    expect(later.headers.etag).not.toBe(etag);
    const laterByDate = await get(server, '/wire-en.xml', { 'if-modified-since': String(first.headers['last-modified']) });
    expect(laterByDate.status).toBe(200);
    expect(laterByDate.headers['last-modified']).toBe('Thu, 06 Nov 2025 11:30:00 GMT');
  });

  it('ignores an unreadable If-Modified-Since', async () => {
    const server = await start(0);
    expect((await get(server, '/wire-en.xml', { 'if-modified-since': 'yesterday-ish' })).status).toBe(200);
  });
});

describe('fixture server bytes and headers', () => {
  it('serves the windows-1251 feed byte for byte, with the charset only in the prolog', async () => {
    const server = await start(0);
    const reply = await get(server, '/moscow-ru-1251.xml');
    const file = readFileSync(path.join(FEEDS, 'moscow-ru-1251.xml'));
    expect(reply.headers['content-type']).toBe('application/rss+xml');
    const firstItem = (bytes: Buffer): Buffer => bytes.subarray(bytes.indexOf('<item>'));
    expect(firstItem(reply.body).equals(firstItem(file))).toBe(true);
    const text = new TextDecoder('windows-1251').decode(reply.body);
    expect(text.startsWith('<?xml version="1.0" encoding="windows-1251"?>')).toBe(true);
    expect(text).toContain('Путин в Душанбе');
    expect(reply.body.includes(Buffer.from('Путин', 'utf8'))).toBe(false);
  });

  it('labels RSS and Atom feeds and declares utf-8 where the file is utf-8', async () => {
    const server = await start(0);
    expect((await get(server, '/wire-en.xml')).headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect((await get(server, '/energy-en.atom')).headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const head = await get(server, '/baku-az.xml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect((await get(server, '/baku-az.xml', {}, 'POST')).status).toBe(405);
  });

  it('writes nothing to stdout while serving', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    try {
      const server = await start(0);
      await get(server, '/wire-en.xml');
      await get(server, '/missing.xml');
      await server.close();
      open = [];
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});

describe('fixture server paths', () => {
  it('answers 404 for unknown feeds and for every attempt to leave the fixture folder', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'wirewatch-fixtures-'));
    try {
      const dir = path.join(root, 'feeds');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'ok.xml'), '<rss><channel><title>ok</title></channel></rss>');
      writeFileSync(path.join(dir, 'notes.yaml'), 'secret: in-folder but not a feed');
      writeFileSync(path.join(root, 'secret.xml'), '<rss><channel><title>SECRET</title></channel></rss>');
      const server = await start(0, undefined, dir);
      expect((await get(server, '/ok.xml')).status).toBe(200);
      const attempts = [
        '/nope.xml',
        '/',
        '/notes.yaml',
        '/../secret.xml',
        '/..%2fsecret.xml',
        '/%2e%2e/secret.xml',
        '/%2E%2E%2Fsecret.xml',
        '/..\\secret.xml',
        '//secret.xml',
        `/${encodeURIComponent(path.join(root, 'secret.xml'))}`,
        'http://127.0.0.1/../secret.xml',
        '/ok.xml/../../secret.xml',
        '/ok.xml%00.xml',
      ];
      for (const attempt of attempts) {
        const reply = await get(server, attempt);
        expect({ attempt, status: reply.status }).toEqual({ attempt, status: 404 });
        expect(reply.body.toString('utf8')).not.toContain('SECRET');
        expect(reply.body.toString('utf8')).not.toContain('secret:');
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a replay window that ends before it starts', async () => {
    await expect(startFixtureServer({ dir: FEEDS, from: TO, to: FROM, replaySeconds: 10 })).rejects.toMatchObject({ code: 'config_invalid' });
  });
});
