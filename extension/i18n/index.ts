import { createSignal } from 'solid-js';
import { en, type MessageKey } from './messages.en';
import { ar, fa, tr } from './messages.rtl-and-tr';

/**
 * The one i18n layer: `t('key', {param})`. English is complete; Arabic, Persian and Turkish
 * cover the everyday strings and fall back to English per key. Layout direction follows the language (CSS uses logical
 * properties throughout, so right-to-left needs no other change).
 */
export type Language = 'en' | 'ar' | 'fa' | 'tr';
const catalogs: Record<Language, Partial<Record<MessageKey, string>>> = { en, ar, fa, tr };
// A signal: text already on screen re-renders when the language setting arrives or changes.
const [current, setCurrent] = createSignal<Language>('en');

export function setLanguage(language: Language | 'auto', fallback = typeof navigator === 'undefined' ? 'en' : navigator.language): void {
  const wanted = language === 'auto' ? fallback.slice(0, 2) : language;
  setCurrent((['en', 'ar', 'fa', 'tr'] as const).find((l) => l === wanted) ?? 'en');
}

export function language(): Language {
  return current();
}

export function direction(lang: Language = current()): 'rtl' | 'ltr' {
  return lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr';
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[current()][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/** "3 h ago" in the UI language, from Intl (no hand-written plural rules). */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(current(), { numeric: 'auto', style: 'short' });
  if (abs < 45) return t('time.justNow');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  if (abs < 365 * 86_400) return rtf.format(Math.round(seconds / (30 * 86_400)), 'month');
  return rtf.format(Math.round(seconds / (365 * 86_400)), 'year');
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(current(), { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}
