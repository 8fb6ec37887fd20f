import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Identity kinds: how a person shows up somewhere. Review-site kinds double as site ids
 * (a Trustpilot reviewer is identified by their Trustpilot profile).
 */
export const identityKinds = [
  'email',
  'phone',
  'x',
  'trustpilot',
  'yelp',
  'google',
  'g2',
  'amazon',
  'sikayetvar',
  'eshtki',
  'web',
] as const;
export const identityKindSchema = z.enum(identityKinds);
export type IdentityKind = z.infer<typeof identityKindSchema>;

export const identityInputSchema = z.object({
  kind: identityKindSchema,
  value: z.string().trim().min(1, 'must not be empty').max(512, 'at most 512 characters'),
});
export type IdentityInput = z.infer<typeof identityInputSchema>;

export const identityLinkedBySchema = z.enum(['import', 'agent', 'auto', 'seed']);

export const identitySchema = identityInputSchema.extend({
  id: z.number().int(),
  customerId: z.number().int(),
  normalized: z.string(),
  linkedBy: identityLinkedBySchema,
  linkedByAgentId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type Identity = z.infer<typeof identitySchema>;

export type NormalizeResult = { ok: true; normalized: string } | { ok: false; reason: string };

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
// Query parameters that only track where a click came from; they never identify a profile.
const TRACKING_PARAMS = /^(utm_.*|ref|ref_|ref_src|fbclid|gclid|mc_.*|igshid|s|t|si|_ga|source|ie|lang|hl)$/i;

/** Lower-cases and, for Gmail only, drops dots and +tags (Gmail ignores both; other providers do not). */
export function normalizeEmail(raw: string): NormalizeResult {
  const value = raw.trim().replace(/^mailto:/i, '').toLowerCase();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1 || /\s/.test(value)) {
    return { ok: false, reason: 'is not an email address (expected name@domain)' };
  }
  let local = value.slice(0, at);
  let domain = value.slice(at + 1).replace(/\.$/, '');
  if (!/^[^@]+\.[^@]+$/.test(domain) && domain !== 'localhost') {
    return { ok: false, reason: 'has no valid domain' };
  }
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.split('+')[0]!.replaceAll('.', '');
    domain = 'gmail.com';
    if (!local) return { ok: false, reason: 'has an empty Gmail user name' };
  }
  return { ok: true, normalized: `${local}@${domain}` };
}

/** X handles: no leading @, case-folded (X treats @Foo and @foo as the same account). */
export function normalizeXHandle(raw: string): NormalizeResult {
  let value = raw.trim();
  const fromUrl = /^(?:https?:\/\/)?(?:www\.|mobile\.)?(?:x|twitter)\.com\/([^/?#]+)/i.exec(value);
  if (fromUrl) value = fromUrl[1]!;
  value = value.replace(/^@/, '').toLowerCase();
  if (!/^[a-z0-9_]{1,15}$/.test(value)) {
    return { ok: false, reason: 'is not an X handle (1–15 letters, digits or _)' };
  }
  return { ok: true, normalized: value };
}

/** Phones to E.164. Numbers without a country code are read as `defaultCountry`. */
export function normalizePhone(raw: string, defaultCountry: 'US' | 'TR' | 'SA' | 'IR' | 'GB' | 'AE' | 'EG' = 'US'): NormalizeResult {
  const phone = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (!phone || !phone.isPossible()) return { ok: false, reason: 'is not a phone number' };
  return { ok: true, normalized: phone.number };
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
    return name ? { ok: true, normalized: `name:${name}` } : { ok: false, reason: 'is empty after folding' };
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
 */
export function foldName(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
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

export function normalizeIdentity(input: IdentityInput): NormalizeResult {
  switch (input.kind) {
    case 'email':
      return normalizeEmail(input.value);
    case 'x':
      return normalizeXHandle(input.value);
    case 'phone':
      return normalizePhone(input.value);
    case 'trustpilot':
    case 'yelp':
    case 'google':
    case 'g2':
    case 'amazon':
    case 'sikayetvar':
    case 'eshtki':
    case 'web':
      return normalizeProfileUrl(input.value);
  }
}
