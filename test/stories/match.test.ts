import { describe, expect, it } from 'vitest';
import { decideStory, DEFAULT_MATCH_OPTIONS, type MatchStory } from '../../src/stories/match.js';
import { encodeSignature, minhashSignature } from '../../src/stories/minhash.js';
import { distinctiveTerms, tokensOf } from '../../src/stories/terms.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-08-06T09:00:00Z');
const options = { ...DEFAULT_MATCH_OPTIONS, broad: new Set(['azerbaijan', 'russia']) };

function story(id: number, overrides: Partial<MatchStory> = {}): MatchStory {
  return { id, firstMs: T0, lastMs: T0, headline: 'x', entities: [], terms: [], itemCount: 1, exact: false, nearSignatures: [], ...overrides };
}
const report = (title: string, entities: string[], atMs = T0) => ({
  atMs,
  signature: minhashSignature(tokensOf(title)),
  entities,
  terms: distinctiveTerms(tokensOf(title), []),
});

describe('decideStory', () => {
  it('an exact identity match is a duplicate, whatever the time', () => {
    expect(decideStory(report('anything', []), [story(1, { exact: true, lastMs: T0 - 900 * HOUR })], options)).toMatchObject({ kind: 'duplicate', storyId: 1, how: 'exact' });
  });

  it('a near-identical signature is a duplicate (an edited re-publication)', () => {
    const title = 'Russian drones hit gas compressor station in Ukraine’s Odesa region used for Azerbaijani gas';
    const near = encodeSignature(minhashSignature(tokensOf(title.replace('used for', 'that carries'))));
    expect(decideStory(report(title, []), [story(2, { nearSignatures: [near] })], options)).toMatchObject({ kind: 'duplicate', storyId: 2, how: 'near' });
  });

  it('joins a story across languages when key entities agree within the window', () => {
    const english = story(3, { entities: ['orlovka', 'odesa', 'trans-balkan', 'russia'], terms: distinctiveTerms(tokensOf('Drone strike on Orlovka compressor station threatens Trans-Balkan gas flows'), []) });
    const russian = report('Удар по газокомпрессорной станции «Орловка» в Одесской области', ['orlovka', 'odesa', 'azerbaijan'], T0 + 2 * HOUR);
    expect(decideStory(russian, [english], options)).toMatchObject({ kind: 'join', storyId: 3 });
  });

  it('splits: the same entities outside the window are a new story', () => {
    const depot = story(4, { entities: ['socar', 'odesa'], terms: distinctiveTerms(tokensOf('SOCAR oil depot in Odesa region hit in drone attack'), []) });
    const station = report('Drone strike hits SOCAR filling station in Odesa', ['socar', 'odesa'], T0 + 13 * 24 * HOUR);
    expect(decideStory(station, [depot], options)).toEqual({ kind: 'new' });
    expect(decideStory({ ...station, atMs: T0 + 10 * HOUR }, [depot], options).kind).toBe('join');
  });

  it('splits: only broad entities (countries) in common never make one story', () => {
    const crash = story(5, { entities: ['azerbaijan', 'russia'], terms: ['azerb', 'russi', 'plane'] });
    expect(decideStory(report('Azerbaijan and Russia sign a trade memorandum', ['azerbaijan', 'russia']), [crash], options)).toEqual({ kind: 'new' });
  });

  it('a full story takes no more joins (a story cannot grow without bound), but still folds duplicates', () => {
    const full = story(6, { entities: ['socar', 'odesa'], terms: ['socar', 'odesa', 'depot', 'drone'], itemCount: options.maxItems });
    expect(decideStory(report('SOCAR Odesa depot drone', ['socar', 'odesa']), [full], options)).toEqual({ kind: 'new' });
    expect(decideStory(report('SOCAR Odesa depot drone', []), [{ ...full, exact: true }], options).kind).toBe('duplicate');
  });
});
