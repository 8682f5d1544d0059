/** `wirewatch parse --jsonl`: one JSON line per target, bad and hanging targets included, exit 0. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerParseCommand } from '../../../src/cli/parse-command.js';
import { createFeedFetcher } from '../../../src/feeds/fetch/index.js';
import { rss } from './feed-builders.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-parse-cli-'));
const server = createServer((req, res) => {
  if (req.url === '/hang') return; // never answers: the fetcher's deadline must end it
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1251' });
  res.end(iconv.encode(rss([{ title: 'Заголовок новости', link: '/story/1', guid: 'r1' }]), 'windows-1251'));
});
let origin = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<Record<string, unknown>[]> {
  let out = '';
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  const program = new Command().exitOverride();
  registerParseCommand(program, {
    fetchUrl: (url, allow) => createFeedFetcher({ userAgent: 'wirewatch-test', allowPrivate: allow, deadlineMs: 1_500 }).fetch(url),
    stdout,
  });
  await program.parseAsync(['node', 'wirewatch', 'parse', '--jsonl', ...args]);
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('wirewatch parse --jsonl', () => {
  it('prints one line per file, in order, whatever each file holds', async () => {
    const good = path.join(dir, 'good.xml');
    const html = path.join(dir, 'page.html');
    const empty = path.join(dir, 'empty.xml');
    writeFileSync(good, rss([{ title: 'Hello &amp; welcome', link: 'https://e.example/1', guid: 'g1', pubDate: 'Tue, 10 Jun 2003 04:00:00 GMT', description: '&lt;p&gt;Body&lt;/p&gt;' }]));
    writeFileSync(html, '<!doctype html><html><body>Checking your browser</body></html>');
    writeFileSync(empty, '');
    const lines = await run([good, path.join(dir, 'missing.xml'), html, empty]);
    expect(lines).toEqual([
      {
        file: good,
        ok: true,
        format: 'rss',
        feed: { title: 'Test feed', link: 'https://news.example/', language: null },
        items: [{ title: 'Hello & welcome', link: 'https://e.example/1', guid: 'g1', published: '2003-06-10T04:00:00.000Z', summary: 'Body' }],
      },
      { file: path.join(dir, 'missing.xml'), ok: false, error: { code: 'bad_input', message: expect.stringContaining('ENOENT') } },
      { file: html, ok: false, error: { code: 'not_a_feed', message: expect.any(String) } },
      { file: empty, ok: false, error: { code: 'empty_body', message: expect.any(String) } },
    ]);
  });

  it('fetches URL targets through the fetcher, honouring --allow and the response charset', async () => {
    const host = new URL(origin).host;
    const withoutAllow = await run([`${origin}/feed`]);
    expect(withoutAllow).toEqual([{ file: `${origin}/feed`, ok: false, error: { code: 'blocked_address', message: expect.any(String) } }]);
    const lines = await run(['--allow', host, `${origin}/feed`, `${origin}/hang`]);
    expect(lines[0]).toMatchObject({ ok: true, items: [{ title: 'Заголовок новости', link: 'https://news.example/story/1' }] });
    expect(lines[1]).toMatchObject({ file: `${origin}/hang`, ok: false, error: { code: 'timeout' } });
  });
});
