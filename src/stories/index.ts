/** Stories: canonical URLs, near-duplicate signatures, story matching, timeline and digest assembly. Pure. */
export { canonicalUrl } from './canonical-url.js';
export { bandKeys, decodeSignature, encodeSignature, minhashSignature, similarity } from './minhash.js';
export { globalGuid, reportFeatures, SUMMARY_CHARS, type ReportFeatures } from './features.js';
export { distinctiveTerms, isFunctionWord, tokensOf } from './terms.js';
export { decideStory, DEFAULT_MATCH_OPTIONS, type MatchOptions, type MatchReport, type MatchStory, type StoryDecision } from './match.js';
export { groupStories, storiesPerDay, storyPhase, weekOf, QUIET_AFTER_MS, type StoryPhase, type TimelineGroup } from './timeline.js';
export { nearestEntity, editDistance } from './nearest.js';
export { digestRank, extractiveSummaries, sentences } from './digest.js';
export { storiesPerDayPng } from './chart.js';
