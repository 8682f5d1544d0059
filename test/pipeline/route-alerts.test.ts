import { describe, expect, it } from 'vitest';
import type { Destination } from '../../src/core/alert.js';
import type { FeedItem } from '../../src/core/item.js';
import type { ScoreResult } from '../../src/core/score.js';
import { destinationVerdict, routeAlerts, type ScoredItem } from '../../src/pipeline/route-alerts.js';

const destination = (id: string, profiles: string[], threshold: number | null = null): Destination => ({
  id,
  platform: 'console',
  channel: id,
  profiles,
  threshold,
  maxAlertsPerCycle: 10,
});
const result = (profile: string, score: number, threshold = 50): ScoreResult => ({ profile, score, threshold, alert: score >= threshold, reasons: [], entities: [] });
const item = (key: string, published: string): FeedItem => ({ key, guid: key, link: null, title: key, summary: '', published, author: null });
const scored = (key: string, published: string, scores: ScoreResult[]): ScoredItem => ({ item: item(key, published), scores, byDestination: new Map() });

describe('routing alerts to destinations', () => {
  it('uses the profile threshold unless the destination overrides it', () => {
    expect(destinationVerdict(destination('a', ['p']), [result('p', 60)])?.score).toBe(60);
    expect(destinationVerdict(destination('a', ['p'], 70), [result('p', 60)])).toBeNull();
    expect(destinationVerdict(destination('a', ['p'], 40), [result('p', 45)])?.score).toBe(45);
  });

  it('ignores profiles a destination does not follow and picks the best of those it does', () => {
    expect(destinationVerdict(destination('a', ['q']), [result('p', 90)])).toBeNull();
    expect(destinationVerdict(destination('a', ['p', 'q']), [result('p', 60), result('q', 80)])?.profile).toBe('q');
  });

  it('alerts nothing on a first poll unless asked for the newest N', () => {
    const items = [scored('old', '2025-01-01T00:00:00Z', [result('p', 90)]), scored('new', '2025-02-01T00:00:00Z', [result('p', 90)])];
    const seeded = routeAlerts(items, [destination('a', ['p'])], { isFirst: true, alertNewest: 0 });
    expect(seeded.flatMap((entry) => entry.alerts)).toEqual([]);
    const newest = routeAlerts(items, [destination('a', ['p'])], { isFirst: true, alertNewest: 1 });
    expect(newest.map((entry) => entry.alerts.length)).toEqual([0, 1]);
    const later = routeAlerts(items, [destination('a', ['p'])], { isFirst: false, alertNewest: 0 });
    expect(later.map((entry) => entry.alerts.length)).toEqual([1, 1]);
  });

  it('uses a destination’s own scores (its watch terms) when it has them', () => {
    const entry: ScoredItem = { item: item('k', '2025-01-01T00:00:00Z'), scores: [result('p', 10)], byDestination: new Map([['a', [result('p', 75)]]]) };
    const [routed] = routeAlerts([entry], [destination('a', ['p']), destination('b', ['p'])], { isFirst: false, alertNewest: 0 });
    expect(routed?.alerts.map((alert) => alert.destinationId)).toEqual(['a']);
  });
});
