/** The safe feed fetcher: the only way wirewatch reads feeds over the network. */
export { createFeedFetcher } from './fetcher.js';
export type { FeedFetcher, FetcherOptions, Validators } from './fetcher.js';
export { checkFeedUrl } from './url-policy.js';
export type { UrlCheck } from './url-policy.js';
