// Identity normalization without dependencies: content scripts import this file, so it must stay
// free of zod and libphonenumber (bundle size; see the Gmail content-script budget in the README).
import { foldBreaks } from './text';
import { isPlaceholderName } from './review-identity';

export type NormalizeResult = { ok: true; normalized: string } | { ok: false; reason: string };

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
// Query parameters that only track where a click came from; they never identify a profile.
const TRACKING_PARAMS = /^(utm_.*|ref|ref_|ref_src|fbclid|gclid|mc_.*|igshid|s|t|si|_ga|source|ie|lang|hl)$/i;

/** Lower-cases and, for Gmail only, drops dots and +tags (Gmail ignores both; other providers do not). */
export function normalizeEmail(raw: string): NormalizeResult {
  // A mailto: link may carry ?subject=…: the address is what comes before it.
  const value = raw.trim().replace(/^mailto:([^?]*)\?.*$/is, '$1').replace(/^mailto:/i, '').toLowerCase();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1 || /\s/.test(value) || value.indexOf('@') !== at) {
    return { ok: false, reason: 'is not an email address (expected name@domain)' };
  }
  let local = value.slice(0, at);
  let domain = value.slice(at + 1).replace(/\.$/, '');
  // Every label non-empty and not starting or ending with a hyphen (RFC 1035), e.g. not `example..com`.
  const labels = domain.split('.');
  if ((labels.length < 2 && domain !== 'localhost') || labels.some((label) => !label || label.startsWith('-') || label.endsWith('-'))) {
    return { ok: false, reason: 'has no valid domain' };
  }
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.split('+')[0]!.replaceAll('.', '');
    domain = 'gmail.com';
    if (!local) return { ok: false, reason: 'has an empty Gmail user name' };
  }
  return { ok: true, normalized: `${local}@${domain}` };
}

// First path segments of x.com that are X's own pages; X does not give these names to accounts.
const X_ROUTES = new Set(['home', 'explore', 'search', 'notifications', 'messages', 'i', 'intent', 'settings', 'compose', 'hashtag', 'share', 'login', 'logout', 'signup', 'tos', 'privacy', 'jobs']);

/** X handles: no leading @, case-folded (X treats @Foo and @foo as the same account). */
export function normalizeXHandle(raw: string): NormalizeResult {
  let value = raw.trim();
  const fromUrl = /^(?:https?:\/\/)?(?:www\.|mobile\.)?(?:x|twitter)\.com\/([^/?#]+)/i.exec(value);
  if (fromUrl) {
    value = fromUrl[1]!;
    // x.com/home or x.com/i/status/… is a page of X, not somebody's profile.
    if (X_ROUTES.has(value.toLowerCase())) return { ok: false, reason: 'is a page of X, not a profile' };
  }
  value = value.replace(/^@/, '').toLowerCase();
  if (!/^[a-z0-9_]{1,15}$/.test(value)) {
    return { ok: false, reason: 'is not an X handle (1–15 letters, digits or _)' };
  }
  return { ok: true, normalized: value };
}

/**
 * Review-profile URLs: https, lower-case host without `www.`, no fragment, no tracking
 * parameters, sorted remaining parameters (Yelp keeps the user id in `userid`), no trailing slash.
 * A value that is not a URL is a display name (sites without profile links): it is folded like a name.
 */
export function normalizeProfileUrl(raw: string): NormalizeResult {
  const value = raw.trim();
  if (!/^(https?:)?\/\//i.test(value) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+\//i.test(value)) {
    const name = foldName(value);
    if (!name) return { ok: false, reason: 'is empty after folding' };
    // "Amazon Customer", "A Google user", "M***** K.": a site's word for somebody, never one person.
    if (isPlaceholderName(value)) return { ok: false, reason: 'is a placeholder or masked reviewer name, not a person' };
    return { ok: true, normalized: `name:${name}` };
  }
  let url: URL;
  try {
    url = new URL(/^https?:/i.test(value) ? value : `https:${value.startsWith('//') ? '' : '//'}${value}`);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '').replace(/^[a-z]{2}\.trustpilot\.com$/, 'trustpilot.com');
  const params = [...url.searchParams.entries()]
    .filter(([key]) => !TRACKING_PARAMS.test(key))
    .sort(([a], [b]) => a.localeCompare(b));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  // Amazon profile paths carry a `/ref=...` tracking segment.
  const path = url.pathname.replace(/\/ref=[^/]*$/, '').replace(/\/+$/, '');
  return { ok: true, normalized: `https://${host}${path}${query}` };
}

/**
 * Folds a person's name for comparison: Unicode NFKC, case (Turkish dotted/dotless i folded
 * to plain i), accents and Arabic diacritics removed, tatweel dropped, Arabic/Persian letter
 * variants unified (alef forms, yeh/keheh/teh marbuta/alef maqsura), punctuation to spaces.
 *
 * Invisible characters follow the one policy of `shared/text.ts` (`foldBreaks`): bidi controls
 * and zero-width spaces go, a zero-width non-joiner is a word break ("مهسا‌سادات" ≡ "مهسا سادات"),
 * and a zero-width joiner joins (it only shapes glyphs). The site adapters clean names with
 * `cleanPersonName` from the same file, so a name read from Gmail, X or a review site folds to
 * one key (tests/extension/sites/name-policy.test.ts).
 */
export function foldName(raw: string): string {
  return foldBreaks(raw.normalize('NFKC'))
    .replace(/\u200d/g, '')
    .replace(/[İIı]/g, 'i')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u064b-\u065f\u0670\u06d6-\u06ed]/g, '')
    .replace(/\u0640/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/[\u064a\u06cc\u0649]/g, '\u064a')
    .replace(/[\u06a9\u0643]/g, '\u0643')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0624/g, '\u0648')
    .replace(/\u0626/g, '\u064a')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}@.+_-]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

