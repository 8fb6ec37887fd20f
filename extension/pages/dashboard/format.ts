import { formatDate } from '../../i18n';

/** Numbers for the dashboard's tables and CSV files (the screen formats them through i18n). */

const HOUR = 3_600_000;

export const toHours = (ms: number | null): number | null => (ms === null ? null : Math.round((ms / HOUR) * 100) / 100);
export const round1 = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

/**
 * A bucket's calendar label (`2026-11-03`, or `2026-11` for months) as the agent reads dates: in
 * their digits and calendar. Months are Gregorian months (that is what the API groups by), so
 * they are named in the Gregorian calendar whatever the setting, or a Solar Hijri reader would
 * see one label for a period that spans two of their months.
 */
export function bucketLabel(key: string, groupBy: 'day' | 'week' | 'month'): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return formatDate(new Date(Number(month[1]), Number(month[2]) - 1, 15), { year: 'numeric', month: 'short', calendar: 'gregory' });
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!day) return key;
  const date = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), 12);
  return formatDate(date, groupBy === 'day' ? { month: 'short', day: 'numeric', weekday: 'short' } : { month: 'short', day: 'numeric' });
}

/** yyyy-mm-dd of a local calendar day `daysAgo` before today. */
export function localDate(daysAgo = 0, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
