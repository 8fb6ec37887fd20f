import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage } from '../../extension/i18n';
import { channelLabel, errorText, orderStatusLabel, reasonText, ticketStatusLabel } from '../../extension/i18n/labels';
import { reservePageSpace } from '../../extension/content/mount-sidebar';

const plain = (s: string) => s.replace(/[\u2066-\u2069]/g, '');
afterEach(() => setLanguage('en'));

describe('codes become words in the agent language (never the English detail)', () => {
  test.each([
    { code: 'UNREACHABLE', lang: 'ar', want: 'تعذّر الوصول إلى خادم رفيق' },
    { code: 'FORBIDDEN', lang: 'tr', want: 'Rolünüz buna izin vermiyor' },
    { code: 'QUEUED', lang: 'fa', want: 'آفلاین ذخیره شد' },
    { code: 'SOMETHING_NEW', lang: 'ar', want: 'حدث خطأ ما' },
  ] as const)('$code in $lang', ({ code, lang, want }) => {
    setLanguage(lang);
    const text = errorText(Object.assign(new Error('The Rafiq API could not be reached (fetch failed)'), { code }));
    expect(text).toContain(want);
    expect(text).not.toMatch(/fetch failed|Rafiq API/);
  });

  test('a zod failure names its fields in the list style of the language', () => {
    setLanguage('tr');
    expect(plain(errorText({ code: 'BAD_REQUEST', fieldErrors: { subject: ['too long'], body: ['empty'] } }))).toBe('Şu alanları kontrol edin: subject ve body.');
  });

  test('states and channels', () => {
    setLanguage('ar');
    expect(ticketStatusLabel('resolved')).toBe('محلولة');
    expect(orderStatusLabel('Delivered')).toBe('تم التسليم');
    expect(plain(orderStatusLabel('on-hold-by-shop'))).toBe('on-hold-by-shop');
    expect(channelLabel('email')).toBe('البريد');
  });

  test('a match reason keeps the names it quotes', () => {
    setLanguage('fa');
    const text = plain(reasonText({ code: 'other-script', message: 'name matches, written in another script (omar ↔ عمر)' }));
    expect(text).toBe('نام یکسان، به خطی دیگر (omar ↔ عمر)');
    expect(reasonText({ code: 'brand-new-rule', message: 'english detail' })).toBe('جزئیات مشابه');
  });
});

describe('the page makes room on the side the panel is on', () => {
  const rule = () => document.getElementById('rafiq-page-space')?.textContent ?? '';
  test.each([
    { panel: 'ltr', pageDir: 'ltr', side: 'margin-right' },
    { panel: 'rtl', pageDir: 'ltr', side: 'margin-left' },
    { panel: 'rtl', pageDir: 'rtl', side: 'margin-left' },
    { panel: 'ltr', pageDir: 'rtl', side: 'margin-right' },
  ] as const)('$panel panel on a $pageDir page → $side', ({ panel, pageDir, side }) => {
    document.documentElement.dir = pageDir;
    reservePageSpace(true, 360, panel);
    expect(rule()).toBe(`html body { ${side}: 360px !important; }`);
    reservePageSpace(false, 0, panel);
    expect(document.getElementById('rafiq-page-space')).toBeNull();
  });
});
