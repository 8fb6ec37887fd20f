/**
 * Which language a message is in, told locally from its letters (issue 22): no outside service,
 * no model. Good enough to pick a template's language variant, which is all it is for.
 *
 * - Persian and Arabic share most letters; Persian has پ چ ژ گ and writes ک ی where Arabic writes
 *   ك ي ى; Arabic has ة and the hamza seats أ إ ؤ that Persian rarely uses.
 * - Turkish is Latin with ğ ı ş İ (and ç ö ü, shared with other languages), plus common words.
 * - Anything else Latin is English (the fourth supported language).
 */
export type ReplyLanguage = 'en' | 'ar' | 'fa' | 'tr';
export const replyLanguages: readonly ReplyLanguage[] = ['en', 'ar', 'fa', 'tr'];

const PERSIAN_ONLY = /[\u067e\u0686\u0698\u06af\u06a9\u06cc]/g; // پ چ ژ گ ک ی
const ARABIC_ONLY = /[\u0629\u0643\u064a\u0649\u0623\u0625\u0624]/g; // ة ك ي ى أ إ ؤ
const ARABIC_SCRIPT = /[\u0600-\u06ff]/g;
const TURKISH_LETTERS = /[ğışİĞŞ]/g;
const TURKISH_SOFT = /[çöüÇÖÜ]/g;
const TURKISH_WORDS = /\b(?:ve|bir|bu|için|ile|çok|değil|mi|mı|ne|siparişim|sipariş|kargo|merhaba|teşekkürler|lütfen|iade|ürün|hala|henüz|gelmedi|nerede)\b/giu;
const LATIN = /[A-Za-z\u00c0-\u024f]/g;

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

export function detectLanguage(text: string): ReplyLanguage | null {
  const arabicScript = count(text, ARABIC_SCRIPT);
  const latin = count(text, LATIN);
  if (!arabicScript && !latin) return null;
  if (arabicScript >= latin * 0.5 && arabicScript > 0) {
    const persian = count(text, PERSIAN_ONLY);
    const arabic = count(text, ARABIC_ONLY);
    return persian > arabic ? 'fa' : 'ar';
  }
  const turkish = count(text, TURKISH_LETTERS) * 2 + count(text, TURKISH_SOFT) + count(text, TURKISH_WORDS) * 2;
  return turkish >= 2 ? 'tr' : 'en';
}

/** "fa-IR" → "fa"; null for a locale that is not one of the four. */
export function localeLanguage(locale: string | null | undefined): ReplyLanguage | null {
  const primary = locale?.trim().toLowerCase().split(/[-_]/)[0];
  return replyLanguages.find((l) => l === primary) ?? null;
}

/**
 * The variant to use: the customer's locale when the template has it, else the language of the
 * message being answered, else the template's default (`fallback`).
 */
export function pickVariant<V extends { language: string }>(
  variants: readonly V[],
  hints: { customerLocale?: string | null; messageText?: string | null; messageLanguage?: string | null },
  fallback: V,
): V {
  const byLanguage = (language: string | null) => (language ? variants.find((v) => localeLanguage(v.language) === language) : undefined);
  return (
    byLanguage(localeLanguage(hints.customerLocale)) ??
    byLanguage(localeLanguage(hints.messageLanguage) ?? (hints.messageText ? detectLanguage(hints.messageText) : null)) ??
    fallback
  );
}
