import { z } from 'zod';
import { timeZoneSchema } from './metrics';
import { lineText } from './text-schema';
import { MAX_TARGET_MINUTES, minutesOf, WEEKDAYS } from './sla';

/**
 * The validation half of shared/sla.ts (issue 21's calendars and policies): the API and the
 * background validate with these; the clocks themselves (shared/sla.ts) need no zod.
 */

const clockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'must be a 24-hour time like 09:00 (24:00 ends a day)' });

/** `[start, end)` in local wall-clock time. A night shift over midnight is two periods: 22:00–24:00 and 00:00–06:00 the next day. */
export const workingPeriodSchema = z
  .object({ start: clockTime, end: clockTime })
  .refine((p) => minutesOf(p.start) < minutesOf(p.end), { message: 'must be after start', path: ['end'] });
export type WorkingPeriod = z.infer<typeof workingPeriodSchema>;

const dayPeriods = z
  .array(workingPeriodSchema)
  .max(8)
  .default([])
  .refine(
    (periods) => [...periods].sort((a, b) => minutesOf(a.start) - minutesOf(b.start)).every((p, i, all) => i === 0 || minutesOf(all[i - 1]!.end) <= minutesOf(p.start)),
    { message: 'working periods of one day must not overlap' },
  );

export const businessCalendarSchema = z
  .object({
    timeZone: timeZoneSchema,
    week: z.object({ sun: dayPeriods, mon: dayPeriods, tue: dayPeriods, wed: dayPeriods, thu: dayPeriods, fri: dayPeriods, sat: dayPeriods }),
    holidays: z.array(z.iso.date({ message: 'must be a date like 2026-03-21' })).max(500).default([]),
  })
  .refine((c) => WEEKDAYS.some((d) => c.week[d].length > 0), { message: 'at least one day needs working hours', path: ['week'] });
export type BusinessCalendar = z.infer<typeof businessCalendarSchema>;
export type BusinessCalendarInput = z.input<typeof businessCalendarSchema>;

export const targetMinutesSchema = z.number().int().min(1, 'must be at least 1 minute').max(MAX_TARGET_MINUTES, 'must be at most 525600 minutes (a year)');

export const slaPolicySchema = z.object({
  /** A ticket channel (`email`, `x`, `review` …) or `*` for any. */
  channel: lineText(40),
  priority: z.enum(['*', 'low', 'normal', 'high', 'urgent']),
  firstResponseMinutes: targetMinutesSchema,
  resolutionMinutes: targetMinutesSchema,
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** A Monday–Friday 09:00–17:00 UTC calendar: what a team has until its lead sets one. */
export const DEFAULT_CALENDAR: BusinessCalendar = businessCalendarSchema.parse({
  timeZone: 'UTC',
  week: {
    mon: [{ start: '09:00', end: '17:00' }],
    tue: [{ start: '09:00', end: '17:00' }],
    wed: [{ start: '09:00', end: '17:00' }],
    thu: [{ start: '09:00', end: '17:00' }],
    fri: [{ start: '09:00', end: '17:00' }],
  },
});
