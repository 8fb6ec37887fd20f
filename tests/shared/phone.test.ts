import { afterEach, describe, expect, test } from 'vitest';
import { defaultPhoneCountry, normalizePhone, setDefaultPhoneCountry } from '@shared/phone';
import { normalizeIdentities } from '../../api/modules/customers/customers.repository';
import { parseEnv } from '../../api/env';

type Country = NonNullable<Parameters<typeof normalizePhone>[1]>;

describe('phones normalize to E.164', () => {
  test.each([
    // International "00" prefix, whatever the default country
    ['00966 50 555 1234', 'US', '+966505551234'],
    ['0090 532 555 12 34', 'US', '+905325551234'],
    ['(0044) 7911 123456', 'TR', '+447911123456'],
    ['00 98 912 555 1234', 'SA', '+989125551234'],
    ['011 44 7911 123456', 'US', '+447911123456'],
    // National forms with the workspace's default country
    ['0532 555 12 34', 'TR', '+905325551234'],
    ['050 555 1234', 'SA', '+966505551234'],
    ['0912 555 1234', 'IR', '+989125551234'],
    ['07911 123456', 'GB', '+447911123456'],
    ['050 123 4567', 'AE', '+971501234567'],
    ['010 1234 5678', 'EG', '+201012345678'],
    ['(415) 555-0134', 'US', '+14155550134'],
    // Persian and Arabic-Indic digits, national and international
    ['۰۹۱۲ ۵۵۵ ۱۲۳۴', 'IR', '+989125551234'],
    ['+۹۸ ۹۱۲ ۵۵۵ ۱۲۳۴', 'US', '+989125551234'],
    ['۰۰۹۸ ۹۱۲ ۵۵۵ ۱۲۳۴', 'US', '+989125551234'],
    ['٠٥٠ ٥٥٥ ١٢٣٤', 'SA', '+966505551234'],
    ['+٩٦٦ ٥٠ ٥٥٥ ١٢٣٤', 'TR', '+966505551234'],
  ] satisfies [string, Country, string][])('%s (default %s) → %s', (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: true, normalized: e164 });
  });

  test.each([
    ['', 'US', 'is not a phone number'],
    ['call me', 'US', 'is not a phone number'],
    ['+', 'US', 'is not a phone number'],
    ['12', 'US', "is not a phone number: too short for US (no country code, so read in the workspace's default country)"],
    ['+999 123456', 'US', 'is not a phone number: unknown country code'],
    ['0532 555', 'TR', "is not a phone number: no such number for TR (no country code, so read in the workspace's default country)"],
    ['0532 555 12 34 56 78', 'TR', "is not a phone number: too long for TR (no country code, so read in the workspace's default country)"],
    // A Saudi mobile read as a US number is refused, not stored as +10505551234.
    ['050 555 1234', 'US', "is not a phone number: no such number for US (no country code, so read in the workspace's default country)"],
    ['+90 532', 'US', 'is not a phone number: too short for TR'],
    ['+90 999 555 12 34', 'US', 'is not a phone number: no such number for TR'],
  ] satisfies [string, Country, string][])('%j (default %s) is refused: %s', (raw, country, reason) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: false, reason });
  });
});

describe("the workspace's default country", () => {
  afterEach(() => setDefaultPhoneCountry('US'));

  test('DEFAULT_PHONE_COUNTRY sets how national numbers are read; US when unset', () => {
    parseEnv({});
    expect(defaultPhoneCountry()).toBe('US');
    expect(normalizePhone('0532 555 12 34').ok).toBe(false);
    parseEnv({ DEFAULT_PHONE_COUNTRY: 'tr' });
    expect(defaultPhoneCountry()).toBe('TR');
    expect(normalizePhone('0532 555 12 34')).toEqual({ ok: true, normalized: '+905325551234' });
  });

  test('a country libphonenumber does not know stops the start with the field named', () => {
    expect(() => parseEnv({ DEFAULT_PHONE_COUNTRY: 'XX' })).toThrow(/DEFAULT_PHONE_COUNTRY: must be an ISO 3166 country code/);
  });

  test('a refused number names its field and the reason', () => {
    parseEnv({ DEFAULT_PHONE_COUNTRY: 'SA' });
    expect(normalizeIdentities([{ kind: 'phone', value: '050 555 1234' }])).toEqual([{ kind: 'phone', value: '050 555 1234', normalized: '+966505551234' }]);
    expect(() => normalizeIdentities([{ kind: 'email', value: 'a@b.org' }, { kind: 'phone', value: '050 555' }])).toThrow(
      /^identities\.1\.value "050 555" is not a phone number: too short for SA/,
    );
  });
});
