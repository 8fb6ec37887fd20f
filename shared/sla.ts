import { FIXED_OFFSET } from './time-zone';
import type { BusinessCalendar, SlaPolicy } from './sla-schema';

// The zod schemas (calendar, policy) live in ./sla-schema: this file stays free of zod, so the
// sidebar's content scripts can run the clocks without bundling a validator (issue 20: size).
export type { BusinessCalendar, BusinessCalendarInput, SlaPolicy, WorkingPeriod } from './sla-schema';

/**
 * SLA clocks on a team's business calendar (issue 21): the one deadline function the API (queues,
 * breach lists, attainment) and the sidebar (the open ticket's clock) both call, so they never
 * disagree about when a reply is due.
 *
 * A calendar is a time zone, the working periods of each weekday in local wall-clock time (one or
 * more a day: split shifts, a Thursday half-day, nothing on the weekend), and holidays (local
 * dates). Targets are business minutes: only minutes inside a working period, outside a holiday
 * and outside a pause (the ticket was pending, waiting on the customer) count.
 *
 * Zone math is Intl's (the browser's and Node's own tz data, kept current by their updates); no
 * zone data is shipped here. A local time that does not exist (the hour skipped when clocks go
 * forward) or exists twice (the hour repeated when they go back) resolves the way Temporal's
 * `disambiguation: 'compatible'` does: forward through a gap, the earlier of a repeat.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span during which the clock stands still (ticket pending). `to: null` = still paused. */
export interface Pause {
  from: number;
  to: number | null;
}

/** A target longer than this (about a year of 24/7 minutes) is a typo, not a policy. */
export const MAX_TARGET_MINUTES = 525_600;

/** Days scanned for working time before a calendar is declared empty (every day a holiday). */
const MAX_DAYS_SCANNED = 3_700;
const MINUTE = 60_000;
const DAY = 86_400_000;

export class SlaCalendarError extends Error {}

export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

