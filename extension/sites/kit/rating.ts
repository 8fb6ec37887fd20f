import type { Review } from '@shared/page-context';

/** Arabic-Indic and Persian digits to ASCII, Arabic decimal separator to a dot. */
export function asciiDigits(value: string): string {
  return value
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, '.');
}

/** "4,5" / "4.5" / 4.5 → 4.5; anything else → null. */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /-?\d+(?:[.,]\d+)?/.exec(asciiDigits(value));
  if (!match) return null;
  const number = Number(match[0].replace(',', '.'));
  return Number.isFinite(number) ? number : null;
}

export type Rating = NonNullable<Review['rating']>;

/** A rating when value, best and worst make sense together (worst ≤ value ≤ best), else null. */
export function makeRating(value: unknown, best: unknown = 5, worst: unknown = 1): Rating | null {
  const v = parseNumber(value);
  const b = parseNumber(best) ?? 5;
  const w = parseNumber(worst) ?? 1;
  // Below the scale (e.g. 0 stars meaning "not rated") or above it: not a rating we can trust.
  if (v === null || v < w || v > b || b <= w) return null;
  return { value: v, best: b, worst: w };
}

/**
 * Reads a star rating out of a label: "5.0 out of 5 stars", "5,0 de 5 estrellas",
 * "Valutata 5 stelle su 5", "5 stars", "٥ نجوم". The first number is the value; a second
 * number is the scale, otherwise the scale is 5 (every site here rates out of five).
 */
export function ratingFromLabel(label: string | null | undefined): Rating | null {
  if (!label) return null;
  const numbers = [...asciiDigits(label).matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => Number(m[0].replace(',', '.')));
  if (numbers.length === 0) return null;
  const [value, scale] = numbers;
  if (value === undefined) return null;
  const best = scale !== undefined && scale >= value && scale <= 10 ? scale : 5;
  return makeRating(value, best, 1);
}
