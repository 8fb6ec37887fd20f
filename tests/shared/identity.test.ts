// Identity normalization (issue 11, item 9): the rules that decide whether two ways of writing
// an address, handle, number or profile are the same person. Tables of cases, each with why.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { foldName, normalizeEmail, normalizeIdentity, normalizePhone, normalizeProfileUrl, normalizeXHandle, type IdentityInput } from '@shared/identity';

const ok = (r: { ok: boolean; normalized?: string }) => (r.ok ? r.normalized : null);
const reasonOf = (r: { ok: true; normalized: string } | { ok: false; reason: string }) => (r.ok ? `accepted as ${r.normalized}` : r.reason);

describe('emails', () => {
  test.each([
    ['Layla.Haddad@Example.com', 'layla.haddad@example.com', 'case is folded everywhere'],
    ['  mailto:Ali@EXAMPLE.COM.TR ', 'ali@example.com.tr', 'mailto: and spaces dropped'],
    ['mailto:Ali@example.com?subject=Order%20R-1', 'ali@example.com', 'a mailto link’s query is not part of the address'],
    ['L.a.y.l.a+orders@gmail.com', 'layla@gmail.com', 'Gmail ignores dots and +tags'],
    ['LAYLA@GMAIL.COM', 'layla@gmail.com', 'Gmail, case'],
    ['layla+x@googlemail.com', 'layla@gmail.com', 'googlemail.com is gmail.com'],
    ['La.Yla@GoogleMail.com', 'layla@gmail.com', 'googlemail dots too'],
    ['layla@gmail.com.', 'layla@gmail.com', 'trailing dot of a fully-qualified domain'],
    ['first.last+tag@outlook.com', 'first.last+tag@outlook.com', 'only Gmail folds: elsewhere dots and tags are other mailboxes'],
    ['first.last+tag@gmail.co', 'first.last+tag@gmail.co', 'gmail.co is not Gmail'],
    ['first.last@mail.gmail.com', 'first.last@mail.gmail.com', 'a subdomain of gmail.com is not Gmail'],
    ['first.last@example.com.tr', 'first.last@example.com.tr', 'dots kept outside Gmail'],
    ['ayşe@örnek.com.tr', 'ayşe@örnek.com.tr', 'international addresses kept as written'],
    ['user@localhost', 'user@localhost', 'a local test address'],
  ] satisfies [string, string, string][])('%s → %s (%s)', (raw, expected) => {
    expect(ok(normalizeEmail(raw))).toBe(expected);
  });

  test.each([
    ['"odd local"@example.com', /not an email address/],
    ['no-at-sign.example.com', /not an email address/],
    ['@example.com', /not an email address/],
    ['user@', /not an email address/],
    ['a@b@example.com', /not an email address/],
    ['user@example', /no valid domain/],
    ['user@.example.com', /no valid domain/],
    ['user@example..com', /no valid domain/],
    ['user@-example.com', /no valid domain/],
    ['+@gmail.com', /empty Gmail user name/],
    ['...+news@googlemail.com', /empty Gmail user name/],
    ['', /not an email address/],
  ] satisfies [string, RegExp][])('%j is refused: %s', (raw, reason) => {
    expect(reasonOf(normalizeEmail(raw))).toMatch(reason);
  });
});

