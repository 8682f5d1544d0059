import { describe, expect, it } from 'vitest';
import type { WatchTerm } from '../../src/pipeline/ports.js';
import { at, freshStores, T0, type OpenStores } from './stores.contract.js';

function term(destinationId: string, text: string, overrides: Partial<WatchTerm> = {}): WatchTerm {
  return {
    destinationId,
    term: text,
    weight: 3,
    aliases: [],
    negative: false,
    createdBy: 'U123',
    createdAt: T0.toISOString(),
    ...overrides,
  };
}

export function watchTermStoreContract(name: string, open: OpenStores): void {
  describe(`WatchTermStore contract: ${name}`, () => {
    const stores = freshStores(open);

    it('lists the terms added for a destination, and only those', async () => {
      const pipeline = term('d1', 'pipeline', { aliases: ['трубопровод', 'boru kəməri'], weight: 2.5 });
      await stores().watchTerms.add(pipeline);
      await stores().watchTerms.add(term('d1', 'sanctions', { negative: true, createdAt: at(5).toISOString() }));
      await stores().watchTerms.add(term('d2', 'pipeline'));
      expect(await stores().watchTerms.list('d1')).toEqual([
        pipeline,
        term('d1', 'sanctions', { negative: true, createdAt: at(5).toISOString() }),
      ]);
      expect(await stores().watchTerms.list('d2')).toHaveLength(1);
      expect(await stores().watchTerms.list('d3')).toEqual([]);
    });

    it('updates a term added again instead of duplicating it', async () => {
      await stores().watchTerms.add(term('d1', 'pipeline'));
      const updated = term('d1', 'pipeline', { weight: 5, aliases: ['TAP'], createdBy: 'U999', createdAt: at(60).toISOString() });
      await stores().watchTerms.add(updated);
      expect(await stores().watchTerms.list('d1')).toEqual([updated]);
    });

    it('removes a term and says whether it existed', async () => {
      await stores().watchTerms.add(term('d1', 'pipeline'));
      await stores().watchTerms.add(term('d2', 'pipeline'));
      expect(await stores().watchTerms.remove('d1', 'pipeline')).toBe(true);
      expect(await stores().watchTerms.remove('d1', 'pipeline')).toBe(false);
      expect(await stores().watchTerms.list('d1')).toEqual([]);
      expect(await stores().watchTerms.list('d2')).toHaveLength(1);
    });
  });
}
