import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTimelineArgs } from '../../src/commands/timeline.js';
import { saveReplyImages } from '../../src/platforms/console/charts.js';
import { storiesPerDayPng } from '../../src/stories/chart.js';

const NOW = new Date('2025-12-01T00:00:00Z');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('/timeline arguments', () => {
  it('reads QUERY [since] [until] positionally or as flags, with a page and a chart', () => {
    expect(parseTimelineArgs('socar 2025-10-01 2025-10-31', NOW)).toMatchObject({ query: 'socar', since: new Date('2025-10-01'), until: new Date('2025-10-31'), page: 1, chart: false });
    expect(parseTimelineArgs('"Odesa region" 30d --page 3 --chart', NOW)).toMatchObject({ query: 'Odesa region', since: new Date('2025-11-01T00:00:00Z'), page: 3, chart: true });
    expect(parseTimelineArgs('socar --since 2w --until 1w', NOW)).toMatchObject({ query: 'socar', sinceText: '2w', untilText: '1w' });
    expect(parseTimelineArgs('', NOW)).toMatchObject({ query: '', since: new Date(0), until: NOW });
  });

  it('refuses nonsense clearly', () => {
    expect(() => parseTimelineArgs('socar --since tomorrowish', NOW)).toThrow(/not a time/);
    expect(() => parseTimelineArgs('socar 2025-10-31 2025-10-01', NOW)).toThrow(/after "until"/);
    expect(() => parseTimelineArgs('socar --page -2', NOW)).toThrow(/--page/);
    expect(() => parseTimelineArgs('x'.repeat(10_000), NOW)).toThrow(/too long/);
  });
});

describe('the console skin and charts', () => {
  it('writes each attached image to a file and says where and what it shows', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirewatch-charts-'));
    dirs.push(dir);
    const png = storiesPerDayPng([{ day: '2025-10-12', count: 2 }]);
    const [line] = saveReplyImages({ blocks: [], ephemeral: false, images: [{ kind: 'image', png, alt: 'Stories per day for SOCAR\u001b[2J' }] }, path.join(dir, 'charts'), NOW);
    const file = /chart: (\S+\.png)/.exec(line ?? '')?.[1] ?? '';
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(line).toMatch(/\(Stories per day for SOCAR\[2J\)$/);
    expect(saveReplyImages({ blocks: [], ephemeral: false }, dir)).toEqual([]);
  });
});
