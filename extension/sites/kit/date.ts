import type { Review } from '@shared/page-context';
import { LIMITS } from '@shared/limits';
import { asciiDigits } from './rating';
import { cleanLine, truncate } from './text';

export type ReviewDate = Review['date'];

const MONTHS: Record<string, number> = {};
const MONTH_NAMES: string[][] = [
  // en, es, it, fr, de, pt, tr, nl, ar (Egyptian/Gulf month names)
  ['january', 'jan', 'enero', 'ene', 'gennaio', 'gen', 'janvier', 'janv', 'januar', 'janeiro', 'ocak', 'oca', 'januari', 'يناير'],
  ['february', 'feb', 'febrero', 'febbraio', 'février', 'fevrier', 'févr', 'februar', 'fevereiro', 'fev', 'şubat', 'şub', 'subat', 'februari', 'فبراير'],
  ['march', 'mar', 'marzo', 'mars', 'märz', 'marz', 'mär', 'março', 'marco', 'mart', 'maart', 'mrt', 'مارس'],
  ['april', 'apr', 'abril', 'abr', 'aprile', 'avril', 'avr', 'nisan', 'nis', 'أبريل', 'ابريل', 'إبريل'],
  ['may', 'mayo', 'maggio', 'mag', 'mai', 'maio', 'mayıs', 'mayis', 'mei', 'مايو'],
  ['june', 'jun', 'junio', 'giugno', 'giu', 'juin', 'juni', 'junho', 'haziran', 'haz', 'يونيو'],
  ['july', 'jul', 'julio', 'luglio', 'lug', 'juillet', 'juil', 'juli', 'julho', 'temmuz', 'tem', 'يوليو'],
  ['august', 'aug', 'agosto', 'ago', 'août', 'aout', 'ağustos', 'agustos', 'ağu', 'augustus', 'أغسطس', 'اغسطس'],
  ['september', 'sep', 'sept', 'septiembre', 'set', 'settembre', 'septembre', 'setembro', 'eylül', 'eylul', 'eyl', 'سبتمبر'],
  ['october', 'oct', 'octubre', 'ottobre', 'ott', 'octobre', 'oktober', 'okt', 'outubro', 'out', 'ekim', 'eki', 'أكتوبر', 'اكتوبر'],
  ['november', 'nov', 'noviembre', 'novembre', 'novembro', 'kasım', 'kasim', 'kas', 'نوفمبر'],
  ['december', 'dec', 'diciembre', 'dic', 'dicembre', 'décembre', 'decembre', 'déc', 'dezember', 'dez', 'dezembro', 'aralık', 'aralik', 'ara', 'ديسمبر'],
];
MONTH_NAMES.forEach((names, index) => names.forEach((name) => (MONTHS[name] = index + 1)));

const pad = (n: number) => String(n).padStart(2, '0');

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Day and month (and year when shown) out of a localized date text, e.g. "21 Mayıs 20:46". */
export function parseDayMonth(raw: string): { day: number; month: number; year: number | null } | null {
  const text = asciiDigits(raw).toLocaleLowerCase('tr').replace(/\./g, ' ');
  const words = text.match(/[\p{L}]+/gu) ?? [];
  let month: number | undefined;
  for (const word of words) {
    const found = MONTHS[word] ?? MONTHS[word.normalize('NFD').replace(/[\u0300-\u036f]/g, '')];
    if (found) {
      month = found;
      break;
    }
  }
  if (!month) return null;
  // Times ("20:46") are not days or years.
  const numbers = [...text.replace(/\d{1,2}:\d{2}(:\d{2})?/g, ' ').matchAll(/\d+/g)].map((m) => Number(m[0]));
  const year = numbers.find((n) => n >= 1990 && n <= 2100) ?? null;
  const day = numbers.find((n) => n >= 1 && n <= 31);
  if (day === undefined) return null;
  return { day, month, year };
}

/**
 * A date as the schema wants it. ISO strings pass through; localized month-name dates with a
 * year become YYYY-MM-DD; a date without a year keeps `iso: null, yearKnown: false`; relative
 * dates ("2 months ago") are kept raw only.
 */
export function makeDate(raw: string | null | undefined, iso?: string | null): ReviewDate {
  const rawText = raw ? cleanLine(raw, LIMITS.raw) || null : null;
  const isoValue = iso ? normalizeIso(iso) : null;
  if (isoValue) return { iso: isoValue, raw: rawText, yearKnown: true };
  if (!rawText) return { iso: null, raw: null, yearKnown: false };
  const asIso = normalizeIso(rawText);
  if (asIso) return { iso: asIso, raw: rawText, yearKnown: true };
  const parts = parseDayMonth(rawText);
  if (parts?.year && validDay(parts.year, parts.month, parts.day)) {
    return { iso: `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`, raw: rawText, yearKnown: true };
  }
  return { iso: null, raw: rawText, yearKnown: false };
}

/** A bounded ISO date or date-time, or null when `value` is not one. */
export function normalizeIso(value: string): string | null {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (!validDay(y, m, d)) return null;
  return truncate(text.replace(' ', 'T'), LIMITS.iso);
}
