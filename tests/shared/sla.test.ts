import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  choosePolicy,
  isWorkingTime,
  localTimeToInstant,
  pendingPauses,
  slaClock,
  WEEKDAYS,
  type BusinessCalendar,
  type BusinessCalendarInput,
  type Pause,
  type SlaPolicy,
} from '@shared/sla';
import { businessCalendarSchema } from '@shared/sla-schema';

const p = (start: string, end: string) => ({ start, end });
const cal = (input: BusinessCalendarInput): BusinessCalendar => businessCalendarSchema.parse(input);
const days = (names: readonly string[], periods: { start: string; end: string }[]) => Object.fromEntries(names.map((d) => [d, periods]));
const t = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad time in a test case: ${iso}`);
  return ms;
};

const nineToFive = [p('09:00', '17:00')];
/** Turkey / Europe: Monday–Friday. Istanbul has been UTC+03:00 all year since 2016. */
const istanbul = cal({ timeZone: 'Europe/Istanbul', week: days(['mon', 'tue', 'wed', 'thu', 'fri'], nineToFive) });
/** Iran: Saturday–Wednesday, Thursday a half-day, Friday closed; Tehran is UTC+03:30 (no DST since 2022). */
const tehran = cal({
  timeZone: 'Asia/Tehran',
  week: { ...days(['sat', 'sun', 'mon', 'tue', 'wed'], [p('08:00', '16:00')]), thu: [p('08:00', '12:00')] },
});
/** Gulf: Sunday–Thursday. */
const riyadh = cal({ timeZone: 'Asia/Riyadh', week: days(['sun', 'mon', 'tue', 'wed', 'thu'], nineToFive) });
const riyadhHoliday = cal({ ...riyadh, holidays: ['2026-12-06', '2026-09-23'] });
const riyadhEid = cal({ ...riyadh, holidays: ['2026-12-06', '2026-12-07', '2026-12-08'] });
/** A split shift: morning and evening, closed in the afternoon heat. */
const riyadhSplit = cal({ timeZone: 'Asia/Riyadh', week: days(['sun', 'mon', 'tue', 'wed', 'thu'], [p('09:00', '13:00'), p('16:00', '20:00')]) });
/** Nepal works Sunday–Friday; UTC+05:45. */
const kathmandu = cal({ timeZone: 'Asia/Kathmandu', week: days(['sun', 'mon', 'tue', 'wed', 'thu', 'fri'], [p('10:00', '17:00')]) });
const fixedTehran = cal({ ...tehran, timeZone: '+03:30' });
/** Europe/Istanbul's neighbours change clocks: EET (+02) ↔ EEST (+03) on the last Sundays of March and October. */
const athens = cal({ timeZone: 'Europe/Athens', week: days(['mon', 'tue', 'wed', 'thu', 'fri'], nineToFive) });
const bucharest247 = cal({ timeZone: 'Europe/Bucharest', week: days(WEEKDAYS, [p('00:00', '24:00')]) });
const athensNightSunday = cal({ timeZone: 'Europe/Athens', week: { sun: [p('02:00', '06:00')] } });

interface Case {
  name: string;
  calendar: BusinessCalendar;
  start: string;
  minutes: number;
  pauses?: { from: string; to: string | null }[];
  want: string | null;
}

const cases = [
  // Monday–Friday, Istanbul (2026-12-04 is a Friday)
  { name: 'Friday 16:30 + 1 h → Monday 09:30', calendar: istanbul, start: '2026-12-04T16:30+03:00', minutes: 60, want: '2026-12-07T09:30+03:00' },
  { name: 'inside one day', calendar: istanbul, start: '2026-12-07T10:00+03:00', minutes: 60, want: '2026-12-07T11:00+03:00' },
  { name: 'opened on Saturday → counts from Monday 09:00', calendar: istanbul, start: '2026-12-05T12:00+03:00', minutes: 30, want: '2026-12-07T09:30+03:00' },
  { name: 'opened before opening time', calendar: istanbul, start: '2026-12-07T08:00+03:00', minutes: 30, want: '2026-12-07T09:30+03:00' },
  { name: 'opened at closing time → next morning', calendar: istanbul, start: '2026-12-07T17:00+03:00', minutes: 1, want: '2026-12-08T09:01+03:00' },
  { name: 'ends exactly at closing time', calendar: istanbul, start: '2026-12-07T16:59+03:00', minutes: 1, want: '2026-12-07T17:00+03:00' },
  { name: 'a whole working day', calendar: istanbul, start: '2026-12-07T09:00+03:00', minutes: 480, want: '2026-12-07T17:00+03:00' },
  { name: 'a working day and a minute', calendar: istanbul, start: '2026-12-07T09:00+03:00', minutes: 481, want: '2026-12-08T09:01+03:00' },
  { name: 'a working week', calendar: istanbul, start: '2026-12-07T09:00+03:00', minutes: 2400, want: '2026-12-11T17:00+03:00' },
  { name: 'zero minutes is the start', calendar: istanbul, start: '2026-12-07T10:00+03:00', minutes: 0, want: '2026-12-07T10:00+03:00' },
  // Iran: Saturday–Wednesday, Thursday half-day
  { name: 'Thursday half-day: 11:00 + 2 h → Saturday 09:00', calendar: tehran, start: '2026-12-03T11:00+03:30', minutes: 120, want: '2026-12-05T09:00+03:30' },
  { name: 'Wednesday 15:00 + 2 h → Thursday 09:00', calendar: tehran, start: '2026-12-02T15:00+03:30', minutes: 120, want: '2026-12-03T09:00+03:30' },
  { name: 'Friday is closed in Iran', calendar: tehran, start: '2026-12-04T10:00+03:30', minutes: 30, want: '2026-12-05T08:30+03:30' },
  { name: 'Thursday noon is closing time', calendar: tehran, start: '2026-12-03T12:00+03:30', minutes: 1, want: '2026-12-05T08:01+03:30' },
  { name: 'UTC+03:30: 04:00Z Saturday is 07:30 in Tehran', calendar: tehran, start: '2026-12-05T04:00:00Z', minutes: 45, want: '2026-12-05T05:15:00Z' },
  { name: 'fixed offset +03:30 gives the same answer', calendar: fixedTehran, start: '2026-12-05T04:00:00Z', minutes: 45, want: '2026-12-05T05:15:00Z' },
  { name: 'a full Iranian week: 5 × 8 h + 4 h', calendar: tehran, start: '2026-12-05T08:00+03:30', minutes: 2640, want: '2026-12-10T12:00+03:30' },
  // Gulf: Sunday–Thursday
  { name: 'Gulf Thursday 16:00 + 2 h → Sunday 10:00', calendar: riyadh, start: '2026-12-03T16:00+03:00', minutes: 120, want: '2026-12-06T10:00+03:00' },
  { name: 'Gulf Friday → Sunday', calendar: riyadh, start: '2026-12-04T11:00+03:00', minutes: 60, want: '2026-12-06T10:00+03:00' },
  { name: 'a holiday Sunday is skipped', calendar: riyadhHoliday, start: '2026-12-03T16:00+03:00', minutes: 120, want: '2026-12-07T10:00+03:00' },
  { name: 'National Day (Wednesday) is skipped', calendar: riyadhHoliday, start: '2026-09-22T16:30+03:00', minutes: 60, want: '2026-09-24T09:30+03:00' },
  { name: 'three holidays in a row', calendar: riyadhEid, start: '2026-12-03T16:00+03:00', minutes: 120, want: '2026-12-09T10:00+03:00' },
  // Split shift
  { name: 'split shift: the afternoon break does not count', calendar: riyadhSplit, start: '2026-12-06T12:00+03:00', minutes: 120, want: '2026-12-06T17:00+03:00' },
  { name: 'opened during the break → evening shift', calendar: riyadhSplit, start: '2026-12-06T13:30+03:00', minutes: 30, want: '2026-12-06T16:30+03:00' },
  { name: 'evening shift runs into the next morning', calendar: riyadhSplit, start: '2026-12-06T19:30+03:00', minutes: 60, want: '2026-12-07T09:30+03:00' },
  { name: 'both shifts of a day', calendar: riyadhSplit, start: '2026-12-06T09:00+03:00', minutes: 480, want: '2026-12-06T20:00+03:00' },
  // UTC+05:45
  { name: 'Kathmandu Friday 16:00 + 2 h → Sunday 11:00', calendar: kathmandu, start: '2026-12-04T16:00+05:45', minutes: 120, want: '2026-12-06T11:00+05:45' },
  { name: 'UTC+05:45: 04:00Z is 09:45 in Kathmandu', calendar: kathmandu, start: '2026-12-07T04:00:00Z', minutes: 30, want: '2026-12-07T04:45:00Z' },
  // Across DST changes
  { name: 'Athens: Friday 16:30 + 1 h over spring-forward → Monday 09:30 EEST', calendar: athens, start: '2027-03-26T16:30+02:00', minutes: 60, want: '2027-03-29T09:30+03:00' },
  { name: 'Athens: Friday 16:30 + 1 h over fall-back → Monday 09:30 EET', calendar: athens, start: '2026-10-23T16:30+03:00', minutes: 60, want: '2026-10-26T09:30+02:00' },
  { name: 'Bucharest 24/7: the skipped hour is not counted', calendar: bucharest247, start: '2027-03-27T23:00+02:00', minutes: 240, want: '2027-03-28T04:00+03:00' },
  { name: 'Bucharest 24/7: the repeated hour counts twice', calendar: bucharest247, start: '2026-10-24T23:00+03:00', minutes: 360, want: '2026-10-25T04:00+02:00' },
  { name: 'night shift 02:00–06:00 on spring-forward day is 3 real hours', calendar: athensNightSunday, start: '2027-03-28T02:00+02:00', minutes: 180, want: '2027-03-28T06:00+03:00' },
  { name: 'one minute more → the next Sunday night', calendar: athensNightSunday, start: '2027-03-28T02:00+02:00', minutes: 181, want: '2027-04-04T02:01+03:00' },
  // Pauses (ticket pending)
  { name: 'a pause during the day moves the deadline', calendar: istanbul, start: '2026-12-07T10:00+03:00', minutes: 120, pauses: [{ from: '2026-12-07T10:30+03:00', to: '2026-12-07T11:30+03:00' }], want: '2026-12-07T13:00+03:00' },
  { name: 'overlapping pauses count once', calendar: istanbul, start: '2026-12-07T10:00+03:00', minutes: 120, pauses: [{ from: '2026-12-07T10:30+03:00', to: '2026-12-07T11:00+03:00' }, { from: '2026-12-07T10:45+03:00', to: '2026-12-07T11:30+03:00' }], want: '2026-12-07T13:00+03:00' },
  { name: 'a pause over the weekend only costs Monday morning', calendar: istanbul, start: '2026-12-04T16:00+03:00', minutes: 120, pauses: [{ from: '2026-12-04T16:30+03:00', to: '2026-12-07T10:00+03:00' }], want: '2026-12-07T11:30+03:00' },
  { name: 'a pause before the start changes nothing', calendar: istanbul, start: '2026-12-07T10:00+03:00', minutes: 60, pauses: [{ from: '2026-12-04T10:00+03:00', to: '2026-12-04T12:00+03:00' }], want: '2026-12-07T11:00+03:00' },
  { name: 'still pending → no deadline yet', calendar: istanbul, start: '2026-12-07T10:00+03:00', minutes: 120, pauses: [{ from: '2026-12-07T10:30+03:00', to: null }], want: null },
  { name: 'still pending but the target was met before the pause', calendar: istanbul, start: '2026-12-07T10:00+03:00', minutes: 20, pauses: [{ from: '2026-12-07T10:30+03:00', to: null }], want: '2026-12-07T10:20+03:00' },
] satisfies Case[];

describe('addBusinessMinutes', () => {
  test.each(cases)('$name', ({ calendar, start, minutes, pauses, want }) => {
    const ps: Pause[] = (pauses ?? []).map((x) => ({ from: t(x.from), to: x.to === null ? null : t(x.to) }));
    const got = addBusinessMinutes(calendar, t(start), minutes, ps);
    expect(got === null ? null : new Date(got).toISOString()).toBe(want === null ? null : new Date(t(want)).toISOString());
  });

  test('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
});

describe('local times', () => {
  test.each([
    { zone: 'Europe/Athens', date: [2027, 3, 28, 3 * 60 + 30], want: '2027-03-28T04:30+03:00', why: 'skipped hour → forward' },
    { zone: 'Europe/Athens', date: [2026, 10, 25, 3 * 60 + 30], want: '2026-10-25T03:30+03:00', why: 'repeated hour → first time round' },
    { zone: 'Asia/Kathmandu', date: [2026, 12, 7, 0], want: '2026-12-07T00:00+05:45', why: 'quarter-hour offset' },
    { zone: 'Asia/Tehran', date: [2026, 12, 7, 24 * 60], want: '2026-12-08T00:00+03:30', why: '24:00 is the next midnight' },
  ] as const)('$zone $date: $why', ({ zone, date, want }) => {
    expect(new Date(localTimeToInstant(zone, date[0], date[1], date[2], date[3])).toISOString()).toBe(new Date(t(want)).toISOString());
  });
});

describe('businessMinutesBetween and the clock', () => {
  test('counts only open, unpaused minutes', () => {
    expect(businessMinutesBetween(istanbul, t('2026-12-04T16:30+03:00'), t('2026-12-07T09:30+03:00'))).toBe(60);
    expect(businessMinutesBetween(riyadhSplit, t('2026-12-06T12:00+03:00'), t('2026-12-06T17:00+03:00'))).toBe(120);
    expect(
      businessMinutesBetween(istanbul, t('2026-12-07T10:00+03:00'), t('2026-12-07T12:00+03:00'), [{ from: t('2026-12-07T11:00+03:00'), to: null }]),
    ).toBe(60);
    expect(businessMinutesBetween(istanbul, t('2026-12-07T12:00+03:00'), t('2026-12-07T10:00+03:00'))).toBe(0);
  });

  const start = t('2026-12-07T09:00+03:00');
  test.each([
    { at: '2026-12-07T09:30+03:00', state: 'running', percent: 50, remaining: 30 },
    { at: '2026-12-07T09:45+03:00', state: 'warning', percent: 75, remaining: 15 },
    { at: '2026-12-07T10:00+03:00', state: 'breached', percent: 100, remaining: 0 },
    { at: '2026-12-07T10:30+03:00', state: 'breached', percent: 150, remaining: -30 },
    { at: '2026-12-05T10:30+03:00', state: 'running', percent: 0, remaining: 60 },
  ])('a 1 h target read at $at is $state ($percent%)', ({ at, state, percent, remaining }) => {
    const clock = slaClock({ calendar: istanbul, startedAt: start, targetMinutes: 60, now: t(at) });
    expect(clock).toMatchObject({ state, percentUsed: percent, remainingMinutes: remaining, deadline: t('2026-12-07T10:00+03:00') });
  });

  test('met, missed and paused', () => {
    expect(slaClock({ calendar: istanbul, startedAt: start, targetMinutes: 60, now: t('2026-12-08T10:00+03:00'), doneAt: t('2026-12-07T09:50+03:00') }).state).toBe('met');
    expect(slaClock({ calendar: istanbul, startedAt: start, targetMinutes: 60, now: t('2026-12-08T10:00+03:00'), doneAt: t('2026-12-07T10:10+03:00') }).state).toBe('missed');
    const paused = slaClock({ calendar: istanbul, startedAt: start, targetMinutes: 60, now: t('2026-12-07T12:00+03:00'), pauses: [{ from: t('2026-12-07T09:20+03:00'), to: null }] });
    expect(paused).toMatchObject({ state: 'paused', deadline: null, usedMinutes: 20 });
  });

  test('pending spans from the status history', () => {
    expect(
      pendingPauses([
        { at: 30, toStatus: 'open' },
        { at: 10, toStatus: 'pending' },
        { at: 50, toStatus: 'pending' },
        { at: 40, toStatus: 'pending' },
      ]),
    ).toEqual([
      { from: 10, to: 30 },
      { from: 40, to: null },
    ]);
  });
});

describe('calendar and policy input', () => {
  test.each([
    { input: { timeZone: 'Mars/Olympus', week: { mon: nineToFive } }, field: 'timeZone' },
    { input: { timeZone: 'UTC', week: {} }, field: 'week' },
    { input: { timeZone: 'UTC', week: { mon: [p('17:00', '09:00')] } }, field: 'week.mon.0.end' },
    { input: { timeZone: 'UTC', week: { mon: [p('9:00', '17:00')] } }, field: 'week.mon.0.start' },
    { input: { timeZone: 'UTC', week: { mon: [p('09:00', '13:00'), p('12:00', '17:00')] } }, field: 'week.mon' },
    { input: { timeZone: 'UTC', week: { mon: nineToFive }, holidays: ['21/03/2027'] }, field: 'holidays.0' },
  ])('rejects a bad $field', ({ input, field }) => {
    const result = businessCalendarSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  test('a calendar where every day is a holiday is an error, not a hang', () => {
    const closed = cal({ timeZone: 'UTC', week: { mon: nineToFive } });
    const everyMonday = Array.from({ length: 500 }, (_, i) => new Date(Date.UTC(2026, 11, 7 + 7 * i)).toISOString().slice(0, 10));
    // 500 holidays only cover ten years of Mondays partly; the scan still finds the first open Monday.
    expect(addBusinessMinutes({ ...closed, holidays: everyMonday }, t('2026-12-06T00:00Z'), 1)).toBe(t('2036-07-07T09:01Z'));
  });

  const policies: (SlaPolicy & { id: number })[] = [
    { id: 1, channel: '*', priority: '*', firstResponseMinutes: 480, resolutionMinutes: 2400 },
    { id: 2, channel: 'x', priority: '*', firstResponseMinutes: 60, resolutionMinutes: 480 },
    { id: 3, channel: '*', priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 240 },
    { id: 4, channel: 'x', priority: 'urgent', firstResponseMinutes: 15, resolutionMinutes: 120 },
  ];
  test.each([
    { channel: 'x', priority: 'urgent', want: 4 },
    { channel: 'x', priority: 'low', want: 2 },
    { channel: 'email', priority: 'urgent', want: 3 },
    { channel: 'email', priority: 'normal', want: 1 },
  ])('policy for $channel/$priority is #$want', ({ channel, priority, want }) => {
    expect(choosePolicy(policies, { channel, priority })?.id).toBe(want);
    expect(choosePolicy(policies.filter((x) => x.id !== 1), { channel: 'email', priority: 'low' })).toBeNull();
  });
});

describe('properties', () => {
  const zones = ['UTC', 'Europe/Istanbul', 'Europe/Athens', 'Europe/Bucharest', 'Asia/Tehran', 'Asia/Kathmandu', 'Asia/Riyadh', 'America/New_York', '+03:30'];
  const period = fc
    .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 16 }))
    .map(([s, len]) => [s * 30, Math.min(1440, s * 30 + len * 30)] as const);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const dayArb = fc.array(period, { maxLength: 3 }).map((ps) => {
    // Keep non-overlapping periods only (the schema rejects overlaps).
    const out: { start: string; end: string }[] = [];
    let last = -1;
    for (const [s, e] of [...ps].sort((a, b) => a[0] - b[0])) {
      if (s >= last) {
        out.push({ start: hhmm(s), end: hhmm(e) });
        last = e;
      }
    }
    return out;
  });
  const calendarArb = fc
    .record({
      timeZone: fc.constantFrom(...zones),
      week: fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, dayArb])) as Record<(typeof WEEKDAYS)[number], typeof dayArb>),
      holidays: fc.array(fc.integer({ min: 0, max: 120 }).map((i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10)), { maxLength: 10 }),
    })
    .filter((c) => WEEKDAYS.some((d) => c.week[d].length > 0))
    .map((c) => cal(c));
  const startArb = fc.integer({ min: Date.UTC(2026, 11, 1), max: Date.UTC(2027, 11, 31) });
  const pausesArb = fc.array(
    fc.tuple(fc.integer({ min: 0, max: 20 * 86_400_000 }), fc.integer({ min: 1, max: 3 * 86_400_000 })),
    { maxLength: 3 },
  );
  const settings = { seed: 2121, numRuns: 150, interruptAfterTimeLimit: 20_000 };

  test('a deadline never falls in closed hours or inside a pause', () => {
    fc.assert(
      fc.property(calendarArb, startArb, fc.integer({ min: 1, max: 5_000 }), pausesArb, (calendar, start, minutes, raw) => {
        const pauses = raw.map(([off, len]) => ({ from: start + off, to: start + off + len }));
        const deadline = addBusinessMinutes(calendar, start, minutes, pauses);
        expect(deadline).not.toBeNull();
        expect(isWorkingTime(calendar, deadline!)).toBe(true);
        expect(pauses.some((x) => x.from < deadline! && deadline! < x.to)).toBe(false);
        expect(deadline!).toBeGreaterThan(start);
        expect(businessMinutesBetween(calendar, start, deadline!, pauses)).toBeCloseTo(minutes, 6);
      }),
      settings,
    );
  });

  test('a longer target never gives an earlier deadline, nor does a later start', () => {
    fc.assert(
      fc.property(calendarArb, startArb, fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 7 * 86_400_000 }), (calendar, start, minutes, more, later) => {
        const a = addBusinessMinutes(calendar, start, minutes)!;
        expect(addBusinessMinutes(calendar, start, minutes + more)!).toBeGreaterThanOrEqual(a);
        expect(addBusinessMinutes(calendar, start + later, minutes)!).toBeGreaterThanOrEqual(a);
      }),
      settings,
    );
  });
});
