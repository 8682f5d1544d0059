import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../src/core/alert.js';
import type { Reply } from '../../src/core/reply.js';
import { capturingLogger } from '../platforms/delivery-harness.js';
import { digestReply } from '../../src/commands/digest.js';
import { inQuietHours, runScheduledDigest } from '../../src/pipeline/digest.js';
import { openSqliteDatabase } from '../../src/storage/sqlite/index.js';
import { createSqliteOutboxStore } from '../../src/storage/sqlite/outbox-store.js';
import { createSqliteStoryStore } from '../../src/storage/sqlite/story-store.js';

const destination: Destination = { id: 'terminal', platform: 'console', channel: 'terminal', profiles: ['p'], threshold: null, maxAlertsPerCycle: 10 };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the scheduled digest', () => {
  it('knows quiet hours, including windows across midnight', () => {
    expect(inQuietHours('22:00-07:00', new Date('2025-10-13T23:30:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', new Date('2025-10-13T06:59:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', new Date('2025-10-13T07:00:00Z'))).toBe(false);
    expect(inQuietHours('12:00-13:00', new Date('2025-10-13T12:30:00Z'))).toBe(true);
    expect(inQuietHours(null, new Date())).toBe(false);
  });

  it('posts the stories since the last digest, stays silent in quiet hours, and posts nothing when nothing happened', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-digest-'));
    dirs.push(dir);
    const db = openSqliteDatabase(path.join(dir, 'store.sqlite'));
    const stories = createSqliteStoryStore(db);
    const base = { feedName: 'Wire', link: null, dated: true, profiles: ['p'], entities: ['socar'], terms: ['socar'], bands: [], signature: '' };
    await stories.assign({ ...base, feedId: 'a', itemKey: '1', title: 'SOCAR depot hit', snippet: 'Storage tanks at a SOCAR fuel depot caught fire after a drone attack overnight.', publishedAt: '2025-10-12T04:00:00Z', score: 120, exactKeys: ['u:a/1'] }, { kind: 'new' }, [], new Date());
    const posted: Reply[] = [];
    const deps = { stories, post: async (_to: Destination, reply: Reply) => (posted.push(reply), { kind: 'sent' as const, receipt: null }), render: (digest: Parameters<typeof digestReply>[0]) => digestReply(digest, 'since the last digest') };
    const schedule = { windowSeconds: 86_400, quietHours: '22:00-07:00' };

    expect(await runScheduledDigest(deps, destination, schedule, new Date('2025-10-12T23:00:00Z'))).toBe('quiet');
    expect(await runScheduledDigest(deps, destination, schedule, new Date('2025-10-12T08:00:00Z'))).toBe('posted');
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0])).toMatch(/SOCAR depot hit/);
    expect(await stories.lastDigestAt('terminal')).toBe('2025-10-12T08:00:00.000Z');
    expect(await runScheduledDigest(deps, destination, schedule, new Date('2025-10-12T09:00:00Z'))).toBe('empty');
    expect(posted).toHaveLength(1);
    db.close();
  });

  it('skips a paused destination without recording it, and pauses one whose channel refuses the digest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-digest-'));
    dirs.push(dir);
    const db = openSqliteDatabase(path.join(dir, 'store.sqlite'));
    const stories = createSqliteStoryStore(db);
    const pauses = createSqliteOutboxStore(db);
    const base = { feedName: 'Wire', link: null, dated: true, profiles: ['p'], entities: ['socar'], terms: ['socar'], bands: [], signature: '' };
    await stories.assign({ ...base, feedId: 'a', itemKey: '1', title: 'SOCAR depot hit', snippet: 'Storage tanks caught fire.', publishedAt: '2025-10-12T04:00:00Z', score: 120, exactKeys: ['u:a/1'] }, { kind: 'new' }, [], new Date());
    let answer: { kind: 'sent'; receipt: null } | { kind: 'unreachable'; error: string } = { kind: 'unreachable', error: 'channel_not_found' };
    const posted: Reply[] = [];
    const logs = capturingLogger();
    const deps = { stories, pauses: { store: pauses, logger: logs.logger }, post: async (_to: Destination, reply: Reply) => (posted.push(reply), answer), render: (digest: Parameters<typeof digestReply>[0]) => digestReply(digest, 'since the last digest') };
    const schedule = { windowSeconds: 86_400, quietHours: null };

    expect(await runScheduledDigest(deps, destination, schedule, new Date('2025-10-12T08:00:00Z'))).toBe('failed');
    expect(await pauses.pausedDestinations()).toMatchObject([{ destinationId: 'terminal', reason: 'channel_not_found' }]);
    expect(logs.text()).toContain('destination paused');
    expect(await runScheduledDigest(deps, destination, schedule, new Date('2025-10-12T09:00:00Z'))).toBe('paused');
    expect(posted).toHaveLength(1);
    expect(await stories.lastDigestAt('terminal')).toBeNull();
    // Resumed: the next digest covers what the paused ones would have.
    await pauses.resumeDestination('terminal');
    answer = { kind: 'sent', receipt: null };
    expect(await runScheduledDigest(deps, destination, schedule, new Date('2025-10-12T10:00:00Z'))).toBe('posted');
    expect(JSON.stringify(posted.at(-1))).toMatch(/SOCAR depot hit/);
    db.close();
  });
});
