import { describe, expect, it } from 'vitest';
import { bandKeys, decodeSignature, encodeSignature, minhashSignature, similarity, SIGNATURE_BINS, BANDS } from '../../src/stories/minhash.js';
import { tokensOf } from '../../src/stories/terms.js';

const WIRE =
  'Azerbaijani police raid Sputnik Azerbaijan office in Baku, detain two executives. Police searched the Baku office of Sputnik Azerbaijan on Monday and detained its director Igor Kartavykh and editor-in-chief Yevgeny Belousov, the interior ministry said, days after the deaths of two Azerbaijani brothers in Yekaterinburg.';
const signatureOf = (text: string): number[] => minhashSignature(tokensOf(text));

describe('one-permutation MinHash', () => {
  it('is deterministic and has 128 bins', () => {
    expect(signatureOf(WIRE)).toEqual(signatureOf(WIRE));
    expect(signatureOf(WIRE)).toHaveLength(SIGNATURE_BINS);
  });

  it('rates a lightly edited re-publication as a near duplicate and an unrelated story as not', () => {
    const edited = WIRE.replace('on Monday', 'on Monday morning').replace('the interior ministry said', 'officials said');
    const other = 'Heatwave grips southern Europe as temperatures top 44C in Seville; officials warn of wildfire risk and water shortages across Andalusia this week.';
    expect(similarity(signatureOf(WIRE), signatureOf(edited))).toBeGreaterThanOrEqual(0.5);
    expect(similarity(signatureOf(WIRE), signatureOf(other))).toBeLessThan(0.1);
  });

  it('reads case, diacritics and punctuation alike (the scorer’s folded tokens)', () => {
    expect(similarity(signatureOf(WIRE), signatureOf(WIRE.toUpperCase().replace(/,/g, ' ')))).toBe(1);
  });

  it('near duplicates share an LSH band; the signature survives encoding', () => {
    const edited = WIRE.replace('two executives', 'two Russian executives');
    const a = new Set(bandKeys(signatureOf(WIRE)));
    expect(a.size).toBe(BANDS);
    expect(bandKeys(signatureOf(edited)).some((band) => a.has(band))).toBe(true);
    expect(decodeSignature(encodeSignature(signatureOf(WIRE)))).toEqual(signatureOf(WIRE));
    expect(bandKeys(signatureOf(''))).toEqual([]);
    expect(Math.max(...a)).toBeLessThan(2 ** 53);
  });
});
