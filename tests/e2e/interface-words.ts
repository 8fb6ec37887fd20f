/**
 * "No English interface word on an Arabic screen": the words of the English catalog that the
 * target language's catalog doesn't itself use (brand names and acronyms such as Rafiq, CSAT or
 * CSV stay), looked for in the text a surface shows. Data is left out the way the UI marks it:
 * `<bdi>`, `dir="auto"` / `dir="ltr"` elements, text in another `lang`, and FSI…PDI isolates
 * (names, emails, subjects, order numbers). So a miss here is a string that skipped `t()`.
 */
import type { Page } from 'playwright-core';
import type { Language } from '../../extension/i18n';
import { catalogs } from '../../extension/i18n/all';
import { en } from '../../extension/i18n/messages.en';

const words = (text: string) => (text.replace(/\{\w+\}/g, ' ').match(/\p{L}{3,}/gu) ?? []).map((w) => w.toLowerCase());

/**
 * Day and month names Intl writes in `lang` ("Per" is Turkish for Thursday, short for Perşembe):
 * words of that language even when they look like an English one ("per").
 */
function calendarWords(lang: string): string[] {
  const out: string[] = [];
  for (let day = 0; day < 7; day++) {
    const date = new Date(Date.UTC(2026, 0, 1 + day, 12));
    for (const weekday of ['long', 'short'] as const) out.push(new Intl.DateTimeFormat(lang, { weekday, timeZone: 'UTC' }).format(date));
  }
  for (let month = 0; month < 12; month++) {
    const date = new Date(Date.UTC(2026, month, 15, 12));
    for (const style of ['long', 'short'] as const) out.push(new Intl.DateTimeFormat(lang, { month: style, timeZone: 'UTC' }).format(date));
  }
  return out.flatMap(words);
}

export function englishInterfaceWords(lang: Exclude<Language, 'en'>): Set<string> {
  const own = new Set([...Object.values(catalogs[lang]).flatMap((v) => words(v ?? '')), ...calendarWords(lang)]);
  return new Set(Object.values(en).flatMap(words).filter((w) => !own.has(w)));
}

/**
 * The text a user sees under `rootSelector` (inside the shadow root when there is one), data
 * left out. Runs in the page.
 */
export async function visibleInterfaceText(page: Page, rootSelector: string): Promise<string> {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector);
    if (!host) return '';
    const root: Node = host.shadowRoot ?? host;
    const pageLang = (host.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang) || 'en';
    const isData = (el: Element | null): boolean => {
      for (let e = el; e; e = e.parentElement) {
        // dir="ltr" marks data only below the surface's root (a Turkish page's root is ltr too).
        if (e.matches('bdi, [dir="auto"], script, style, noscript, canvas')) return true;
        if (e.matches('[dir="ltr"]:not(html, body, main, .rafiq-root)')) return true;
        const lang = e.getAttribute('lang');
        if (lang && !lang.startsWith(pageLang) && !pageLang.startsWith(lang)) return true;
      }
      return false;
    };
    const shown = (el: Element) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || isData(parent) || !shown(parent)) continue;
      out.push((n.textContent ?? '').replace(/\u2068[^\u2069]*\u2069/g, ' '));
    }
    // Placeholders and accessible names are read too (by the eye and by screen readers).
    for (const el of (root as ParentNode).querySelectorAll('[placeholder], [aria-label]')) {
      if (isData(el)) continue;
      for (const attr of ['placeholder', 'aria-label']) {
        const v = el.getAttribute(attr);
        if (v) out.push(v.replace(/\u2068[^\u2069]*\u2069/g, ' '));
      }
    }
    return out.join(' ');
  }, rootSelector);
}

/** The English interface words found in `text` (lower case, unique). */
export function englishWordsIn(text: string, english: Set<string>): string[] {
  return [...new Set(words(text).filter((w) => english.has(w)))];
}
