import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareNames, nameKeys, skeleton } from '@shared/name-match';
import { foldName, normalizeEmail, normalizeProfileUrl, normalizeXHandle } from '@shared/normalize';

describe('compareNames', () => {
  test.each([
    { a: 'Mohammed Ali', b: 'محمد علي', reason: 'other-script', min: 0.9 },
    { a: 'Mehmet Öztürk', b: 'MEHMET OZTURK', reason: 'same-name', min: 1 },
    { a: 'Haddad Layla', b: 'Layla Haddad', reason: 'word-order', min: 1 },
    { a: 'Ali K.', b: 'Ali Kaya', reason: 'initial', min: 0.75 },
    { a: 'Fatma Yılmaz', b: 'فاطمة يلماز', reason: 'other-script', min: 0.85 },
    { a: 'Kareem Nasser', b: 'Karim Nasser', reason: 'spelling-variant', min: 0.9 },
    { a: 'علی رضایی', b: 'علي رضايي', reason: 'same-name', min: 1 },
    { a: 'ليلى حداد', b: 'Leila Al-Haddad', reason: 'other-script', min: 0.9 },
  ])('$a ↔ $b: $reason', ({ a, b, reason, min }) => {
    const result = compareNames(a, b);
    expect(result.reasons).toContain(reason);
    expect(result.score).toBeGreaterThanOrEqual(min);
    expect(compareNames(b, a).score).toBe(result.score);
  });

  test.each([
    { a: 'Hassan Omar', b: 'Hussein Omar', why: 'different names in the table beat the skeleton' },
    { a: 'Lina Haddad', b: 'Leon Haddad', why: 'short Latin skeletons are not evidence' },
    { a: 'Ali K.', b: 'Ali Demir', why: 'the initial does not fit' },
    { a: 'A. K.', b: 'Ali Kaya', why: 'initials only never match' },
    { a: 'Ali', b: 'Ali Kaya', why: 'a one-word name is capped' },
  ])('$a ↔ $b stays low: $why', ({ a, b }) => {
    expect(compareNames(a, b).score).toBeLessThanOrEqual(0.55);
  });

  test('keys do not depend on word order or script', () => {
    expect(nameKeys('Layla Haddad')).toEqual(expect.arrayContaining(nameKeys('حداد ليلى').filter((k) => k.startsWith('n:'))));
    expect(nameKeys('Ali K.')).toContain('p:ali|k');
    expect(nameKeys('Ali Kaya')).toContain('p:ali|k');
    expect(skeleton('محمد')).toBe(skeleton('mehmet'));
  });
});

describe('normalization is idempotent (fast-check)', () => {
  const text = fc.string({ unit: fc.constantFrom(...'aAİIıiŞşéÉ ـ-.أإآاىيیكکةه َ ُ_@+Layla حداد'.split('')), maxLength: 40 });
  test('foldName(foldName(x)) = foldName(x)', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (s) => {
        expect(foldName(foldName(s))).toBe(foldName(s));
      }),
    );
  });
  test('emails, X handles and profile URLs normalize to a fixed point', () => {
    const email = fc.tuple(fc.stringMatching(/^[A-Za-z0-9.+_-]{1,12}$/), fc.constantFrom('gmail.com', 'GoogleMail.com', 'Example.ORG', 'acme.co.uk')).map(([l, d]) => `${l}@${d}`);
    fc.assert(
      fc.property(email, (raw) => {
        const once = normalizeEmail(raw);
        if (once.ok) expect(normalizeEmail(once.normalized)).toEqual(once);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^@?[A-Za-z0-9_]{1,15}$/), (raw) => {
        const once = normalizeXHandle(raw);
        if (once.ok) expect(normalizeXHandle(once.normalized)).toEqual(once);
      }),
    );
    const url = fc.tuple(fc.constantFrom('https://www.trustpilot.com', 'http://de.trustpilot.com', 'https://yelp.com'), fc.stringMatching(/^[a-z0-9/]{0,20}$/), fc.constantFrom('', '?utm_source=x', '?userid=9&ref=a')).map(([h, p, q]) => `${h}/users/${p}${q}`);
    fc.assert(
      fc.property(fc.oneof(url, text), (raw) => {
        const once = normalizeProfileUrl(raw);
        if (once.ok) expect(normalizeProfileUrl(once.normalized.replace(/^name:/, ''))).toEqual(once);
      }),
    );
  });
});