// ---------------------------------------------------------------------------------------------
// Zone math

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (fixed || timeZone === 'UTC') {
    const d = new Date(ms + fixedOffset(timeZone));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const out: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

function fixedOffset(timeZone: string): number {
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (!fixed) return 0;
  return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * MINUTE;
}

/** The zone's offset from UTC at instant `ms`, in ms (+03:30 → 12_600_000). */
export function zoneOffset(ms: number, timeZone: string): number {
  if (FIXED_OFFSET.test(timeZone) || timeZone === 'UTC') return fixedOffset(timeZone);
  const seconds = Math.floor(ms / 1000) * 1000;
  const p = localParts(seconds, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - seconds;
}

/** The instant of a local wall-clock time (`minuteOfDay` may be 1440: the next midnight). */
export function localTimeToInstant(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
  const before = zoneOffset(wall - DAY, timeZone);
  const after = zoneOffset(wall + DAY, timeZone);
  if (before === after) return wall - before;
  const early = wall - before;
  const late = wall - after;
  const earlyValid = zoneOffset(early, timeZone) === before;
  const lateValid = zoneOffset(late, timeZone) === after;
  if (earlyValid && lateValid) return Math.min(early, late); // a repeated hour: the first time round
  if (earlyValid) return early;
  if (lateValid) return late;
  return early; // a skipped hour: as many minutes later as the clock jumped
}

// ---------------------------------------------------------------------------------------------
// Working time

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

function nextDate(d: CivilDate): CivilDate {
  const n = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: n.getUTCFullYear(), month: n.getUTCMonth() + 1, day: n.getUTCDate() };
}

function isoDate(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

function weekdayOf(d: CivilDate): Weekday {
  return WEEKDAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()]!;
}

const holidaySets = new WeakMap<BusinessCalendar, Set<string>>();
function holidaysOf(calendar: BusinessCalendar): Set<string> {
  let set = holidaySets.get(calendar);
  if (!set) {
    set = new Set(calendar.holidays);
    holidaySets.set(calendar, set);
  }
  return set;
}

/** The calendar's working intervals `[start, end)` (UTC ms), in order, that end after `from`. */
function* openIntervals(calendar: BusinessCalendar, from: number): Generator<[number, number]> {
  const holidays = holidaysOf(calendar);
  // Start a day early: a period of the previous local day can still be open (a 24:00 end).
  const p = localParts(from - DAY, calendar.timeZone);
  let date: CivilDate = { year: p.year, month: p.month, day: p.day };
  let daysSinceOpen = 0;
  for (;;) {
    let any = false;
    if (!holidays.has(isoDate(date))) {
      const periods = [...calendar.week[weekdayOf(date)]].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
      for (const period of periods) {
        const start = localTimeToInstant(calendar.timeZone, date.year, date.month, date.day, minutesOf(period.start));
        const end = localTimeToInstant(calendar.timeZone, date.year, date.month, date.day, minutesOf(period.end));
        if (end <= start) continue; // a period that a clock change swallowed whole
        any = true;
        if (end > from) yield [Math.max(start, from), end];
      }
    }
    daysSinceOpen = any ? 0 : daysSinceOpen + 1;
    if (daysSinceOpen > MAX_DAYS_SCANNED) throw new SlaCalendarError('the calendar has no working time for ten years (every day closed or a holiday)');
    date = nextDate(date);
  }
}

function normalizePauses(pauses: readonly Pause[]): { from: number; to: number }[] {
  const sorted = pauses
    .map((p) => ({ from: p.from, to: p.to ?? Number.POSITIVE_INFINITY }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const p of sorted) {
    const last = merged.at(-1);
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else merged.push({ ...p });
  }
  return merged;
}

/** Working intervals with the pauses cut out, from `from` on. Ends when an open pause stops the clock for good. */
function* countedIntervals(calendar: BusinessCalendar, from: number, pauses: readonly Pause[]): Generator<[number, number]> {
  const cuts = normalizePauses(pauses);
  let k = 0;
  for (const [start, end] of openIntervals(calendar, from)) {
    let cursor = start;
    while (cursor < end) {
      while (k < cuts.length && cuts[k]!.to <= cursor) k++;
      const cut = cuts[k];
      if (!cut || cut.from >= end) {
        yield [cursor, end];
        break;
      }
      if (cut.from > cursor) yield [cursor, cut.from];
      if (cut.to === Number.POSITIVE_INFINITY) return;
      cursor = Math.max(cursor, cut.to);
    }
  }
}

/** Whether `at` is inside working hours (a period's start and end included), ignoring pauses. */
export function isWorkingTime(calendar: BusinessCalendar, at: number): boolean {
  for (const [start, end] of openIntervals(calendar, at - 1)) {
    return start <= at && at <= end;
  }
  return false;
}

/**
 * The instant at which `minutes` business minutes have passed since `start`. Null when the clock is
 * stopped for good before then (an open pause: the ticket is still pending).
 */
export function addBusinessMinutes(calendar: BusinessCalendar, start: number, minutes: number, pauses: readonly Pause[] = []): number | null {
  if (!(minutes >= 0)) throw new RangeError('minutes must be 0 or more');
  let left = minutes * MINUTE;
  if (left === 0) return start;
  for (const [from, to] of countedIntervals(calendar, start, pauses)) {
    if (to - from >= left) return from + left;
    left -= to - from;
  }
  return null;
}

/** Business minutes (fractional) between `from` and `to`, pauses excluded. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: number, to: number, pauses: readonly Pause[] = []): number {
  if (to <= from) return 0;
  let total = 0;
  for (const [start, end] of countedIntervals(calendar, from, pauses)) {
    if (start >= to) break;
    total += Math.min(end, to) - start;
  }
  return total / MINUTE;
}

/** Pending spans from a ticket's status history (oldest first): the clock stops while waiting on the customer. */
export function pendingPauses(history: readonly { at: number; toStatus: string }[]): Pause[] {
  const pauses: Pause[] = [];
  let since: number | null = null;
  for (const change of [...history].sort((a, b) => a.at - b.at)) {
    if (change.toStatus === 'pending' && since === null) since = change.at;
    else if (change.toStatus !== 'pending' && since !== null) {
      pauses.push({ from: since, to: change.at });
      since = null;
    }
  }
  if (since !== null) pauses.push({ from: since, to: null });
  return pauses;
}

/** Share of the target used at which the clock turns amber. */
export const WARNING_SHARE = 0.75;

export type SlaState = 'running' | 'warning' | 'breached' | 'paused' | 'met' | 'missed';

export interface SlaClock {
  /** Null while paused (the deadline moves once the customer answers). */
  deadline: number | null;
  targetMinutes: number;
  usedMinutes: number;
  /** usedMinutes / targetMinutes × 100, not capped (130 = 30% over). */
  percentUsed: number;
  /** Business minutes left until the deadline (negative once breached). */
  remainingMinutes: number;
  state: SlaState;
}

/**
 * One clock: started at `startedAt` (the ticket opened), stopped at `doneAt` (first response or
 * resolution) if it has been, read at `now`.
 */
export function slaClock(input: {
  calendar: BusinessCalendar;
  startedAt: number;
  targetMinutes: number;
  pauses?: readonly Pause[];
  now: number;
  doneAt?: number | null;
}): SlaClock {
  const pauses = input.pauses ?? [];
  const end = input.doneAt ?? input.now;
  const usedMinutes = businessMinutesBetween(input.calendar, input.startedAt, end, pauses);
  const deadline = addBusinessMinutes(input.calendar, input.startedAt, input.targetMinutes, pauses);
  const percentUsed = (usedMinutes / input.targetMinutes) * 100;
  const remainingMinutes = input.targetMinutes - usedMinutes;
  const pausedNow = pauses.some((p) => p.from <= end && (p.to === null || p.to > end));
  let state: SlaState;
  if (input.doneAt != null) state = usedMinutes <= input.targetMinutes ? 'met' : 'missed';
  else if (usedMinutes >= input.targetMinutes) state = 'breached';
  else if (pausedNow) state = 'paused';
  else if (usedMinutes >= input.targetMinutes * WARNING_SHARE) state = 'warning';
  else state = 'running';
  return { deadline, targetMinutes: input.targetMinutes, usedMinutes, percentUsed, remainingMinutes, state };
}

// ---------------------------------------------------------------------------------------------
// A ticket's two clocks

/** What a client needs to run a ticket's two clocks itself (the sidebar ticks them every second). */
export interface TicketSla {
  ticketId: number;
  teamId: number;
  calendar: BusinessCalendar;
  policyId: number | null;
  startedAt: string;
  /** Pending spans, epoch ms; `to: null` = still pending. */
  pauses: Pause[];
  firstResponse: { targetMinutes: number; doneAt: string | null } | null;
  resolution: { targetMinutes: number; doneAt: string | null } | null;
}

export interface TicketClocks {
  firstResponse: SlaClock | null;
  resolution: SlaClock | null;
}

/** Runs both clocks of a ticket at `now`. */
export function clocksOf(sla: TicketSla, now: number): TicketClocks {
  const startedAt = Date.parse(sla.startedAt);
  const run = (target: TicketSla['firstResponse']) =>
    target
      ? slaClock({ calendar: sla.calendar, startedAt, targetMinutes: target.targetMinutes, pauses: sla.pauses, now, doneAt: target.doneAt ? Date.parse(target.doneAt) : null })
      : null;
  return { firstResponse: run(sla.firstResponse), resolution: run(sla.resolution) };
}

/** The clock that matters now: the first response until there is one, then resolution. */
export function currentClock(clocks: TicketClocks): { kind: 'firstResponse' | 'resolution'; clock: SlaClock } | null {
  if (clocks.firstResponse && clocks.firstResponse.state !== 'met' && clocks.firstResponse.state !== 'missed') return { kind: 'firstResponse', clock: clocks.firstResponse };
  if (clocks.resolution) return { kind: 'resolution', clock: clocks.resolution };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Policies: which targets apply to a ticket

export const ANY = '*';
/** The most specific policy: channel and priority, then channel, then priority, then the default. */
export function choosePolicy<P extends SlaPolicy>(policies: readonly P[], ticket: { channel: string; priority: string }): P | null {
  const score = (p: P) => (p.channel === ticket.channel ? 2 : p.channel === ANY ? 0 : -10) + (p.priority === ticket.priority ? 1 : p.priority === ANY ? 0 : -10);
  let best: P | null = null;
  for (const p of policies) {
    if (score(p) < 0) continue;
    if (!best || score(p) > score(best)) best = p;
  }
  return best;
}
