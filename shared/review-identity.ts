import type { IdentityInput, IdentityKind } from './identity';
import type { Review } from './page-context';

const reviewKinds: readonly string[] = ['trustpilot', 'yelp', 'google', 'g2', 'amazon', 'sikayetvar', 'eshtki'];

/**
 * Names review sites show instead of a person (issue 17): they say "someone", not who. Compared
 * after a light fold (case, accents, Turkish i, Arabic letter variants, punctuation), so "AMAZON
 * CUSTOMER" and "amazon-customer" are caught too. Sources: the sites' own UI strings in each
 * language Rafiq serves or sees on these sites (Amazon's "Amazon Customer"/"Amazon Kunde"/"Client
 * d'Amazon"/"Cliente Amazon"/"Amazon Müşterisi"/"عميل أمازون"; Google Maps' "A Google user" and
 * its translations; Trustpilot's "Customer"/"Kunde"/"Client"; Yelp's "Yelp User"; Şikayetvar's
 * "Anonim" / "Misafir"; G2's "Verified User" / "Validated Reviewer"), plus the generic
 * words for "anonymous", "guest", "user", "customer", "buyer" in en/ar/fa/tr/es/de/fr/it.
 */
const PLACEHOLDER_WORDS = [
  // English
  'anonymous', 'customer', 'a customer', 'amazon customer', 'kindle customer', 'a google user', 'google user',
  'yelp user', 'user', 'guest', 'reviewer', 'verified buyer', 'verified purchaser', 'verified customer', 'verified user',
  'verified reviewer', 'validated reviewer', 'buyer', 'shopper', 'client', 'n a', 'unknown', 'someone', 'deleted user',
  'former user', 'private user', 'trustpilot user', 'g2 user',
  // German
  'kunde', 'kundin', 'amazon kunde', 'amazon kundin', 'ein google nutzer', 'google nutzer', 'nutzer', 'gast', 'anonym',
  'verifizierter kaufer', 'kaufer',
  // French
  "client d amazon", 'client amazon', 'cliente', 'un utilisateur de google', 'utilisateur google', 'utilisateur', 'invite',
  'anonyme', 'acheteur verifie',
  // Spanish
  'cliente de amazon', 'cliente amazon', 'un usuario de google', 'usuario de google', 'usuario', 'invitado', 'anonimo',
  'comprador verificado', 'comprador',
  // Italian
  'cliente amazon', 'un utente di google', 'utente google', 'utente', 'ospite', 'acquirente verificato', 'acquirente',
  // Turkish
  'amazon musterisi', 'musteri', 'bir google kullanicisi', 'google kullanicisi', 'kullanici', 'misafir', 'anonim',
  'ziyaretci', 'dogrulanmis alici', 'sikayetvar kullanicisi',
  // Arabic (folded: alef and yeh forms unified, teh marbuta as heh)
  'عميل', 'عميل امازون', 'عميل من امازون', 'مستخدم', 'مستخدم جوجل', 'مستخدم من جوجل', 'مستخدم google', 'زائر', 'ضيف',
  'مجهول', 'مشتري', 'مشتري موثق', 'مشتري معتمد',
  // Persian (folded the same way: ی → ي, ک → ك)
  'مشتري', 'مشتري امازون', 'كاربر', 'كاربر گوگل', 'يك كاربر گوگل', 'مهمان', 'ناشناس', 'خريدار', 'خريدار تاييد شده',
];

/** The light fold used here (shared/normalize's foldName would import this file: kept local and small). */
function foldPlaceholder(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[İIı]/g, 'i')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/[\u06cc\u0649\u0626]/g, '\u064a')
    .replace(/\u06a9/g, '\u0643')
    .replace(/\u0629/g, '\u0647')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}*]+/gu, ' ')
    .trim();
}

const PLACEHOLDERS = new Set(PLACEHOLDER_WORDS.map(foldPlaceholder));

/**
 * True when a reviewer's name names nobody: a site placeholder ("Amazon Customer", "A Google
 * user", "Kunde", their translations) or a masked name — made of asterisks and single letters
 * ("M***** K.", "***", "A. ***", "J*** D***": every word is masked or one letter) — or empty.
 * Such a name never becomes a name identity and is never used to suggest someone.
 */
export function isPlaceholderName(name: string | null | undefined): boolean {
  const folded = foldPlaceholder(name ?? '');
  if (!folded.replace(/\*/g, '').trim()) return true;
  if (PLACEHOLDERS.has(folded) || PLACEHOLDERS.has(folded.replace(/\*/g, '').trim())) return true;
  const words = folded.split(' ');
  // Masked: each word is asterisks after at most one letter ("m*****"), or a lone initial ("k").
  const masked = (w: string) => /^\p{L}?\*+\p{L}?$/u.test(w) || /^\*+$/.test(w);
  return words.some(masked) && words.every((w) => masked(w) || [...w].length === 1);
}

/**
 * The identity a reviewer is known by: kind = the site (`web` for the generic schema.org
 * adapter), value = their profile URL, or their name when the site shows no profile link.
 * Null when there is no profile link and the name is a placeholder or masked: "Amazon
 * Customer" is thousands of people, so it must never become one customer's identity.
 * Shared so the sidebar looks up exactly what the server links.
 */
export function reviewerIdentity(review: Pick<Review, 'site' | 'reviewerProfileUrl' | 'reviewerName'>): IdentityInput | null {
  const kind = (reviewKinds.includes(review.site) ? review.site : 'web') as IdentityKind;
  if (review.reviewerProfileUrl) return { kind, value: review.reviewerProfileUrl };
  return isPlaceholderName(review.reviewerName) ? null : { kind, value: review.reviewerName };
}

/** The unique origin of a complaint ticket: the same review never makes two tickets. */
export const complaintSourceKey = (site: string, reviewId: string) => `review:${site}:${reviewId}`;
