import { z } from 'zod';

/**
 * Inputs of the service metrics (docs/metrics.md). Dates are calendar days in `tz`, both
 * inclusive: `{from: '2026-11-01', to: '2026-11-30', tz: 'Asia/Tehran'}` is the whole of November
 * as an agent in Tehran sees it.
 */
export const metricsGroupBySchema = z.enum(['day', 'week', 'month']);
export type MetricsGroupBy = z.infer<typeof metricsGroupBySchema>;

/** An IANA zone (`Europe/Istanbul`) or a fixed offset (`+03:30`, `-05:00`, `UTC`). */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => isValidTimeZone(tz), { message: 'must be an IANA time zone like Europe/Istanbul or an offset like +03:30' });

export const metricsSummaryInputSchema = z
  .object({
    from: z.iso.date({ message: 'must be a date like 2026-11-01' }),
    to: z.iso.date({ message: 'must be a date like 2026-11-30' }),
    groupBy: metricsGroupBySchema.default('day'),
    tz: timeZoneSchema.default('UTC'),
    reopenWindowDays: z.number().int().min(1).max(365).default(7),
  })
  .refine((v) => v.from <= v.to, { message: 'must not be after `to`', path: ['from'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 3 * 366 * 86_400_000, { message: 'at most three years', path: ['to'] })
  .refine((v) => v.groupBy !== 'day' || Date.parse(v.to) - Date.parse(v.from) < 400 * 86_400_000, {
    message: 'at most 400 days when grouping by day',
    path: ['groupBy'],
  });
export type MetricsSummaryInput = z.input<typeof metricsSummaryInputSchema>;

export { FIXED_OFFSET } from './time-zone';
import { FIXED_OFFSET } from './time-zone';

export function isValidTimeZone(tz: string): boolean {
  const fixed = FIXED_OFFSET.exec(tz);
  if (fixed) return Number(fixed[2]) <= 14 && Number(fixed[3]) < 60;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
