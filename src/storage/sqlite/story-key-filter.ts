/**
 * Which LSH band keys (and, with keyNumber, which exact-identity keys) the store holds, as a Bloom filter (2 MiB, two probes per key): most of a
 * report's ten band keys match nothing, and ten index seeks that find nothing were the largest
 * read on the assignment path (≈ 10 µs a report at 100,000 stored). A key the filter has never
 * seen is certainly not in story_bands, so only the keys it may have are looked up. False
 * positives (≈ 0.03 % at 150,000 band rows, ≈ 3 % at 1.5 million) only cost a lookup.
 *
 * Complete or nothing: it is filled from the table on first use, then every band this connection
 * writes is added; when another connection commits (story-cache.ts compares data_version) it is
 * emptied and filled again on the next use. A rolled-back write leaves a bit set for a key that is
 * not there: a false positive, harmless.
 */
export interface KeyFilter {
  /** False only when `band` is certainly not stored; fills from `load` first when empty. */
  mayHave(band: number, load: () => Iterable<number>): boolean;
  add(band: number): void;
  /** Forget everything (another connection wrote bands this one has not seen). */
  clear(): void;
}

const BITS = 1 << 24;
const MASK = BITS - 1;

/** Two bit positions from one band key (band number above a 32-bit hash: stories/minhash.ts bandKeys). */
function positions(band: number): [number, number] {
  const low = band % 4_294_967_296;
  const high = Math.floor(band / 4_294_967_296);
  const first = (low ^ Math.imul(high + 1, 0x9e3779b1)) >>> 0;
  const second = Math.imul(first ^ (first >>> 15), 0x2c1b3c6d) >>> 0;
  return [first & MASK, (second ^ (second >>> 12)) & MASK];
}

/**
 * A text key (an exact-identity key: `u:` canonical URL, `g:` GUID, `x:` words) as a number the
 * filter takes: two FNV-1a hashes, 32 and 20 bits, side by side (below 2^53).
 */
export function keyNumber(text: string): number {
  let first = 0x811c9dc5;
  let second = 0x01000193;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995) ^ (second >>> 13);
  }
  return (first >>> 0) + (second & 0xfffff) * 4_294_967_296;
}

export function createKeyFilter(): KeyFilter {
  let bits: Uint8Array | null = null;
  const set = (filter: Uint8Array, band: number): void => {
    for (const position of positions(band)) filter[position >>> 3] = (filter[position >>> 3] ?? 0) | (1 << (position & 7));
  };
  return {
    mayHave(band, load) {
      if (!bits) {
        const filled = new Uint8Array(BITS / 8);
        for (const stored of load()) set(filled, stored);
        bits = filled;
      }
      const filter = bits;
      return positions(band).every((position) => ((filter[position >>> 3] ?? 0) & (1 << (position & 7))) !== 0);
    },
    add(band) {
      if (bits) set(bits, band);
    },
    clear() {
      bits = null;
    },
  };
}
