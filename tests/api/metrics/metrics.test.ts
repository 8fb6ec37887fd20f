import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../api/app';
import { appRouter } from '../../../api/router';
import { createCallerFactory } from '../../../api/trpc';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { planBuckets, startOfLocalDay, utcOffsetAt } from '../../../api/modules/metrics/buckets';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

/**
 * Hand-built workspaces whose every metric was worked out on paper (the comments show the sums);
 * docs/metrics.md has the definitions. The same scenario runs on SQLite and PostgreSQL.
 */

const H = 3_600_000;
const DAY = 24 * H;
const at = (iso: string) => Date.parse(iso);
const BASE = 'http://rafiq.test';
const callerFactory = createCallerFactory(appRouter);
type Caller = ReturnType<typeof callerFactory>;

describe('bucket planning (time zones)', () => {
  test('a day in Tehran starts at 20:30 UTC the day before', () => {
    const plan = planBuckets({ from: '2026-03-09', to: '2026-03-10', groupBy: 'day', tz: 'Asia/Tehran' });
    expect(plan.starts.map((s) => new Date(s).toISOString())).toEqual(['2026-03-08T20:30:00.000Z', '2026-03-09T20:30:00.000Z']);
    expect(new Date(plan.end).toISOString()).toBe('2026-03-10T20:30:00.000Z');
    expect(plan.keys).toEqual(['2026-03-09', '2026-03-10']);
  });

  test('a fixed offset gives the same boundaries as the zone when the zone has no daylight saving', () => {
    const zone = planBuckets({ from: '2026-03-01', to: '2026-03-31', groupBy: 'week', tz: 'Asia/Tehran' });
    const fixed = planBuckets({ from: '2026-03-01', to: '2026-03-31', groupBy: 'week', tz: '+03:30' });
    expect(fixed.starts).toEqual(zone.starts);
    // 1 March 2026 is a Sunday: a clipped first week, then Mondays.
    expect(zone.keys).toEqual(['2026-03-01', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
  });

  test('the day daylight saving starts in New York is 23 hours long, the day it ends 25', () => {
    const spring = planBuckets({ from: '2026-03-08', to: '2026-03-08', groupBy: 'day', tz: 'America/New_York' });
    expect(new Date(spring.start).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(spring.end - spring.start).toBe(23 * H);
    const autumn = planBuckets({ from: '2026-11-01', to: '2026-11-01', groupBy: 'day', tz: 'America/New_York' });
    expect(autumn.end - autumn.start).toBe(25 * H);
    expect(utcOffsetAt('America/New_York', at('2026-07-01T12:00:00Z'))).toBe(-4 * H);
  });

  test('a midnight skipped by daylight saving starts the day at the jump (Santiago, 2026-09-06)', () => {
    // Chile moves clocks from 24:00 to 01:00 on the first Sunday of September.
    const start = startOfLocalDay('America/Santiago', Math.floor(at('2026-09-06T00:00:00Z') / DAY));
    expect(new Date(start).toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });

  test('months are calendar months in the zone, the first clipped to the range', () => {
    const plan = planBuckets({ from: '2026-02-20', to: '2026-03-15', groupBy: 'month', tz: 'UTC' });
    expect(plan.keys).toEqual(['2026-02', '2026-03']);
    expect(plan.starts).toEqual([at('2026-02-20T00:00:00Z'), at('2026-03-01T00:00:00Z')]);
    expect(plan.previousStart).toBe(plan.start - (plan.end - plan.start));
  });
});

describe.each(dbKinds)('metrics on %s', (kind) => {
  let testDb: TestDb;
  let clock = 0;
  let ada: Caller;
  let ben: Caller;
  let adaId = 0;
  let benId = 0;
  const customers: Record<string, number> = {};
  const tickets: Record<string, number> = {};
  let app: ReturnType<typeof createApp>;

  /** Runs `fn` with the server clock at `iso`. */
  const when = async <T,>(iso: string, fn: () => Promise<T>): Promise<T> => {
    clock = at(iso);
    return fn();
  };

  const answer = async (ticket: string, scale: 'csat' | 'nps', score: number, comment: string, iso: string) => {
    const survey = await when(iso, () => ada.surveys.create({ ticketId: tickets[ticket]!, scale }));
    const response = await when(iso, () =>
      Promise.resolve(app.request(new URL(survey.url).pathname, { method: 'POST', body: new URLSearchParams({ score: String(score), comment }) })),
    );
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    const db = testDb.conn.db;
    const created = at('2026-01-01T00:00:00Z');
    const adaRow = await createAgent(db, { name: 'Ada', email: 'ada@example.com', role: 'admin' }, created);
    const benRow = await createAgent(db, { name: 'Ben', email: 'ben@example.com', role: 'agent' }, created);
    adaId = adaRow.id;
    benId = benRow.id;
    const ctx = (token: string) => ({ conn: testDb.conn, authorization: `Bearer ${token}`, now: () => clock, baseUrl: BASE });
    ada = callerFactory(ctx((await createToken(db, adaRow.id, created)).token));
    ben = callerFactory(ctx((await createToken(db, benRow.id, created)).token));
    app = createApp({ db: testDb.conn, now: () => clock });

    for (const [key, name] of [['c0', 'Zed'], ['c1', 'Layla Haddad'], ['c2', 'Mehmet Yılmaz'], ['c3', 'نور السيد']] as const) {
      customers[key] = (await when('2026-01-02T00:00:00Z', () => ada.customers.create({ displayName: name, identities: [{ kind: 'email', value: `${key}@example.com` }] }))).id;
    }

    const open = (key: string, iso: string, input: { customer: string; subject: string; channel: 'email' | 'x' | 'review' | 'chat'; assignee: number; tags?: string[] }) =>
      when(iso, async () => {
        const { ticket } = await ada.tickets.create({
          customerId: customers[input.customer]!,
          subject: input.subject,
          channel: input.channel,
          assigneeId: input.assignee,
          details: input.tags ? { tags: input.tags } : {},
        });
        tickets[key] = ticket.id;
      });
    const reply = (who: typeof ada, key: string, iso: string, channel: 'email' | 'x' | 'review' | 'chat' = 'email') =>
      when('2026-03-20T00:00:00Z', () =>
        who.interactions.log({ customerId: customers[customerOf[key]!]!, channel, direction: 'outbound', occurredAt: iso, summary: 'reply', ticketId: tickets[key]! }),
      );
    const status = (key: string, iso: string, s: 'resolved' | 'open') => when(iso, () => ada.tickets.update({ id: tickets[key]!, status: s }));
    const customerOf: Record<string, string> = { T0: 'c0', T1: 'c1', T2: 'c2', T3: 'c1', T4: 'c3', T5: 'c1', T6: 'c2', T7: 'c3' };

    // Previous week: one ticket, only for "rising" topics.
    await open('T0', '2026-03-05T10:00:00Z', { customer: 'c0', subject: 'Delivery late again', channel: 'email', assignee: adaId, tags: ['delivery'] });
    await status('T0', '2026-03-06T10:00:00Z', 'resolved');

    // T1: replied in 1 h, resolved in 4 h after one reply: first-contact resolution.
    await open('T1', '2026-03-09T10:00:00Z', { customer: 'c1', subject: 'Order arrived damaged', channel: 'email', assignee: adaId, tags: ['Delivery', 'damage'] });
    await reply(ada, 'T1', '2026-03-09T11:00:00Z');
    await status('T1', '2026-03-09T14:00:00Z', 'resolved');

    // T2: a reply logged from X *before* the ticket was created (counts as 0), a second reply, resolved after 24 h.
    await open('T2', '2026-03-09T12:00:00Z', { customer: 'c2', subject: 'Where is my refund?', channel: 'x', assignee: benId, tags: ['refund'] });
    await reply(ben, 'T2', '2026-03-09T11:30:00Z', 'x');
    await reply(ben, 'T2', '2026-03-09T13:00:00Z', 'x');
    await status('T2', '2026-03-10T12:00:00Z', 'resolved');

    // T3: reopened twice, each time within a day; resolved for good 54 h after creation.
    await open('T3', '2026-03-10T09:00:00Z', { customer: 'c1', subject: 'Refund not received', channel: 'email', assignee: adaId, tags: ['refund'] });
    await reply(ada, 'T3', '2026-03-10T12:00:00Z');
    await status('T3', '2026-03-10T13:00:00Z', 'resolved');
    await status('T3', '2026-03-11T10:00:00Z', 'open');
    await status('T3', '2026-03-11T12:00:00Z', 'resolved');
    await status('T3', '2026-03-12T09:00:00Z', 'open');
    await status('T3', '2026-03-12T15:00:00Z', 'resolved');

    // T4: a review with no reply, still open.
    await open('T4', '2026-03-11T08:00:00Z', { customer: 'c3', subject: 'Damaged box, refund please', channel: 'review', assignee: benId, tags: ['damage', 'refund'] });
    await when('2026-03-11T08:00:00Z', () =>
      ada.interactions.log({ customerId: customers.c3!, channel: 'review', direction: 'inbound', occurredAt: '2026-03-11T07:00:00Z', summary: '1/5 review', ticketId: tickets.T4! }),
    );

    // T5: created at 23:30 UTC = 03:00 the next day in Tehran; replied after 2 h; open.
    await open('T5', '2026-03-12T23:30:00Z', { customer: 'c1', subject: 'Login problem', channel: 'email', assignee: adaId });
    await reply(ada, 'T5', '2026-03-13T01:30:00Z');

    // T6: resolved 2 h in, reopened 3 days 1 h later (after the range): reopened within 7 days, not within 3.
    await open('T6', '2026-03-13T09:00:00Z', { customer: 'c2', subject: 'Invoice needs a tax number', channel: 'chat', assignee: benId });
    await reply(ben, 'T6', '2026-03-13T10:00:00Z', 'chat');
    await status('T6', '2026-03-13T11:00:00Z', 'resolved');

    // T7: a review posted the evening before it was logged; public reply 13 h after posting; resolved.
    await open('T7', '2026-03-11T09:00:00Z', { customer: 'c3', subject: 'Bad review: delivery late', channel: 'review', assignee: adaId, tags: ['delivery'] });
    await when('2026-03-11T09:00:00Z', () =>
      ada.interactions.log({ customerId: customers.c3!, channel: 'review', direction: 'inbound', occurredAt: '2026-03-10T21:00:00Z', summary: '2/5 review', ticketId: tickets.T7! }),
    );
    await reply(ada, 'T7', '2026-03-11T10:00:00Z', 'review');
    await status('T7', '2026-03-11T11:00:00Z', 'resolved');

    // Surveys: CSAT 5 (Ada), 2 (Ben), 4 (Ada); NPS 10, 6, 8, 9.
    await answer('T1', 'csat', 5, 'Great', '2026-03-09T15:00:00Z');
    await answer('T2', 'csat', 2, 'Slow <b>reply</b>', '2026-03-10T13:00:00Z');
    await answer('T3', 'csat', 4, '', '2026-03-12T16:00:00Z');
    await answer('T1', 'nps', 10, 'Love it', '2026-03-09T16:00:00Z');
    await answer('T2', 'nps', 6, 'meh', '2026-03-10T14:00:00Z');
    await answer('T3', 'nps', 8, '', '2026-03-12T17:00:00Z');
    await answer('T6', 'nps', 9, '', '2026-03-13T12:00:00Z');

    // After the range: T6 comes back.
    await status('T6', '2026-03-16T12:00:00Z', 'open');

    // Orders for the sidebar figures.
    await db
      .insertInto('orders')
      .values([
        { customer_id: customers.c1!, number: 'R-1', status: 'delivered', total_cents: 1000, currency: 'USD', placed_at: at('2026-02-01T10:00:00Z'), items: '[]' },
        { customer_id: customers.c1!, number: 'R-2', status: 'paid', total_cents: 2550, currency: 'USD', placed_at: at('2026-03-10T10:00:00Z'), items: '[]' },
        { customer_id: customers.c1!, number: 'R-3', status: 'cancelled', total_cents: 9999, currency: 'USD', placed_at: at('2026-03-11T10:00:00Z'), items: '[]' },
        { customer_id: customers.c1!, number: 'R-4', status: 'shipped', total_cents: 500, currency: 'EUR', placed_at: at('2026-03-12T10:00:00Z'), items: '[]' },
        { customer_id: customers.c2!, number: 'R-5', status: 'delivered', total_cents: 700, currency: 'USD', placed_at: at('2026-03-11T10:00:00Z'), items: '[]' },
      ])
      .execute();
    clock = at('2026-03-20T00:00:00Z');
  });

  afterAll(async () => {
    await testDb?.cleanup();
  });

  const week = { from: '2026-03-09', to: '2026-03-15', groupBy: 'day' as const };

  test('volume per channel and per day; the 23:30 UTC ticket is on the next day in Tehran', async () => {
    const utc = await ada.metrics.summary(week);
    expect(utc.buckets.map((b) => b.key)).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15']);
    expect(utc.volume.total.tickets).toBe(7);
    expect(utc.volume.series.map((s) => s.tickets)).toEqual([2, 1, 2, 1, 1, 0, 0]);
    expect(Object.fromEntries(utc.volume.byChannel.map((c) => [c.channel, c.tickets]))).toEqual({ chat: 1, email: 3, review: 2, x: 1 });
    expect(utc.volume.byBucketChannel[3]).toEqual({ bucket: '2026-03-12', chat: 0, email: 1, review: 0, x: 0 });
    expect(utc.volume.byBucketChannel[2]).toMatchObject({ review: 2, email: 0 });

    const tehran = await ada.metrics.summary({ ...week, tz: 'Asia/Tehran' });
    expect(tehran.volume.series.map((s) => s.tickets)).toEqual([2, 1, 2, 0, 2, 0, 0]);
    const fixed = await ada.metrics.summary({ ...week, tz: '+03:30' });
    expect(fixed.volume.series).toEqual(tehran.volume.series);
  });

  test('first response: a reply before creation counts 0; median and p90 interpolate; unanswered tickets are counted apart', async () => {
    const s = await ada.metrics.summary(week);
    // Values (h): T1 1, T2 0, T3 3, T5 2, T6 1, T7 1; T4 unanswered. Sorted 0 1 1 1 2 3.
    expect(s.firstResponse.total).toEqual({ items: 7, measured: 6, meanMs: Math.round((8 * H) / 6), medianMs: 1 * H, p90Ms: 2.5 * H });
    const byAgent = Object.fromEntries(s.firstResponse.byAgent.map((a) => [a.agentName, a]));
    // Ada: 1, 3, 2, 1 -> median 1.5, p90 = 2 + 0.7 * 1 = 2.7. Ben: 0, 1 (+ T4 unanswered) -> median 0.5, p90 0.9.
    expect(byAgent.Ada).toMatchObject({ agentId: adaId, items: 4, measured: 4, medianMs: 1.5 * H, p90Ms: 2.7 * H });
    expect(byAgent.Ben).toMatchObject({ agentId: benId, items: 3, measured: 2, medianMs: 0.5 * H, p90Ms: 0.9 * H });
    // Day 1: T1 1 h, T2 0 -> median 0.5 h; 11 March: T4 none, T7 1 h.
    expect(s.firstResponse.series[0]).toMatchObject({ bucket: '2026-03-09', items: 2, measured: 2, medianMs: 0.5 * H });
    expect(s.firstResponse.series[2]).toMatchObject({ items: 2, measured: 1, medianMs: 1 * H });
    expect(s.firstResponse.series[5]).toMatchObject({ items: 0, measured: 0, medianMs: null, p90Ms: null, meanMs: null });
  });

  test('resolution time counts the tickets resolved in the range, reopened ones from creation to their final resolution', async () => {
    const s = await ada.metrics.summary(week);
    // T1 4 h, T2 24 h, T3 54 h, T7 2 h (T6 was reopened since: not resolved). Sorted 2 4 24 54.
    expect(s.resolution.total).toEqual({ items: 4, measured: 4, meanMs: 21 * H, medianMs: 14 * H, p90Ms: 45 * H });
    expect(s.resolution.series.map((b) => b.items)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(s.resolution.byChannel.find((c) => c.channel === 'email')).toMatchObject({ items: 2, medianMs: 29 * H });
  });

  test('reopen rate: a ticket reopened twice counts once; the window decides', async () => {
    const seven = await ada.metrics.summary({ ...week, reopenWindowDays: 7 });
    // Tickets with a resolution in range: T1 T2 T3 T6 T7; reopened within 7 days: T3, T6.
    expect(seven.reopen.total).toEqual({ resolved: 5, reopened: 2, rate: 40 });
    // 10 March: T2 and T3 resolved, T3 reopened; 12 March: T3's final resolution stayed.
    expect(seven.reopen.series.map((b) => [b.resolved, b.reopened])).toEqual([[1, 0], [2, 1], [2, 1], [1, 0], [1, 1], [0, 0], [0, 0]]);
    expect(seven.reopen.series[5]!.rate).toBeNull();
    const three = await ada.metrics.summary({ ...week, reopenWindowDays: 3 });
    expect(three.reopen.total).toEqual({ resolved: 5, reopened: 1, rate: 20 });
    expect(three.reopen.byAgent.find((a) => a.agentName === 'Ben')).toMatchObject({ resolved: 2, reopened: 0, rate: 0 });
  });

  test('first-contact resolution: one agent reply and never reopened', async () => {
    const s = await ada.metrics.summary(week);
    // Resolved cohort T1 (1 reply) T2 (2 replies) T3 (reopened) T7 (1 reply).
    expect(s.fcr.total).toEqual({ resolved: 4, firstContact: 2, rate: 50 });
    expect(s.fcr.byAgent.find((a) => a.agentName === 'Ada')).toMatchObject({ resolved: 3, firstContact: 2 });
  });

  test('backlog at the end of each day, walking back from the open tickets now', async () => {
    const s = await ada.metrics.summary(week);
    expect(s.backlog.openNow).toBe(3); // T4, T5, T6 (reopened after the range)
    expect(s.backlog.atStart).toBe(0);
    expect(s.backlog.series.map((b) => b.open)).toEqual([1, 0, 1, 2, 2, 2, 2]);
    expect(s.backlog.atEnd).toBe(2);
  });

  test('review response time: posted → public reply', async () => {
    const s = await ada.metrics.summary(week);
    expect(s.reviewResponse.total).toMatchObject({ items: 2, measured: 1, medianMs: 13 * H });
    expect(s.reviewResponse.series[1]).toMatchObject({ bucket: '2026-03-10', measured: 1 });
  });

  test('CSAT and NPS from the survey answers, per agent', async () => {
    const s = await ada.metrics.summary(week);
    expect(s.csat.total.answers).toBe(3);
    expect(s.csat.total.satisfied).toBe(2);
    expect(s.csat.total.score).toBeCloseTo(200 / 3, 10);
    expect(s.csat.byAgent.map((a) => [a.agentName, a.score])).toEqual([['Ada', 100], ['Ben', 0]]);
    expect(s.nps.total).toEqual({ answers: 4, promoters: 2, passives: 1, detractors: 1, score: 25 });
    expect(s.agents.find((a) => a.agentName === 'Ben')).toMatchObject({ tickets: 3, csat: 0, nps: 0, openNow: 2 });
  });

  test('top topics by tag and subject word, rising against the previous week', async () => {
    const s = await ada.metrics.summary(week);
    expect(s.topics.tags.top.map((t) => [t.topic, t.current, t.previous])).toEqual([['refund', 3, 0], ['damage', 2, 0], ['delivery', 2, 1]]);
    expect(s.topics.tags.rising.map((t) => [t.topic, t.change])).toEqual([['refund', 3], ['damage', 2], ['delivery', 1]]);
    expect(s.topics.words.top.map((t) => t.topic)).toEqual(['refund', 'damaged', 'arrived', 'bad', 'box', 'invoice', 'login', 'number', 'order', 'received']);
    expect(s.topics.words.top[0]).toMatchObject({ current: 3, previous: 0 });
    expect(s.topics.words.rising.map((t) => t.topic)).toEqual(['refund', 'damaged', 'arrived', 'bad', 'box']);
  });

  test('an empty period has zero counts, empty medians and no rates', async () => {
    const s = await ada.metrics.summary({ from: '2025-06-01', to: '2025-06-03', groupBy: 'day', tz: 'Europe/Istanbul' });
    expect(s.volume.series.map((b) => b.tickets)).toEqual([0, 0, 0]);
    expect(s.firstResponse.total).toEqual({ items: 0, measured: 0, meanMs: null, medianMs: null, p90Ms: null });
    expect(s.reopen.total.rate).toBeNull();
    expect(s.csat.total.score).toBeNull();
    expect(s.nps.total.score).toBeNull();
    expect(s.backlog.series.map((b) => b.open)).toEqual([0, 0, 0]);
    expect(s.topics.words.top).toEqual([]);
    expect(s.retention.rate).toBeNull();
  });

  test('weeks and months group the same tickets', async () => {
    const weeks = await ada.metrics.summary({ from: '2026-03-02', to: '2026-03-15', groupBy: 'week' });
    expect(weeks.volume.series.map((b) => [b.bucket, b.tickets])).toEqual([['2026-03-02', 1], ['2026-03-09', 7]]);
    const months = await ada.metrics.summary({ from: '2026-02-20', to: '2026-03-31', groupBy: 'month' });
    expect(months.volume.series.map((b) => [b.bucket, b.tickets])).toEqual([['2026-02', 0], ['2026-03', 8]]);
  });

  test('retention across a week boundary that Tehran sees a day later; repeat purchases', async () => {
    const log = (customer: string, iso: string, direction: 'inbound' | 'outbound' = 'inbound') =>
      when('2026-03-25T00:00:00Z', () => ada.interactions.log({ customerId: customers[customer]!, channel: 'chat', direction, occurredAt: iso, summary: 'chat' }));
    // A fresh window far from the scenario: weeks of 2026-04-06 and 2026-04-13; previous period 2026-03-23 .. 04-05.
    await log('c1', '2026-03-30T10:00:00Z'); // previous
    await log('c1', '2026-04-07T10:00:00Z'); // week 1
    await log('c1', '2026-04-14T10:00:00Z'); // week 2
    await log('c2', '2026-04-01T10:00:00Z'); // previous only
    await log('c3', '2026-04-12T22:00:00Z'); // Sunday 22:00 UTC = Monday 01:30 in Tehran
    await log('c3', '2026-04-15T10:00:00Z', 'outbound'); // our message is not activity
    await log('c0', '2026-03-01T10:00:00Z'); // before the previous period
    await log('c0', '2026-04-16T10:00:00Z'); // week 2
    const range = { from: '2026-04-06', to: '2026-04-19', groupBy: 'week' as const };
    const utc = await ada.metrics.summary(range);
    expect(utc.retention).toMatchObject({ previousActive: 2, retained: 1, rate: 50 });
    expect(utc.retention.series).toEqual([
      { bucket: '2026-04-06', active: 2, retainedNext: 1, rate: 50 },
      { bucket: '2026-04-13', active: 2, retainedNext: null, rate: null },
    ]);
    const tehran = await ada.metrics.summary({ ...range, tz: 'Asia/Tehran' });
    expect(tehran.retention.series.map((b) => [b.active, b.retainedNext])).toEqual([[1, 1], [3, null]]);

    // March: c1 bought twice in life (R-1 Feb, R-2 Mar), c2 once; the cancelled order is no purchase.
    const march = await ada.metrics.summary({ from: '2026-03-01', to: '2026-03-31', groupBy: 'month' });
    expect(march.repeatPurchase).toEqual({ buyers: 2, repeaters: 1, rate: 50 });
  });

  test('metrics.customer: open tickets, last CSAT and NPS, lifetime orders per currency', async () => {
    const c1 = await ada.metrics.customer({ customerId: customers.c1! });
    expect(c1.openTickets).toBe(1); // T5
    expect(c1.lastCsat).toMatchObject({ scale: 'csat', score: 4, ticketId: tickets.T3 });
    expect(c1.lastNps).toMatchObject({ scale: 'nps', score: 8, answeredAt: '2026-03-12T17:00:00.000Z' });
    expect(c1.orders).toEqual({
      count: 3,
      byCurrency: [
        { currency: 'USD', count: 2, total: 35.5 },
        { currency: 'EUR', count: 1, total: 5 },
      ],
      firstAt: '2026-02-01T10:00:00.000Z',
      lastAt: '2026-03-12T10:00:00.000Z',
    });
    const c0 = await ada.metrics.customer({ customerId: customers.c0! });
    expect(c0).toMatchObject({ openTickets: 0, lastCsat: null, lastNps: null, orders: { count: 0, byCurrency: [], firstAt: null } });
    await expect(ada.metrics.customer({ customerId: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('bad input is a field error, not a 500', async () => {
    await expect(ada.metrics.summary({ ...week, tz: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(ada.metrics.summary({ from: '2026-03-10', to: '2026-03-01' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(ada.metrics.summary({ from: '2020-01-01', to: '2026-01-01', groupBy: 'day' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
