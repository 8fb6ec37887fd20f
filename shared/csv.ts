/**
 * CSV as RFC 4180 describes it: fields separated by commas, records by CRLF; a field holding a
 * comma, a double quote, CR or LF is wrapped in double quotes with inner quotes doubled.
 * Numbers are written as numbers, so a negative NPS stays a number.
 *
 * Formula guard (OWASP "CSV injection"; customer names, tags and ticket subjects come from
 * outside): a spreadsheet runs a cell as a formula when it starts with `=`, `+`, `-`, `@`, tab
 * or CR. And it does not only split on commas: a spreadsheet set to a semicolon locale (most of
 * Europe) or pasting tab-separated text splits `vip;=HYPERLINK(…)` into a harmless cell and a
 * formula, and a line break starts a new row. So every place a spreadsheet could start a cell —
 * the start of the text and right after `,` `;` tab, CR or LF, spaces skipped — that is followed
 * by a formula character gets an apostrophe there: `vip;'=HYPERLINK(…)`. Apostrophes already in
 * that place get one more (`'=x` is written `''=x`), so `unguardCsvText` undoes exactly what was
 * added and an export re-imports unchanged, while an apostrophe anywhere else ("'Tis") is data.
 */
export type CsvValue = string | number | boolean | null | undefined;

const SEPARATORS = new Set([',', ';', '\t', '\r', '\n']);
const TRIGGER = /[=+\-@\t\r]/;
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Where the guard apostrophe goes: after each cell start and its spaces, when what follows is
 * apostrophes (maybe none) and a formula character. `guarded` asks for at least one apostrophe
 * (the guard's own, for the import).
 */
function guardPlaces(text: string, guarded: boolean): number[] {
  const places: number[] = [];
  if (!TRIGGER.test(text)) return places;
  for (let start = 0; start <= text.length; start++) {
    if (start > 0 && !SEPARATORS.has(text[start - 1]!)) continue;
    let i = start;
    while (text[i] === ' ') i++;
    const place = i;
    while (text[i] === "'") i++;
    if ((!guarded || i > place) && i < text.length && FORMULA_START.has(text[i]!)) places.push(place);
  }
  return places;
}

export function guardCsvText(text: string): string {
  const places = guardPlaces(text, false);
  if (!places.length) return text;
  let out = '';
  let from = 0;
  for (const place of places) {
    out += `${text.slice(from, place)}'`;
    from = place;
  }
  return out + text.slice(from);
}

/** The inverse of `guardCsvText`, for the import: removes the guard's apostrophe at each cell start. */
export function unguardCsvText(text: string): string {
  if (!text.includes("'")) return text;
  const places = guardPlaces(text, true);
  if (!places.length) return text;
  let out = '';
  let from = 0;
  for (const place of places) {
    out += text.slice(from, place);
    from = place + 1;
  }
  return out + text.slice(from);
}

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = guardCsvText(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