describe('X handles', () => {
  test.each([
    ['@Layla_Haddad', 'layla_haddad'],
    ['layla_haddad', 'layla_haddad'],
    ['  @LAYLA_HADDAD ', 'layla_haddad'],
    ['https://x.com/Layla_Haddad/status/1', 'layla_haddad'],
    ['https://twitter.com/Layla_Haddad', 'layla_haddad'],
    ['https://mobile.twitter.com/Layla_Haddad/', 'layla_haddad'],
    ['x.com/RafiqShop?s=20', 'rafiqshop'],
    ['twitter.com/RafiqShop', 'rafiqshop'],
    ['https://www.x.com/Foo#replies', 'foo'],
    ['@a', 'a'],
    ['@abcdefghijklmno', 'abcdefghijklmno'],
  ] satisfies [string, string][])('%s → %s', (raw, expected) => {
    expect(ok(normalizeXHandle(raw))).toBe(expected);
  });

  test.each([
    ['@this_handle_is_too_long', /1–15 letters, digits or _/],
    ['@bad-handle', /1–15 letters, digits or _/],
    ['@@double', /1–15 letters, digits or _/],
    ['two words', /1–15 letters, digits or _/],
    ['@لیلا', /1–15 letters, digits or _/],
    ['', /1–15 letters, digits or _/],
    // X's own pages are no one's profile.
    ['https://x.com/home', /page of X/],
    ['https://x.com/i/status/1858000000000000001', /page of X/],
    ['https://twitter.com/intent/user?screen_name=Foo', /page of X/],
    ['https://x.com/search?q=rafiq', /page of X/],
  ] satisfies [string, RegExp][])('%j is refused: %s', (raw, reason) => {
    expect(reasonOf(normalizeXHandle(raw))).toMatch(reason);
  });
});

describe('phones to E.164', () => {
  type Country = Parameters<typeof normalizePhone>[1];
  test.each([
    // United States
    ['+1 (415) 555-0134', 'US', '+14155550134'],
    ['415-555-0134', 'US', '+14155550134'],
    ['(415) 555 0134', 'US', '+14155550134'],
    ['1-415-555-0134', 'US', '+14155550134'],
    ['+1 415 555 0134 ext. 12', 'US', '+14155550134'],
    // Turkey (+90): international and national (trunk 0) forms
    ['+90 532 555 12 34', 'US', '+905325551234'],
    ['+90 (532) 555-1234', 'US', '+905325551234'],
    ['0532 555 12 34', 'TR', '+905325551234'],
    ['0 (532) 555 12 34', 'TR', '+905325551234'],
    ['05325551234', 'TR', '+905325551234'],
    // Saudi Arabia (+966)
    ['+966 50 555 1234', 'US', '+966505551234'],
    ['050 555 1234', 'SA', '+966505551234'],
    ['00966 50 555 1234', 'SA', '+966505551234'],
    // Iran (+98), including Persian digits
    ['+98 912 555 1234', 'US', '+989125551234'],
    ['0912 555 1234', 'IR', '+989125551234'],
    ['۰۹۱۲ ۵۵۵ ۱۲۳۴', 'IR', '+989125551234'],
    // Arabic-Indic digits
    ['٠٥٣٢ ٥٥٥ ١٢ ٣٤', 'TR', '+905325551234'],
  ] satisfies [string, Country, string][])('%s (read as %s) → %s', (raw, country, expected) => {
    expect(ok(normalizePhone(raw, country))).toBe(expected);
  });

  test.each(['call me', '12', '', '+', '555'])('%j is not a phone number', (raw) => {
    expect(reasonOf(normalizePhone(raw))).toMatch(/^is not a phone number/);
  });

  test('a number without a country code is read as the US by default', () => {
    expect(ok(normalizePhone('0532 555 12 34'))).not.toBe('+905325551234');
    expect(ok(normalizeIdentity({ kind: 'phone', value: '(415) 555-0134' }))).toBe('+14155550134');
  });
});

