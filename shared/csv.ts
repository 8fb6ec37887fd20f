/**
 * CSV as RFC 4180 describes it: fields separated by commas, records by CRLF; a field holding a
 * comma, a double quote, CR or LF is wrapped in double quotes with inner quotes doubled.
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first) is prefixed with
 * an apostrophe (OWASP "CSV injection"): customer names and ticket subjects come from outside.
 * Numbers are written as numbers, so a negative NPS stays a number.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
