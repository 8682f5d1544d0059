/**
 * One spelling per article address, so the same story syndicated with tracking parameters, as an
 * AMP page or on a mobile host is recognised as one. Lossy on purpose: the canonical form is only
 * compared with other canonical forms, never followed or shown.
 */

/** Query parameters that say who sent the reader, never which article it is. */
const TRACKING_EXACT = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id', 'igshid',
  'mc_cid', 'mc_eid', '_ga', '_gl', '_hsenc', '_hsmi', 'mkt_tok', 'oly_anon_id', 'oly_enc_id', 'vero_id',
  'ref', 'ref_src', 'ref_url', 'referrer', 'cmpid', 'ocid', 'spm', 'share', 'smid', 'sr_share',
  'rss', 'from', 'src', 'amp', 'outputtype', 'output', 'ito', 'ncid', 's_cid', 'at_medium', 'at_campaign',
]);
const TRACKING_PREFIXES = ['utm_', 'hmb_', 'pk_', 'mtm_', 'at_', 'ga_', 'ns_'];
/** Values of `output`/`outputType`/`amp` that mean the AMP rendition (other values are kept). */
const AMP_VALUES = new Set(['', '1', 'true', 'amp']);
/** Host prefixes of mobile and AMP renditions of the same site. */
const VARIANT_HOST = /^(?:www\d*|m|mobile|amp|touch)\./;

function isTracking(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'amp' || lower === 'outputtype' || lower === 'output') return AMP_VALUES.has(value.toLowerCase());
  if (lower === 'from' || lower === 'src' || lower === 'rss' || lower === 'share') return value.length <= 20;
  return TRACKING_EXACT.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** `/amp/`, `/amp` and `.amp.html`/`.amp` renditions of a path, back to the article path. */
function withoutAmp(path: string): string {
  return path
    .replace(/\/amp(?=\/|$)/gi, '')
    .replace(/\.amp(\.html?)?$/i, (_match, ext: string | undefined) => ext ?? '')
    .replace(/\/index\.(?:html?|php)$/i, '/');
}

/**
 * The canonical form of an http(s) link, or null when it is not one. Scheme and host lowercase,
 * default port, fragment, tracking parameters, AMP and mobile variants and trailing slashes
 * removed; the remaining parameters sorted. `https` and `http` spell the same article.
 */
export function canonicalUrl(link: string | null | undefined): string | null {
  if (!link) return null;
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, '').replace(VARIANT_HOST, '');
  const port = url.port === '' || url.port === '80' || url.port === '443' ? '' : `:${url.port}`;
  const params = [...url.searchParams.entries()]
    .filter(([name, value]) => !isTracking(name, value))
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  const query = params.length === 0 ? '' : `?${new URLSearchParams(params).toString()}`;
  let path = withoutAmp(url.pathname).replace(/\/{2,}/g, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  if (path === '/') path = '';
  return `${host}${port}${path}${query}`;
}
