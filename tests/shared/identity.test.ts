import { describe, expect, test } from 'vitest';
import { foldName, normalizeEmail, normalizeIdentity, normalizePhone, normalizeProfileUrl, normalizeXHandle } from '@shared/identity';

const ok = (r: { ok: boolean; normalized?: string }) => (r.ok ? r.normalized : null);

describe('emails', () => {
  test.each([
    ['Layla.Haddad@Example.com', 'layla.haddad@example.com'],
    ['  mailto:Ali@EXAMPLE.COM.TR ', 'ali@example.com.tr'],
    ['L.a.y.l.a+orders@gmail.com', 'layla@gmail.com'],
    ['layla+x@googlemail.com', 'layla@gmail.com'],
    // Only Gmail ignores dots and +tags: elsewhere they are different mailboxes.
    ['first.last+tag@outlook.com', 'first.last+tag@outlook.com'],
    ['ayşe@örnek.com.tr', 'ayşe@örnek.com.tr'],
    ['"odd local"@example.com', null],
    ['no-at-sign.example.com', null],
    ['@example.com', null],
    ['user@', null],
    ['user@localhost', 'user@localhost'],
    ['+@gmail.com', null],
  ])('%s → %s', (raw, expected) => {
    expect(ok(normalizeEmail(raw))).toBe(expected);
  });
});

describe('X handles', () => {
  test.each([
    ['@Layla_Haddad', 'layla_haddad'],
    ['layla_haddad', 'layla_haddad'],
    ['https://x.com/Layla_Haddad/status/1', 'layla_haddad'],
    ['twitter.com/RafiqShop', 'rafiqshop'],
    ['@this_handle_is_too_long', null],
    ['@bad-handle', null],
    ['', null],
  ])('%s → %s', (raw, expected) => {
    expect(ok(normalizeXHandle(raw))).toBe(expected);
  });
});

describe('phones to E.164', () => {
  test.each([
    ['+1 (415) 555-0134', '+14155550134'],
    ['415-555-0134', '+14155550134'],
    ['+90 532 555 12 34', '+905325551234'],
    ['+966 50 555 1234', '+966505551234'],
    ['+98 912 555 1234', '+989125551234'],
    ['call me', null],
  ])('%s → %s', (raw, expected) => {
    expect(ok(normalizePhone(raw))).toBe(expected);
  });
});

describe('review profile URLs', () => {
  test.each([
    ['https://it.trustpilot.com/users/683605448a537581ff52c0fe?utm_source=x', 'https://trustpilot.com/users/683605448a537581ff52c0fe'],
    ['https://www.trustpilot.com/users/683605448a537581ff52c0fe/', 'https://trustpilot.com/users/683605448a537581ff52c0fe'],
    ['https://www.yelp.com/user_details?userid=AoxLea6RXcwefB9L_eajGw&ref=x', 'https://yelp.com/user_details?userid=AoxLea6RXcwefB9L_eajGw'],
    ['https://www.amazon.com/gp/profile/amzn1.account.AFEJI/ref=cm_cr_dp_d_gw_tr?ie=UTF8', 'https://amazon.com/gp/profile/amzn1.account.AFEJI'],
    ['//www.g2.com/users/48736028#reviews', 'https://g2.com/users/48736028'],
    // A reviewer without a profile link is known by their folded name.
    ['Ali K.', 'name:ali k.'],
  ])('%s → %s', (raw, expected) => {
    expect(ok(normalizeProfileUrl(raw))).toBe(expected);
  });
});

describe('names fold across letter variants', () => {
  test.each([
    ['alef forms', 'أحمد', 'احمد'],
    ['alef madda and hamza below', 'آمنة إبراهيم', 'امنه ابراهيم'],
    ['Arabic yeh vs Persian yeh', 'علي', 'علی'],
    ['Arabic kaf vs Persian keheh', 'كريمي', 'کریمی'],
    ['harakat', 'مُحَمَّد', 'محمد'],
    ['tatweel', 'محـــمد', 'محمد'],
    ['teh marbuta', 'فاطمة', 'فاطمه'],
    ['Turkish dotted capital I', 'İREM', 'irem'],
    ['Turkish dotless i', 'IŞIL', 'ışıl'],
    ['accents', 'Sofía Márquez', 'sofia marquez'],
    ['bidi overrides and zero-width characters', '\u202eLayla\u200b Haddad', 'layla haddad'],
  ])('%s', (_why, a, b) => {
    expect(foldName(a)).toBe(foldName(b));
  });

  test('folding is idempotent', () => {
    for (const name of ['Ayşe Demir', 'نور السيد', 'رضا کریمی', 'İrem Şahin', 'Sofía', 'محمد الأحمد']) {
      expect(foldName(foldName(name))).toBe(foldName(name));
    }
  });

  test('normalizeIdentity picks the rule by kind', () => {
    expect(ok(normalizeIdentity({ kind: 'email', value: 'A@B.co' }))).toBe('a@b.co');
    expect(ok(normalizeIdentity({ kind: 'x', value: '@A' }))).toBe('a');
    expect(ok(normalizeIdentity({ kind: 'sikayetvar', value: 'https://www.sikayetvar.com/uye/eyup-6133807' }))).toBe('https://sikayetvar.com/uye/eyup-6133807');
  });
});
