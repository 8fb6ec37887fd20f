import { createSignal } from 'solid-js';
import { en, type MessageKey } from './messages.en';

/**
 * The one i18n layer: `t('key', {param})` for text, `tp('key', count)` for text with a count,
 * and `format*` for numbers, money, durations and dates. Every number goes through `Intl` with one
 * locale tag (`locale()`) that carries the language, the digit system and the calendar, so one
 * screen never mixes Persian and Latin digits. English is complete; a key missing in another
 * language falls back to English at run time, and `tests/extension/i18n-catalog.test.ts` fails
 * the build when that happens. Layout direction follows the language (CSS uses logical
 * properties throughout).
 */
export type Language = 'en' | 'ar' | 'fa' | 'tr';
export const languages = ['en', 'ar', 'fa', 'tr'] as const satisfies readonly Language[];
/** Arabic and Persian have their own digits (٠١٢ / ۰۱۲); the agent picks them or Latin ones. */
export type DigitSystem = 'native' | 'latin';
export type CalendarId = 'gregory' | 'persian' | 'islamic-umalqura';

/** Keys whose English entry ends in `#other` are plural messages: one key per CLDR plural category. */
type PluralBase<K> = K extends `${infer B}#other` ? B : never;
export type PluralKey = PluralBase<MessageKey>;
export type PluralFormKey = `${PluralKey}#${Intl.LDMLPluralRule}`;
export type TextKey = Exclude<MessageKey, `${string}#${string}`>;
export type Catalog = Partial<Record<MessageKey | PluralFormKey, string>>;

/**
 * The catalogs this script has. English is always here (the fallback); Arabic, Persian and
 * Turkish are registered by `./all` (extension pages, the background, tests) or fetched on demand
 * from the background by `ensureCatalog` — content scripts carry only the agent's language
 * instead of all four (issue 20: the catalogs were a third of every content script). A signal, so
 * text already on screen re-renders when a catalog arrives.
 */
const [loaded, setLoaded] = createSignal<Partial<Record<Language, Catalog>>>({ en });

export function registerCatalogs(more: Partial<Record<Language, Catalog>>): void {
  setLoaded({ ...loaded(), ...more });
}

export function hasCatalog(lang: Language): boolean {
  return Boolean(loaded()[lang]);
}

function catalogOf(lang: Language): Catalog {
  return loaded()[lang] ?? en;
}

/** The calendars offered for each language (Gregorian always; Solar Hijri for Persian, Umm al-Qura for Arabic). */
export function calendarsFor(lang: Language): CalendarId[] {
  return lang === 'fa' ? ['gregory', 'persian'] : lang === 'ar' ? ['gregory', 'islamic-umalqura'] : ['gregory'];
}

const nativeDigits: Partial<Record<Language, string>> = { ar: 'arab', fa: 'arabext' };

// Signals: text already on screen re-renders when a setting arrives or changes.
const [current, setCurrent] = createSignal<Language>('en');
const [digitSystem, setDigitSystem] = createSignal<DigitSystem>('native');
const [calendarChoice, setCalendarChoice] = createSignal<CalendarId>('gregory');

export function setLanguage(language: Language | 'auto', fallback = typeof navigator === 'undefined' ? 'en' : navigator.language): void {
  const wanted = language === 'auto' ? fallback.slice(0, 2).toLowerCase() : language;
  setCurrent(languages.find((l) => l === wanted) ?? 'en');
}

/** Digits and calendar; a calendar not offered for the language reads as Gregorian. */
export function setLocaleOptions(options: { digits?: DigitSystem; calendar?: CalendarId }): void {
  if (options.digits) setDigitSystem(options.digits);
  if (options.calendar) setCalendarChoice(options.calendar);
}

export function language(): Language {
  return current();
}

export function direction(lang: Language = current()): 'rtl' | 'ltr' {
  return lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr';
}

export function calendar(): CalendarId {
  const c = calendarChoice();
  return calendarsFor(current()).includes(c) ? c : 'gregory';
}

/** The numbering system in use: `arab`, `arabext` or `latn`. */
export function numberingSystem(): string {
  return (digitSystem() === 'native' && nativeDigits[current()]) || 'latn';
}

/** BCP 47 tag for every Intl formatter: `fa-u-ca-persian-nu-arabext`, `ar-u-ca-gregory-nu-latn`… */
export function locale(): string {
  // The calendar is always explicit: Persian's default calendar is Solar Hijri even when Gregorian is chosen.
  return `${current()}-u-ca-${calendar()}-nu-${numberingSystem()}`;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.PluralRules>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.PluralRules>(kind: string, options: object, make: (tag: string) => T): T {
  const tag = locale();
  const key = `${kind}|${tag}|${JSON.stringify(options)}`;
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make(tag);
    cache.set(key, f);
  }
  return f;
}

