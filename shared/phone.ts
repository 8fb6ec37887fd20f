import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { NormalizeResult } from './normalize';

/** Phones to E.164. Numbers without a country code are read as `defaultCountry`. */
export function normalizePhone(raw: string, defaultCountry: 'US' | 'TR' | 'SA' | 'IR' | 'GB' | 'AE' | 'EG' = 'US'): NormalizeResult {
  const phone = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (!phone || !phone.isPossible()) return { ok: false, reason: 'is not a phone number' };
  return { ok: true, normalized: phone.number };
}

