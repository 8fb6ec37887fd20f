import { describe, expect, test } from 'vitest';
import { languages, type Language } from '../../extension/i18n';
import { catalogs } from '../../extension/i18n/all';
import { en } from '../../extension/i18n/messages.en';
import { surveyLanguages, surveyText } from '../../shared/i18n-survey';

/**
 * Every string a user can read exists in every language, and no translation is the English text
 * left in place. Plural messages (keys ending in `#other`) need every CLDR category the language
 * has (Arabic: zero, one, two, few, many, other). Helpers adding a feature add their keys to all
 * four catalogs; this test keeps that honest.
 */

/** Words that stay as they are in every language: brand names and the standard metric acronyms. */
const SAME_IN_EVERY_LANGUAGE = new Set<string>(['Rafiq', 'X', 'CSV', 'NPS', 'CSAT', 'FCR']);
/**
 * Words a language borrowed from English and spells the same, reviewed one by one: Turkish says
 * "Normal" for a normal priority ("Olağan" reads as "ordinary, usual" and looked forced).
 */
const SAME_AS_ENGLISH_IN: Partial<Record<Language, ReadonlySet<string>>> = { tr: new Set(['priority.normal']) };
/** A value with no letters outside its placeholders ("#{id}", "{value}/{best}") may equal English. */
const hasWords = (text: string) => /\p{L}/u.test(text.replace(/\{\w+\}/g, ''));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const enKeys = Object.keys(en) as (keyof typeof en)[];
const plainKeys = enKeys.filter((k) => !k.includes('#'));
const pluralBases = [...new Set(enKeys.filter((k) => k.endsWith('#other')).map((k) => k.slice(0, -'#other'.length)))];
const others = languages.filter((l): l is Exclude<Language, 'en'> => l !== 'en');
const categoriesOf = (lang: Language) => new Intl.PluralRules(lang).resolvedOptions().pluralCategories;

test('English has one and other for every plural message, and no stray plural forms', () => {
  expect(pluralBases.length).toBeGreaterThan(0);
  for (const base of pluralBases) expect(en).toHaveProperty(`${base}#one`);
  for (const key of enKeys.filter((k) => k.includes('#'))) {
    const [base, category] = key.split('#');
    expect(pluralBases).toContain(base);
    expect(['one', 'other']).toContain(category);
  }
});

describe.each(others)('%s catalog', (lang) => {
  const catalog = catalogs[lang] as Record<string, string>;

  test('has every key, and every plural message in all of its plural categories', () => {
    const missing = plainKeys.filter((k) => !catalog[k]?.trim());
    for (const base of pluralBases) for (const c of categoriesOf(lang)) if (!catalog[`${base}#${c}`]?.trim()) missing.push(`${base}#${c}` as never);
    expect(missing, `missing in ${lang}`).toEqual([]);
  });

  test('has no key English does not have (a typo or a removed string)', () => {
    const known = new Set<string>([...plainKeys, ...pluralBases.flatMap((b) => categoriesOf(lang).map((c) => `${b}#${c}`))]);
    expect(Object.keys(catalog).filter((k) => !known.has(k))).toEqual([]);
  });

  test('translates everything (nothing equals the English text but brand names and acronyms)', () => {
    const untranslated = plainKeys.filter((k) => catalog[k] === en[k] && hasWords(en[k]) && !SAME_IN_EVERY_LANGUAGE.has(en[k]) && !SAME_AS_ENGLISH_IN[lang]?.has(k));
    for (const base of pluralBases) {
      const english = new Set<string>([en[`${base}#one` as keyof typeof en], en[`${base}#other` as keyof typeof en]]);
      for (const c of categoriesOf(lang)) if (english.has(catalog[`${base}#${c}`]!)) untranslated.push(`${base}#${c}` as never);
    }
    expect(untranslated, `still English in ${lang}`).toEqual([]);
  });

  test('keeps the placeholders of the English text (a translation may drop {count} only in a word form)', () => {
    const wrong = plainKeys.filter((k) => catalog[k] !== undefined && placeholders(catalog[k]).join() !== placeholders(en[k]).join());
    for (const base of pluralBases) {
      const wanted = placeholders(en[`${base}#other` as keyof typeof en]).filter((p) => p !== 'count');
      for (const c of categoriesOf(lang)) {
        const got = placeholders(catalog[`${base}#${c}`] ?? '').filter((p) => p !== 'count');
        if (got.join() !== wanted.join()) wrong.push(`${base}#${c}` as never);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the public survey page', () => {
  const keys = Object.keys(surveyText.en) as (keyof typeof surveyText.en)[];
  test.each(surveyLanguages.filter((l) => l !== 'en'))('%s has every string, translated, with the same placeholders', (lang) => {
    const catalog = surveyText[lang] as Record<string, string>;
    expect(keys.filter((k) => !catalog[k]?.trim())).toEqual([]);
    expect(keys.filter((k) => catalog[k] === surveyText.en[k] && hasWords(catalog[k]!))).toEqual([]);
    expect(keys.filter((k) => placeholders(catalog[k]!).join() !== placeholders(surveyText.en[k]).join())).toEqual([]);
  });
});

test('the check itself catches a missing key and a line left in English', () => {
  const broken: Record<string, string> = { ...catalogs.ar };
  delete broken['tickets.resolve'];
  broken['dashboard.refresh'] = en['dashboard.refresh'];
  expect(plainKeys.filter((k) => !broken[k])).toEqual(['tickets.resolve']);
  expect(plainKeys.filter((k) => broken[k] === en[k] && hasWords(en[k]) && !SAME_IN_EVERY_LANGUAGE.has(en[k]))).toEqual(['dashboard.refresh']);
});
