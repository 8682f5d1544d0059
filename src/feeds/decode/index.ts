/** Feed bytes → Unicode text with a deterministic charset choice (see decode-feed-bytes.ts). */
export { decodeFeedBytes } from './decode-feed-bytes.js';
export type { DecodedFeed } from './decode-feed-bytes.js';