describe('review profile URLs', () => {
  test.each([
    ['https://it.trustpilot.com/users/683605448a537581ff52c0fe?utm_source=x', 'https://trustpilot.com/users/683605448a537581ff52c0fe', 'country subdomain and utm dropped'],
    ['https://www.trustpilot.com/users/683605448a537581ff52c0fe/', 'https://trustpilot.com/users/683605448a537581ff52c0fe', 'www. and trailing slash dropped'],
    ['https://de.trustpilot.com/users/abc', 'https://trustpilot.com/users/abc', 'any country subdomain'],
    ['trustpilot.com/users/abc', 'https://trustpilot.com/users/abc', 'no scheme'],
    ['http://www.trustpilot.com/users/abc#reviews', 'https://trustpilot.com/users/abc', 'http → https, fragment dropped'],
    ['HTTPS://WWW.TRUSTPILOT.COM/users/ABC', 'https://trustpilot.com/users/ABC', 'host case folded, path case kept'],
    ['https://www.yelp.com/user_details?userid=AoxLea6RXcwefB9L_eajGw&ref=x', 'https://yelp.com/user_details?userid=AoxLea6RXcwefB9L_eajGw', 'Yelp keeps userid'],
    ['https://www.yelp.com/user_details?utm_campaign=a&userid=Q&fbclid=b', 'https://yelp.com/user_details?userid=Q', 'tracking around the userid'],
    ['https://www.amazon.com/gp/profile/amzn1.account.AFEJI/ref=cm_cr_dp_d_gw_tr?ie=UTF8', 'https://amazon.com/gp/profile/amzn1.account.AFEJI', 'Amazon /ref= segment removed'],
    ['https://www.amazon.co.uk/gp/profile/amzn1.account.X/ref=cm_cr_arp_d_gw_btm', 'https://amazon.co.uk/gp/profile/amzn1.account.X', 'Amazon, other store'],
    ['//www.g2.com/users/48736028#reviews', 'https://g2.com/users/48736028', 'protocol-relative link'],
    ['https://www.g2.com/users/x?gclid=1&fbclid=2', 'https://g2.com/users/x', 'ad click ids dropped'],
    ['https://www.google.com/maps/contrib/1234/reviews?hl=en', 'https://google.com/maps/contrib/1234/reviews', 'Google contributor, language dropped'],
    ['https://www.sikayetvar.com/uye/eyup-6133807', 'https://sikayetvar.com/uye/eyup-6133807', 'Şikayetvar member'],
    // A reviewer without a profile link is known by their folded name.
    ['Ali K.', 'name:ali k.', 'a name, not a URL'],
    ['Ayşe D.', 'name:ayse d.', 'a Turkish name, folded'],
  ] satisfies [string, string, string][])('%s → %s (%s)', (raw, expected) => {
    expect(ok(normalizeProfileUrl(raw))).toBe(expected);
  });

  test.each([
    ['https://', /not a valid URL/],
    ['   ', /empty after folding/],
    ['\u200b\u200f', /empty after folding/],
  ] satisfies [string, RegExp][])('%j is refused: %s', (raw, reason) => {
    expect(reasonOf(normalizeProfileUrl(raw))).toMatch(reason);
  });
});

