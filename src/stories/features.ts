import { canonicalUrl } from './canonical-url.js';
import { bandKeys, encodeSignature, minhashSignature } from './minhash.js';
import { distinctiveTerms, leadTokensOf, tokensOf } from './terms.js';

/** What the story matcher reads of one report. */
export interface ReportFeatures {
  readonly canonicalLink: string | null;
  readonly exactKeys: readonly string[];
  readonly signature: readonly number[];
  readonly encodedSignature: string;
  readonly bands: readonly number[];
  readonly terms: readonly string[];
  readonly titleTokens: readonly string[];
}

/** Story features read a summary's first characters only: the lede says what the report is about. */
export const SUMMARY_CHARS = 1_000;

/**
 * A GUID names one article everywhere only when it is a URI (a URL, `tag:`, `urn:`) or long and
 * random-looking; short ids like "frontier-0042" are per outlet and collide across feeds (and even
 * within one, reliability.md A13), so they never make two reports one.
 */
export function globalGuid(guid: string | null): string | null {
  const value = guid?.trim() ?? '';
  if (value === '') return null;
  if (/^https?:\/\//i.test(value)) return canonicalUrl(value);
  if (/^(?:tag|urn):/i.test(value)) return value.toLowerCase();
  if (/^[0-9a-f-]{32,}$/i.test(value)) return value.toLowerCase();
  return null;
}

/** Features of a report: identity keys, MinHash signature over title + summary, join terms. */
export function reportFeatures(
  report: { title: string; summary: string; link: string | null; guid: string | null },
  // The scorer's words for this report, when it has read it (the ingest path): not tokenized twice.
  words?: { readonly title: readonly string[]; readonly summary: readonly string[] },
): ReportFeatures {
  const canonicalLink = canonicalUrl(report.link);
  const guid = globalGuid(report.guid);
  const titleTokens = words?.title ?? tokensOf(report.title);
  const summaryTokens = words?.summary ?? leadTokensOf(report.summary, SUMMARY_CHARS);
  // Without a link, the same words are the same report (a feed that re-keys its items every fetch).
  const text = canonicalLink || titleTokens.length === 0 ? null : `x:${[...titleTokens, '|', ...summaryTokens.slice(0, 40)].join(' ')}`;
  const exactKeys = [...new Set([canonicalLink ? `u:${canonicalLink}` : null, guid ? `g:${guid}` : null, text].filter((key): key is string => key !== null))];
  const signature = minhashSignature([...titleTokens, ...summaryTokens]);
  let encoded: string | null = null;
  return {
    canonicalLink,
    exactKeys,
    signature,
    // Encoded on first read: a store keeps it only for the few reports it indexes by band.
    get encodedSignature() {
      return (encoded ??= encodeSignature(signature));
    },
    bands: bandKeys(signature),
    terms: distinctiveTerms(titleTokens, summaryTokens),
    titleTokens,
  };
}
