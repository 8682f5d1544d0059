import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../src/storage/sqlite/index.js';
import { runCli } from '../support/run-cli.js';

describe('wirewatch status / wirewatch resume', () => {
  it('lists a paused destination and resumes it in the store a running relay reads; a second resume is a clear error', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'wirewatch-cli-pauses-')), 'store.sqlite');
    const env = { WIREWATCH_DATABASE_URL: file };
    const stores = openSqliteStores(file);
    await stores.outbox.pauseDestination('news-slack', 'channel_not_found', new Date('2025-10-26T09:30:00Z'));
    await stores.close();

    const status = await runCli(['status'], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/1 paused destination/);
    expect(status.stdout).toMatch(/news-slack — channel_not_found, since 2025-10-26 09:30 UTC/);

    const resumed = await runCli(['resume', 'news-slack'], { env });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/Resumed news-slack/);

    const again = await runCli(['resume', 'news-slack'], { env });
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/"news-slack" is not paused \(no destination is paused\)\. Nothing was changed\./);

    const reopened = openSqliteStores(file);
    expect(await reopened.outbox.pausedDestinations()).toEqual([]);
    await reopened.close();
  });
});