/** First-strong isolate … pop directional isolate: the plain-text twin of `<bdi>`. */
const FSI = '\u2068';
const PDI = '\u2069';
/** Wraps data (a name, an email, an order number) so it can't reorder the sentence around it. */
export function isolate(text: string): string {
  return `${FSI}${text}${PDI}`;
}

/** Digits written in a translation ("/5", "p90") in the language's digit system, like every formatted number. */
function localizeDigits(template: string): string {
  if (numberingSystem() === 'latn' || !/[0-9]/.test(template)) return template;
  const digits = formatNumber(1234567890, { useGrouping: false });
  const map = [digits[9]!, ...digits.slice(0, 9)];
  return template.replace(/[0-9]/g, (d) => map[Number(d)]!);
}

function fill(template: string, params: Record<string, string | number>): string {
  return localizeDigits(template).replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) return `{${name}}`;
    // Numbers in the language's digits; text is data from elsewhere, isolated for bidi.
    return typeof value === 'number' ? formatNumber(value) : isolate(value);
  });
}

export function t(key: TextKey, params: Record<string, string | number> = {}): string {
  const template = catalogOf(current())[key] ?? en[key];
  return fill(template, params);
}

/** The CLDR plural category of `count` in the UI language (Arabic has six). */
export function pluralCategory(count: number): Intl.LDMLPluralRule {
  return cached('plural', {}, (tag) => new Intl.PluralRules(tag)).select(count);
}

/** A message with a count: `tp('customer.lifetime', 3, { total })` → "3 orders · €120.00". */
export function tp(key: PluralKey, count: number, params: Record<string, string | number> = {}): string {
  const catalog = catalogOf(current());
  const category = pluralCategory(count);
  const template = catalog[`${key}#${category}`] ?? catalog[`${key}#other`] ?? en[`${key}#${category}` as MessageKey] ?? en[`${key}#other` as MessageKey];
  return fill(template, { count, ...params });
}

export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached('number', options, (tag) => new Intl.NumberFormat(tag, options)).format(value);
}

/** Ticket and row numbers: the language's digits, no thousands separator. */
export function formatId(value: number): string {
  return formatNumber(value, { useGrouping: false });
}

/** −12.5 → "−12.5" with the sign where the language puts it (never "12.5-"). */
export function formatSigned(value: number, maximumFractionDigits = 1): string {
  return formatNumber(value, { maximumFractionDigits, signDisplay: 'exceptZero' });
}

/** 42.5 (a percentage from 0 to 100) → "42.5%", "٤٢٫٥٪", "%42,5". */
export function formatPercent(value: number, maximumFractionDigits = 1): string {
  return formatNumber(value / 100, { style: 'percent', maximumFractionDigits });
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return formatNumber(amount, { style: 'currency', currency });
  } catch {
    return `${formatNumber(amount, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
  }
}

const HOUR = 3_600_000;
/** A duration in the unit that reads best: "45 min", "3.5 hr", "4 days" (Intl units, any language). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const unit = (value: number, u: 'minute' | 'hour' | 'day') => formatNumber(value, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 });
  if (ms < HOUR) return unit(ms / 60_000, 'minute');
  if (ms < 48 * HOUR) return unit(ms / HOUR, 'hour');
  return unit(ms / (24 * HOUR), 'day');
}

/** A date (and optionally time) in the chosen calendar and digits. */
export function formatDate(value: string | number | Date, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return cached('date', options, (tag) => new Intl.DateTimeFormat(tag, options)).format(date);
}

export function formatDateTime(value: string | number | Date): string {
  return formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "3 h ago" in the UI language, from Intl (no hand-written plural rules). */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const abs = Math.abs(seconds);
  const rtf = cached('relative', {}, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style: 'short' }));
  if (abs < 45) return t('time.justNow');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  if (abs < 365 * 86_400) return rtf.format(Math.round(seconds / (30 * 86_400)), 'month');
  return rtf.format(Math.round(seconds / (365 * 86_400)), 'year');
}

/** A list in the language's own words: "a, b and c", "a، b و c", "a, b ve c". */
export function formatList(items: string[]): string {
  return new Intl.ListFormat(current(), { style: 'long', type: 'conjunction' }).format(items);
}