describe('names fold across scripts and letter variants', () => {
  test.each([
    ['alef with hamza above', 'أحمد', 'احمد'],
    ['alef with hamza below', 'إبراهيم', 'ابراهيم'],
    ['alef madda', 'آمنة', 'امنه'],
    ['alef wasla', 'ٱلله', 'الله'],
    ['Arabic yeh vs Persian yeh', 'علي', 'علی'],
    ['alef maqsura vs yeh', 'مصطفى', 'مصطفي'],
    ['Arabic kaf vs Persian keheh', 'كريمي', 'کریمی'],
    ['Persian name written with Arabic letters', 'رضا کریمی', 'رضا كريمي'],
    ['harakat (fatha, damma, shadda)', 'مُحَمَّد', 'محمد'],
    ['tanwin and sukun', 'شُكْرًا', 'شكرا'],
    ['tatweel', 'محـــمد', 'محمد'],
    ['teh marbuta vs heh', 'فاطمة', 'فاطمه'],
    ['waw with hamza', 'مؤمن', 'مومن'],
    ['Arabic presentation forms (NFKC)', 'ﻟﻴﻠﻰ', 'ليلى'],
    ['Turkish dotted capital I', 'İREM', 'irem'],
    ['Turkish dotless i', 'IŞIL', 'ışıl'],
    ['Turkish letters lose their marks', 'Şükrü Öztürk', 'sukru ozturk'],
    ['accents', 'Sofía Márquez', 'sofia marquez'],
    ['combining accents', 'Jose\u0301', 'José'],
    ['bidi overrides and zero-width characters', '\u202eLayla\u200b Haddad', 'layla haddad'],
    ['bidi isolates and a BOM', '\u2067Layla\u2069\ufeff', 'layla'],
    // shared/text.ts: ZWNJ separates the parts of a Persian compound name; folded, it is a word break.
    ['zero-width non-joiner in Persian is a word break', 'مهسا\u200cسادات', 'مهسا سادات'],
    ['zero-width joiner only shapes letters', 'Lay\u200dla', 'Layla'],
    ['punctuation and runs of spaces', '  O’Brien,   Seán ', 'o brien sean'],
    ['full-width Latin (NFKC)', 'Ｌａｙｌａ', 'layla'],
  ] satisfies [string, string, string][])('%s: %s ≡ %s', (_why, a, b) => {
    expect(foldName(a)).toBe(foldName(b));
  });

  test.each([
    ['different first letters stay different', 'Layla', 'Leila'],
    ['seen vs sheen', 'سارا', 'شارا'],
    ['Turkish ş vs ğ are not one letter', 'Doğan', 'Dosan'],
  ] satisfies [string, string, string][])('%s: %s ≢ %s', (_why, a, b) => {
    expect(foldName(a)).not.toBe(foldName(b));
  });

  test.each([
    ['Layla Haddad', 'layla haddad'],
    ['İrem Şahin', 'irem sahin'],
    ['أحمد الأحمد', 'احمد الاحمد'],
    ['مُحَمَّد', 'محمد'],
    ['رضا کریمی', 'رضا كريمي'],
  ] satisfies [string, string][])('%s folds to %s', (raw, expected) => {
    expect(foldName(raw)).toBe(expected);
  });

  test('folding is idempotent: fold(fold(x)) === fold(x)', () => {
    for (const name of ['Ayşe Demir', 'نور السيد', 'رضا کریمی', 'İrem Şahin', 'Sofía', 'محمد الأحمد', 'ﻟﻴﻠﻰ', '\u202eLayla\u200b', 'Ｌａｙｌａ', 'IŞIL']) {
      expect(foldName(foldName(name))).toBe(foldName(name));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => foldName(foldName(name)) === foldName(name)),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeIdentity picks the rule by kind, and its result is stable', () => {
  test.each([
    [{ kind: 'email', value: 'A.B+c@GoogleMail.com' }, 'ab@gmail.com'],
    [{ kind: 'x', value: '@A' }, 'a'],
    [{ kind: 'phone', value: '+90 532 555 12 34' }, '+905325551234'],
    [{ kind: 'trustpilot', value: 'https://uk.trustpilot.com/users/x?utm_medium=email' }, 'https://trustpilot.com/users/x'],
    [{ kind: 'yelp', value: 'https://www.yelp.com/user_details?userid=Q' }, 'https://yelp.com/user_details?userid=Q'],
    [{ kind: 'amazon', value: 'https://www.amazon.de/gp/profile/amzn1.account.Z/ref=x' }, 'https://amazon.de/gp/profile/amzn1.account.Z'],
    [{ kind: 'sikayetvar', value: 'https://www.sikayetvar.com/uye/eyup-6133807' }, 'https://sikayetvar.com/uye/eyup-6133807'],
    [{ kind: 'web', value: 'Hannah K.' }, 'name:hannah k.'],
  ] satisfies [IdentityInput, string][])('%j → %s', (identity, expected) => {
    const once = normalizeIdentity(identity);
    expect(ok(once)).toBe(expected);
    // What is stored can be looked up again: the normalized value normalizes to itself (URLs, emails, handles, phones).
    if (!expected.startsWith('name:')) expect(ok(normalizeIdentity({ kind: identity.kind, value: expected }))).toBe(expected);
  });

  test('emails, handles and profile URLs are stable under normalization', () => {
    const stable = (normalize: (raw: string) => { ok: boolean; normalized?: string }) => (raw: string) => {
      const once = normalize(raw);
      return !once.ok || normalize(once.normalized!).normalized === once.normalized;
    };
    fc.assert(fc.property(fc.oneof(fc.emailAddress(), fc.string()), stable(normalizeEmail)), { numRuns: 1000 });
    fc.assert(fc.property(fc.string(), stable(normalizeXHandle)), { numRuns: 1000 });
    fc.assert(fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), stable(normalizeProfileUrl)), { numRuns: 1000 });
  });
});
