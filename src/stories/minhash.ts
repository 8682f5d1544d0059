/**
 * Near-duplicate signatures: one-permutation MinHash (K = 128 bins, rotation densification) over
 * word 3-shingles of the folded tokens the scorer already makes, indexed by LSH bands.
 * performance.md §3 measured OPH at ≈ 2.4 µs/item and 100 % recall on light edits; we use far
 * fewer bands than its 42 × 3 (10 × 2: the S-curve's midpoint near J ≈ 0.32, 94 % recall at
 * J = 0.5, 99 % at 0.6) because each band is an index row the store writes per report, and verify
 * every candidate with the full 128-bin signature.
 */
export const SIGNATURE_BINS = 128;
export const BANDS = 10;
export const ROWS_PER_BAND = 2;
const BIN_SHIFT = 25; // 32 - log2(128)
const EMPTY = 0xffffffff;

/** FNV-1a over UTF-16 code units: cheap and good enough to spread shingles over bins. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: turns a combined hash into well-mixed bits. */
function mix(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Hashes of word 3-shingles (bigrams or single words for very short texts). */
export function shingleHashes(tokens: readonly string[]): number[] {
  const words = tokens.map(hashString);
  const size = Math.min(3, words.length);
  const hashes: number[] = [];
  for (let start = 0; start + size <= words.length && size > 0; start++) {
    let hash = 0x9747b28c;
    for (let offset = 0; offset < size; offset++) hash = mix(Math.imul(hash ^ (words[start + offset] ?? 0), 0x5bd1e995));
    hashes.push(hash);
  }
  return hashes;
}

/** One-permutation MinHash: the top bits pick a bin, the rest compete for its minimum. */
export function minhashSignature(tokens: readonly string[]): number[] {
  const bins = new Array<number>(SIGNATURE_BINS).fill(EMPTY);
  for (const shingle of shingleHashes(tokens)) {
    const bin = shingle >>> BIN_SHIFT;
    const value = mix(shingle ^ 0x27d4eb2d);
    if (value < (bins[bin] ?? EMPTY)) bins[bin] = value;
  }
  if (bins.every((value) => value === EMPTY)) return bins;
  // Rotation densification: an empty bin borrows the next filled bin's value, offset by distance,
  // so that two texts agree on an empty bin only as often as on the bin it borrowed from.
  const filled = bins.slice();
  for (let bin = 0; bin < SIGNATURE_BINS; bin++) {
    if (bins[bin] !== EMPTY) continue;
    let distance = 1;
    while (bins[(bin + distance) % SIGNATURE_BINS] === EMPTY) distance++;
    filled[bin] = mix((bins[(bin + distance) % SIGNATURE_BINS] ?? 0) + Math.imul(distance, 0x9e3779b1));
  }
  return filled;
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  if (a[0] === EMPTY && a.every((value) => value === EMPTY)) return 0;
  let same = 0;
  for (let index = 0; index < a.length; index++) if (a[index] === b[index]) same++;
  return same / a.length;
}

/**
 * LSH band keys: band b hashes the first rows of its stride of the signature. Each key is an
 * integer below 2^37 (band number above the 32-bit row hash), so stores index it as a number.
 */
export function bandKeys(signature: readonly number[]): number[] {
  if (signature.length !== SIGNATURE_BINS || signature.every((value) => value === EMPTY)) return [];
  const keys: number[] = [];
  const stride = Math.floor(SIGNATURE_BINS / BANDS);
  for (let band = 0; band < BANDS; band++) {
    let hash = band + 1;
    for (let row = 0; row < ROWS_PER_BAND; row++) hash = mix(Math.imul(hash, 0xcc9e2d51) ^ (signature[band * stride + row] ?? 0));
    keys.push(band * 2 ** 32 + hash);
  }
  return keys;
}

/** Signatures travel through stores as base64 of little-endian 32-bit words (512 bytes of binary). */
export function encodeSignature(signature: readonly number[]): string {
  return Buffer.from(Uint32Array.from(signature).buffer).toString('base64');
}

export function decodeSignature(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== SIGNATURE_BINS * 4) return [];
  // One copy into an aligned buffer, read as 32-bit words (every platform Node runs on is little-endian).
  return Array.from(new Uint32Array(Uint8Array.from(bytes).buffer));
}
