import { afterEach, describe, expect, test } from 'vitest';
import {
  formatDate,
  formatDuration,
  formatId,
  formatMoney,
  formatNumber,
  formatPercent,
  formatSigned,
  locale,
  pluralCategory,
  relativeTime,
  setLanguage,
  setLocaleOptions,
  t,
  tp,
  type CalendarId,
  type DigitSystem,
  type Language,
} from '../../extension/i18n';

/**
 * Plural forms and digit systems per language, as tables. Digits: every number on a screen comes
 * from one `Intl` locale, so a screen never mixes ۱۲ and 12; NPS −100 keeps its sign in front.
 */

const strip = (s: string) => s.replace(/[\u2068\u2069\u200e\u200f\u061c]/g, '').replace(/[\u00a0\u202f]/g, ' ');
const use = (lang: Language, digits: DigitSystem = 'native', calendar: CalendarId = 'gregory') => {
  setLanguage(lang);
  setLocaleOptions({ digits, calendar });
};
afterEach(() => use('en'));

describe('plural forms come from Intl.PluralRules', () => {
  test.each([
    { lang: 'en', count: 1, want: '1 order · $5.00' },
    { lang: 'en', count: 0, want: '0 orders · $5.00' },
    { lang: 'en', count: 2, want: '2 orders · $5.00' },
    { lang: 'en', count: 21, want: '21 orders · $5.00' },
    { lang: 'tr', count: 1, want: '1 sipariş · $5,00' },
    { lang: 'tr', count: 7, want: '7 sipariş · $5,00' },
    { lang: 'fa', count: 1, want: '۱ سفارش · $۵٫۰۰' },
    { lang: 'ar', count: 0, want: 'لا طلبات · ‏٥٫٠٠ US$' },
    { lang: 'ar', count: 1, want: 'طلب واحد · ‏٥٫٠٠ US$' },
    { lang: 'ar', count: 2, want: 'طلبان · ‏٥٫٠٠ US$' },
    { lang: 'ar', count: 3, want: '٣ طلبات · ‏٥٫٠٠ US$' },
    { lang: 'ar', count: 11, want: '١١ طلبًا · ‏٥٫٠٠ US$' },
    { lang: 'ar', count: 100, want: '١٠٠ طلب · ‏٥٫٠٠ US$' },
  ] satisfies { lang: Language; count: number; want: string }[])('$lang, $count → $want', ({ lang, count, want }) => {
    use(lang);
    expect(strip(tp('customer.lifetime', count, { total: formatMoney(5, 'USD') }))).toBe(strip(want));
  });

  test.each([
    { lang: 'ar', counts: [0, 1, 2, 3, 11, 100], want: ['zero', 'one', 'two', 'few', 'many', 'other'] },
    { lang: 'en', counts: [0, 1, 2], want: ['other', 'one', 'other'] },
    { lang: 'fa', counts: [0, 1, 2], want: ['one', 'one', 'other'] },
    { lang: 'tr', counts: [0, 1, 2], want: ['other', 'one', 'other'] },
  ] satisfies { lang: Language; counts: number[]; want: string[] }[])('$lang categories', ({ lang, counts, want }) => {
    use(lang);
    expect(counts.map(pluralCategory)).toEqual(want);
  });

  test('English never says "1 orders"', () => {
    use('en');
    for (const n of [1, 2, 0, 101]) expect(tp('satisfaction.orders', n)).not.toMatch(/\b1 orders\b/);
    expect(tp('satisfaction.orders', 1)).toBe('Lifetime: 1 order');
  });
});

describe('one digit system per language', () => {
  const ASCII = /[0-9]/;
  const ARABIC_INDIC = /[\u0660-\u0669]/;
  const PERSIAN = /[\u06f0-\u06f9]/;
  test.each([
    { lang: 'en', digits: 'native', has: ASCII, not: [ARABIC_INDIC, PERSIAN] },
    { lang: 'tr', digits: 'native', has: ASCII, not: [ARABIC_INDIC, PERSIAN] },
    { lang: 'ar', digits: 'native', has: ARABIC_INDIC, not: [ASCII, PERSIAN] },
    { lang: 'ar', digits: 'latin', has: ASCII, not: [ARABIC_INDIC, PERSIAN] },
    { lang: 'fa', digits: 'native', has: PERSIAN, not: [ASCII, ARABIC_INDIC] },
    { lang: 'fa', digits: 'latin', has: ASCII, not: [ARABIC_INDIC, PERSIAN] },
  ] satisfies { lang: Language; digits: DigitSystem; has: RegExp; not: RegExp[] }[])('$lang with $digits digits', ({ lang, digits, has, not }) => {
    use(lang, digits);
    const now = Date.parse('2026-12-03T12:00:00Z');
    const screen = [
      formatNumber(1234567),
      formatId(4021),
      formatPercent(42.5),
      formatSigned(-100),
      formatMoney(1234.5, 'EUR'),
      formatDuration(5_400_000),
      formatDate('2026-03-21T12:00:00Z'),
      relativeTime('2026-12-03T09:00:00Z', now),
      t('state.queued', { count: 3 }),
      // Digits written in a translation follow too ("/5", "p90").
      t('satisfaction.csat', { score: 4 }),
      t('dashboard.col.frtP90'),
    ].join(' ');
    expect(screen).toMatch(has);
    for (const other of not) expect(screen).not.toMatch(other);
  });

  test('data keeps its own characters: an order number is not re-digited', () => {
    use('fa');
    expect(t('unknown.linkTo', { identity: 'A-1042', name: 'Sara' })).toContain('A-1042');
  });

  test.each([
    { lang: 'en', want: '-100' },
    { lang: 'tr', want: '-100' },
    { lang: 'ar', want: '-١٠٠' },
    { lang: 'fa', want: '−۱۰۰' },
  ] satisfies { lang: Language; want: string }[])('NPS −100 in $lang is a signed number, sign first ($want)', ({ lang, want }) => {
    use(lang);
    const text = strip(formatSigned(-100));
    expect(text).toBe(want);
    expect(text).not.toMatch(/\d-$|[٠-٩۰-۹]-$/);
    expect(strip(formatSigned(35))).toMatch(/^\+/);
  });
});

describe('calendars', () => {
  test.each([
    { lang: 'fa', calendar: 'persian', want: /۱۴۰۵/ },
    { lang: 'fa', calendar: 'gregory', want: /۲۰۲۶/ },
    { lang: 'ar', calendar: 'islamic-umalqura', want: /١٤٤٧/ },
    { lang: 'ar', calendar: 'gregory', want: /٢٠٢٦/ },
    // A calendar not offered for the language reads as Gregorian.
    { lang: 'tr', calendar: 'persian', want: /2026/ },
    { lang: 'en', calendar: 'islamic-umalqura', want: /2026/ },
  ] satisfies { lang: Language; calendar: CalendarId; want: RegExp }[])('$lang in $calendar', ({ lang, calendar, want }) => {
    use(lang, 'native', calendar);
    expect(formatDate('2026-03-21T12:00:00Z')).toMatch(want);
    expect(locale()).toContain(`-ca-${lang === 'fa' || lang === 'ar' ? calendar : 'gregory'}`);
  });
});

test('data in a sentence is isolated for bidi (FSI … PDI), so "Ticket #12" never turns into "12# Ticket"', () => {
  use('ar');
  expect(t('identity.merged', { merged: 'Omar', survivor: 'عمر' })).toBe('دُمج \u2068Omar\u2069 في \u2068عمر\u2069.');
});
