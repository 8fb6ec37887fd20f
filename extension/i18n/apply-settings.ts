import { calendarSetting, digitsSetting, languageSetting, themeSetting } from '../storage/settings';
import { ask } from '../messaging/client';
import { direction, hasCatalog, language, registerCatalogs, setLanguage, setLocaleOptions, type Language } from './index';

/**
 * Makes sure the catalog of `lang` is here: extension pages have them all (`./all`); a content
 * script asks the background for the one it needs. Without an answer the text stays English
 * (the fallback) rather than failing the page.
 */
export async function ensureCatalog(lang: Language = language()): Promise<void> {
  if (hasCatalog(lang)) return;
  try {
    const catalog = await ask({ type: 'getCatalog', language: lang as Exclude<Language, 'en'> });
    registerCatalogs({ [lang]: catalog });
  } catch (error) {
    console.warn(`[rafiq] could not load the ${lang} texts; showing English`, error);
  }
}

/**
 * Reads the language, digit and calendar settings into the i18n layer, and keeps following them:
 * a change made in the options page shows at once on every open surface.
 */
export async function applyLocaleSettings(): Promise<() => void> {
  const [lang, digits, calendar] = await Promise.all([languageSetting.getValue(), digitsSetting.getValue(), calendarSetting.getValue()]);
  setLanguage(lang);
  setLocaleOptions({ digits, calendar });
  await ensureCatalog();
  const unwatch = [
    languageSetting.watch((v) => {
      setLanguage(v ?? 'auto');
      void ensureCatalog();
    }),
    digitsSetting.watch((v) => setLocaleOptions({ digits: v ?? 'native' })),
    calendarSetting.watch((v) => setLocaleOptions({ calendar: v ?? 'gregory' })),
  ];
  return () => unwatch.forEach((u) => u());
}

/**
 * An extension page (options, popup, dashboard, identity): its language, direction and theme on
 * the root element, so page.css can follow the theme setting like the sidebar does.
 */
export async function applyPageSettings(title?: () => string): Promise<void> {
  await applyLocaleSettings();
  const root = document.documentElement;
  const paint = (theme: 'auto' | 'light' | 'dark') => {
    root.lang = language();
    root.dir = direction();
    root.dataset.theme = theme;
    if (title) document.title = title();
  };
  paint(await themeSetting.getValue());
  themeSetting.watch((v) => paint(v ?? 'auto'));
  languageSetting.watch(() => void themeSetting.getValue().then(paint));
}
