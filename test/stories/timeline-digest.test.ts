import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { storiesPerDayPng } from '../../src/stories/chart.js';
import { digestRank, extractiveSummaries, sentences } from '../../src/stories/digest.js';
import { nearestEntity } from '../../src/stories/nearest.js';
import { groupStories, storiesPerDay, storyPhase } from '../../src/stories/timeline.js';

describe('timeline assembly', () => {
  it('groups by day, or by week when the list spans many days', () => {
    const days = ['2025-10-12', '2025-10-12', '2025-10-22', '2025-10-25'].map((day) => ({ firstAt: `${day}T10:00:00.000Z` }));
    expect(groupStories(days).map((group) => [group.label, group.stories.length])).toEqual([['2025-10-12', 2], ['2025-10-22', 1], ['2025-10-25', 1]]);
    expect(groupStories(days, 2).map((group) => group.label)).toEqual(['Week of 2025-10-06', 'Week of 2025-10-20']);
  });

  it('phases: new, developing, quiet', () => {
    const now = new Date('2025-10-13T00:00:00Z');
    expect(storyPhase({ lastAt: '2025-10-12T20:00:00Z', itemCount: 1 }, now)).toBe('new');
    expect(storyPhase({ lastAt: '2025-10-12T20:00:00Z', itemCount: 3 }, now)).toBe('developing');
    expect(storyPhase({ lastAt: '2025-10-10T20:00:00Z', itemCount: 3 }, now)).toBe('quiet');
  });

  it('counts stories per day, zero days included, and draws them as a PNG', () => {
    const series = storiesPerDay([{ firstAt: '2025-10-12T01:00:00Z' }, { firstAt: '2025-10-12T05:00:00Z' }, { firstAt: '2025-10-15T00:00:00Z' }]);
    expect(series).toEqual([
      { day: '2025-10-12', count: 2 },
      { day: '2025-10-13', count: 0 },
      { day: '2025-10-14', count: 0 },
      { day: '2025-10-15', count: 1 },
    ]);
    const png = PNG.sync.read(Buffer.from(storiesPerDayPng(series, { width: 100, height: 40 })));
    expect([png.width, png.height]).toEqual([100, 40]);
    const blue = (x: number, y: number): boolean => png.data[(png.width * y + x) * 4 + 2] === 200 && png.data[(png.width * y + x) * 4] === 40;
    expect(blue(5, 10)).toBe(true); // the first (tallest) bar reaches the top
    expect(blue(40, 30)).toBe(false); // an empty day has no bar
  });

  it('suggests the nearest entity for a misspelt query, and nothing for nonsense', () => {
    const entities = [{ id: 'socar', label: 'SOCAR', names: ['СОКАР'] }, { id: 'orlovka', label: 'Orlivka gas compressor station', names: ['Orlovka', 'Орловка'] }];
    expect(nearestEntity('socr', entities)?.id).toBe('socar');
    expect(nearestEntity('Орлорка', entities)?.id).toBe('orlovka');
    expect(nearestEntity('<!channel>', entities)).toBeNull();
    expect(nearestEntity('x'.repeat(10_000), entities)).toBeNull();
  });
});

describe('digest', () => {
  it('ranks by score × sources × recency', () => {
    const now = new Date('2025-10-13T00:00:00Z');
    const fresh = digestRank({ bestScore: 100, sourceCount: 4, lastAt: '2025-10-12T23:00:00Z' }, now);
    expect(fresh).toBeGreaterThan(digestRank({ bestScore: 100, sourceCount: 1, lastAt: '2025-10-12T23:00:00Z' }, now));
    expect(fresh).toBeGreaterThan(digestRank({ bestScore: 100, sourceCount: 4, lastAt: '2025-10-10T23:00:00Z' }, now));
  });

  it('picks two distinctive, non-repeating sentences, in reading order', () => {
    const texts = [
      'Storage tanks at a SOCAR fuel depot in the Odesa region caught fire after a Russian drone attack. The weather was mild.',
      'Storage tanks at a SOCAR fuel depot in Odesa region caught fire after a drone attack. Azerbaijan protested to Moscow over the depot strike.',
    ];
    const other = ['Putin admitted Russian missiles exploded near the AZAL plane in Dushanbe. He promised compensation to the families.'];
    const summaries = extractiveSummaries([{ id: 1, texts }, { id: 2, texts: other }]);
    const lines = summaries.get(1) ?? [];
    expect(lines).toHaveLength(2);
    expect(lines.join(' ')).toMatch(/tanks/);
    expect(lines.join(' ')).toMatch(/protested/);
    expect(sentences('Short. But this sentence has enough words in it.')).toEqual(['But this sentence has enough words in it.']);
  });
});
