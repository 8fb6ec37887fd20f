/** Number formatting for the dashboard: durations in the unit that reads best, rates as percentages. */

const HOUR = 3_600_000;

export const toHours = (ms: number | null): number | null => (ms === null ? null : Math.round((ms / HOUR) * 100) / 100);
export const round1 = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

export function durationText(ms: number | null, locale = 'en'): string {
  if (ms === null) return '—';
  const n = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  if (ms < HOUR) return `${n(ms / 60_000)} min`;
  if (ms < 48 * HOUR) return `${n(ms / HOUR)} h`;
  return `${n(ms / (24 * HOUR))} d`;
}

export function percentText(value: number | null, locale = 'en'): string {
  return value === null ? '—' : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)}%`;
}

export function scoreText(value: number | null, locale = 'en'): string {
  return value === null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
}

/** yyyy-mm-dd of a local calendar day `daysAgo` before today. */
export function localDate(daysAgo = 0, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
