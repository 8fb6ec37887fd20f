import { calendarSetting, digitsSetting, languageSetting, themeSetting } from '../storage/settings';
import { direction, language, setLanguage, setLocaleOptions } from './index';

/**
 * Reads the language, digit and calendar settings into the i18n layer, and keeps following them:
 * a change made in the options page shows at once on every open surface.
 */
export async function applyLocaleSettings(): Promise<() => void> {
  const [lang, digits, calendar] = await Promise.all([languageSetting.getValue(), digitsSetting.getValue(), calendarSetting.getValue()]);
  setLanguage(lang);
  setLocaleOptions({ digits, calendar });
  const unwatch = [
    languageSetting.watch((v) => setLanguage(v ?? 'auto')),
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
