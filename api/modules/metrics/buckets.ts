import { sql, type RawBuilder } from 'kysely';
import { FIXED_OFFSET, type MetricsGroupBy } from '@shared/metrics';

/**
 * Calendar buckets in a time zone, as UTC instants (docs/metrics.md, "Time zones").
 *
 * The boundaries (local midnights, Mondays, first days of months) are worked out here with Intl,
 * which knows every IANA zone and its daylight-saving rules; SQLite knows none, so the database
 * only ever compares epoch-millisecond columns with these instants (`bucketIndexSql`). The same
 * SQL then runs on both databases and a day that is 23 or 25 hours long is bucketed right.
 */

const DAY = 86_400_000;

export interface BucketPlan {
  tz: string;
  groupBy: MetricsGroupBy;
  /** First instant of the range (local midnight of `from`). */
  start: number;
  /** First instant after the range (local midnight after `to`). */
  end: number;
  /** The same number of local days just before the range (the "last period" of rising topics, retention). */
  previousStart: number;
  /** Bucket i covers [starts[i], starts[i + 1] ?? end). */
  starts: number[];
  /** The local calendar label of each bucket: 2026-11-03 (day, week = its first day in range) or 2026-11 (month). */
  keys: string[];
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Milliseconds to add to a UTC instant to read the wall clock in `tz` at that instant. */
export function utcOffsetAt(tz: string, instant: number): number {
  const fixed = FIXED_OFFSET.exec(tz);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
  if (tz === 'UTC') return 0;
  const p = localParts(tz, instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function localParts(tz: string, instant: number): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The local calendar date of an instant in `tz`, as days since 1970-01-01. */
export function localDayNumber(tz: string, instant: number): number {
  return Math.floor((instant + utcOffsetAt(tz, instant)) / DAY);
}

/**
 * The first instant of a local calendar day (days since 1970-01-01). Usually local 00:00; where a
 * daylight-saving jump skips midnight (clocks go 23:59:59 -> 01:00), the day starts at the jump.
 */
export function startOfLocalDay(tz: string, dayNumber: number): number {
  const wall = dayNumber * DAY;
  const candidates = [utcOffsetAt(tz, wall - DAY), utcOffsetAt(tz, wall), utcOffsetAt(tz, wall + DAY)].map((o) => wall - o);
  const valid = candidates.filter((t) => localDayNumber(tz, t) === dayNumber && localDayNumber(tz, t - 1) < dayNumber);
  if (valid.length) return Math.min(...valid);
  // A gap at midnight: search the first instant whose local date is the day (to the second).
  let lo = Math.min(...candidates) - 3 * 3_600_000;
  let hi = Math.max(...candidates) + 3 * 3_600_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (localDayNumber(tz, mid) >= dayNumber) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * `startOfLocalDay` for every day in [firstDay, lastDay], about 5× faster than calling it per day:
 * the offset is sampled once per day (at UTC noon) and a day far from any offset change starts at
 * its wall-clock midnight minus that offset; only days next to a change take the full search.
 */
export function localDayStarts(tz: string, firstDay: number, lastDay: number): number[] {
  const noonOffset: number[] = [];
  for (let d = firstDay - 2; d <= lastDay + 1; d++) noonOffset.push(utcOffsetAt(tz, d * DAY + DAY / 2));
  const starts: number[] = [];
  for (let d = firstDay; d <= lastDay; d++) {
    const i = d - firstDay + 2;
    const o = noonOffset[i]!;
    // Local midnight of day d lies within 14 h of UTC midnight (offsets run from −12 h to +14 h),
    // so between the noons of d − 2 and d + 1; if the offset is the same at all four, no change
    // lies near it (two changes are never a day apart).
    const steady = noonOffset[i - 2] === o && noonOffset[i - 1] === o && noonOffset[i + 1] === o;
    starts.push(steady ? d * DAY - o : startOfLocalDay(tz, d));
  }
  return starts;
}

const dayNumberOf = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY);
const isoDateOf = (dayNumber: number) => new Date(dayNumber * DAY).toISOString().slice(0, 10);

export function planBuckets(input: { from: string; to: string; groupBy: MetricsGroupBy; tz: string }): BucketPlan {
  const first = dayNumberOf(input.from);
  const last = dayNumberOf(input.to);
  const startDays: number[] = [first];
  for (let d = first + 1; d <= last; d++) {
    const date = new Date(d * DAY);
    const isStart =
      input.groupBy === 'day' ||
      (input.groupBy === 'week' && date.getUTCDay() === 1) || // weeks start on Monday (ISO 8601)
      (input.groupBy === 'month' && date.getUTCDate() === 1);
    if (isStart) startDays.push(d);
  }
  const start = startOfLocalDay(input.tz, first);
  const end = startOfLocalDay(input.tz, last + 1);
  return {
    tz: input.tz,
    groupBy: input.groupBy,
    start,
    end,
    // The same number of local calendar days before the range (not the same number of hours: a
    // range over a daylight-saving change is an hour longer or shorter, and the previous period
    // should still start at a local midnight, which the zone rollups need).
    previousStart: startOfLocalDay(input.tz, first - (last + 1 - first)),
    starts: startDays.map((d) => startOfLocalDay(input.tz, d)),
    keys: startDays.map((d) => (input.groupBy === 'month' ? isoDateOf(d).slice(0, 7) : isoDateOf(d))),
  };
}

/**
 * SQL for "which bucket is this instant in": a balanced tree of CASE comparisons (about log2 of
 * the bucket count per row), identical on SQLite and PostgreSQL. Instants before the first
 * bucket give -1 (the previous period); callers filter rows to [previousStart or start, end).
 * The boundaries are integers this module computed, inlined as literals (never user text).
 */
export function bucketIndexSql(column: string, plan: BucketPlan): RawBuilder<number> {
  const starts = plan.starts;
  for (const s of starts) if (!Number.isSafeInteger(s)) throw new Error(`bucket boundary ${s} is not an integer`);
  const build = (lo: number, hi: number): string => {
    // Buckets lo..hi (inclusive); the value is known to be >= starts[lo] (or anything for lo = 0).
    if (lo === hi) return String(lo);
    const mid = Math.ceil((lo + hi) / 2);
    return `case when ${column} < ${starts[mid]} then ${build(lo, mid - 1)} else ${build(mid, hi)} end`;
  };
  return sql.raw<number>(`(case when ${column} < ${starts[0]} then -1 else ${build(0, starts.length - 1)} end)`);
}
