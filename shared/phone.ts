import { isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/min';
import type { NormalizeResult } from './normalize';

/**
 * Phones to E.164 (issue 17). What agents and pages write:
 * - international with `+` ("+90 532 555 12 34") or with the `00` prefix most of the world dials
 *   ("00966 50 555 1234"; the US's `011` works when the default country is the US);
 * - national forms ("0532 555 12 34") read with the **workspace's default country**: the API's
 *   `DEFAULT_PHONE_COUNTRY` (ISO 3166 alpha-2, default `US`, Rafiq's behaviour before the setting
 *   existed), applied with `setDefaultPhoneCountry` when the configuration is read (api/env.ts);
 * - Persian (۰–۹) and Arabic-Indic (٠–٩) digits, as Iranian and Arab customers type them.
 * Anything else is refused with a reason that says why ("… too short for a number in TR"); the
 * caller adds the field ("identities.0.value"). A number must be *valid* for its country, not
 * only of a possible length, so a Saudi "050 555 1234" read as a US number is refused rather than
 * stored as +10505551234.
 */

let workspaceCountry: CountryCode = 'US';

/** The country national numbers are read in. Throws on a code libphonenumber does not know. */
export function setDefaultPhoneCountry(country: string): void {
  const code = country.toUpperCase();
  if (!isSupportedCountry(code)) throw new Error(`DEFAULT_PHONE_COUNTRY: ${country} is not an ISO 3166 country code with a phone plan`);
  workspaceCountry = code;
}

export function defaultPhoneCountry(): CountryCode {
  return workspaceCountry;
}

export const isPhoneCountry = (country: string) => isSupportedCountry(country.toUpperCase());

const PERSIAN_DIGITS = /[\u06f0-\u06f9]/g;
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;

/** Phones to E.164. Numbers without a country code are read as `defaultCountry` (the workspace's). */
export function normalizePhone(raw: string, defaultCountry: CountryCode = workspaceCountry): NormalizeResult {
  const ascii = raw
    .replace(PERSIAN_DIGITS, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x0660))
    .trim();
  if (!/\d/.test(ascii)) return { ok: false, reason: 'is not a phone number' };
  // "00 90 532 …" is "+90 532 …" everywhere but North America (whose "011" libphonenumber reads).
  const value = ascii.replace(/^\(?00[\s().-]*(?=[1-9])/, '+');
  const international = value.startsWith('+');
  const phone = parsePhoneNumberFromString(value, defaultCountry);
  const length = validatePhoneNumberLength(value, defaultCountry);
  if (length === 'INVALID_COUNTRY') return { ok: false, reason: 'is not a phone number: unknown country code' };
  const country = phone?.country ?? (international && phone ? `+${phone.countryCallingCode}` : defaultCountry);
  const where = international ? ` for ${country}` : ` for ${country} (no country code, so read in the workspace's default country)`;
  if (length === 'TOO_SHORT') return { ok: false, reason: `is not a phone number: too short${where}` };
  if (length === 'TOO_LONG') return { ok: false, reason: `is not a phone number: too long${where}` };
  if (!phone || !phone.isValid()) return { ok: false, reason: `is not a phone number: no such number${where}` };
  return { ok: true, normalized: phone.number };
}
