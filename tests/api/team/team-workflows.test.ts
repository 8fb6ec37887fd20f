// Issue 21 through createCaller on both databases: SLA policies and calendars, clocks and
// breaches, assignment (to me, to a teammate, claim on first reply, round-robin), queues and their
// counts, attainment per agent and channel, presence and the collision guard.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TRPCError } from '@trpc/server';
import { appRouter } from '../../../api/router';
import { createCallerFactory } from '../../../api/trpc';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { PRESENCE_TTL_MS } from '@shared/presence';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

const createCaller = createCallerFactory(appRouter);

/** A full presence answer (a read without `ifVersion` is never "unchanged"). */
function full<T extends { unchanged: boolean }>(answer: T): Extract<T, { unchanged: false }> {
  expect(answer.unchanged).toBe(false);
  return answer as Extract<T, { unchanged: false }>;
}

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const hours = (h: number[]) => Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu'].map((d) => [d, h.length ? [{ start: '09:00', end: '17:00' }] : []]));
/** A Gulf team: Sunday–Thursday 09:00–17:00 in Riyadh (UTC+03). */
const gulf = { timeZone: 'Asia/Riyadh', week: hours([1]), holidays: ['2026-12-07'] };

describe.each(dbKinds)('team workflows on %s', (kind) => {
  let db: TestDb;
  // Thursday 2026-12-03 16:00 in Riyadh.
  let now = Date.parse('2026-12-03T13:00:00Z');
  let lead: ReturnType<typeof createCaller>;
  let sara: ReturnType<typeof createCaller>;
  let emre: ReturnType<typeof createCaller>;
  const ids = { lead: 0, sara: 0, emre: 0, customer: 0 };
  const callerFor = (token: string) => createCaller({ conn: db.conn, authorization: `Bearer ${token}`, now: () => now, baseUrl: 'http://127.0.0.1' });

  beforeAll(async () => {
    db = await createTestDb(kind);
    const t0 = now - 86_400_000;
    const l = await createAgent(db.conn.db, { name: 'Layla Lead', email: 'lead@rafiq.example', role: 'admin' }, t0);
    const s = await createAgent(db.conn.db, { name: 'Sara Ahmed', email: 'sara@rafiq.example', role: 'agent' }, t0);
    const e = await createAgent(db.conn.db, { name: 'Emre Kaya', email: 'emre@rafiq.example', role: 'agent' }, t0);
    Object.assign(ids, { lead: l.id, sara: s.id, emre: e.id });
    lead = callerFor((await createToken(db.conn.db, l.id, t0)).token);
    sara = callerFor((await createToken(db.conn.db, s.id, t0)).token);
    emre = callerFor((await createToken(db.conn.db, e.id, t0)).token);
    ids.customer = (await lead.customers.create({ displayName: 'نورا العتيبي', identities: [{ kind: 'email', value: 'noura@example.com' }] })).id;
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  test('a team lead sets a Sunday–Thursday calendar and targets; agents may read, not set', async () => {
    const { teams } = await sara.sla.teams();
    expect(teams).toHaveLength(1);
    expect(teams[0]!.calendar.timeZone).toBe('UTC');
    const updated = await lead.sla.updateTeam({ id: teams[0]!.id, name: 'Gulf support', calendar: gulf });
    expect(updated.calendar.week.fri).toEqual([]);
    expect(updated.calendar.week.sun).toEqual([{ start: '09:00', end: '17:00' }]);

    expect((await failure(sara.sla.updateTeam({ id: teams[0]!.id, calendar: gulf }))).code).toBe('FORBIDDEN');
    const bad = await failure(lead.sla.updateTeam({ id: teams[0]!.id, calendar: { ...gulf, timeZone: 'Gulf/Nowhere' } }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toMatch(/IANA time zone/);

    await lead.sla.setPolicy({ channel: 'email', priority: '*', firstResponseMinutes: 120, resolutionMinutes: 960 });
    await lead.sla.setPolicy({ channel: '*', priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 240 });
    // Setting the same (channel, priority) again replaces the targets instead of duplicating.
    await lead.sla.setPolicy({ channel: 'email', priority: '*', firstResponseMinutes: 120, resolutionMinutes: 480 });
    const policies = await sara.sla.policies();
    expect(policies.filter((p) => p.channel === 'email')).toEqual([expect.objectContaining({ firstResponseMinutes: 120, resolutionMinutes: 480 })]);
    expect((await failure(lead.sla.setPolicy({ channel: 'x', priority: '*', firstResponseMinutes: 0, resolutionMinutes: 60 }))).code).toBe('BAD_REQUEST');
    expect((await failure(sara.sla.setPolicy({ channel: 'x', priority: '*', firstResponseMinutes: 10, resolutionMinutes: 60 }))).code).toBe('FORBIDDEN');
  });

  test('a ticket opened Thursday 16:00 is due Monday 10:00 (weekend and a Sunday holiday skipped); pending stops the clock', async () => {
    const { ticket } = await sara.tickets.create({ customerId: ids.customer, subject: 'Where is my order?', channel: 'email', sourceKey: 'email:thread-1', sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/thread-1' });
    expect(ticket.assigneeId).toBe(ids.sara);
    const { sla, clocks } = await sara.sla.ticket({ ticketId: ticket.id });
    expect(sla.calendar.timeZone).toBe('Asia/Riyadh');
    expect(sla.firstResponse).toEqual({ targetMinutes: 120, doneAt: null });
    // 60 min on Thursday, Friday–Saturday closed, Sunday 2026-12-06 a working day… the holiday is Monday 12-07.
    expect(new Date(clocks.firstResponse!.deadline!).toISOString()).toBe('2026-12-06T07:00:00.000Z');

    // Friday: pending while waiting on the customer, answered on Sunday 12:00 → the clock moved by the pause.
    now = Date.parse('2026-12-03T13:30:00Z');
    await sara.tickets.update({ id: ticket.id, status: 'pending' });
    now = Date.parse('2026-12-06T09:00:00Z'); // Sunday 12:00 Riyadh
    const paused = await sara.sla.ticket({ ticketId: ticket.id });
    expect(paused.clocks.firstResponse).toMatchObject({ state: 'paused', deadline: null, usedMinutes: 30 });
    await sara.tickets.update({ id: ticket.id, status: 'open' });
    const resumed = await sara.sla.ticket({ ticketId: ticket.id });
    // 30 used on Thursday, 90 left from Sunday 12:00 → 13:30 Riyadh.
    expect(new Date(resumed.clocks.firstResponse!.deadline!).toISOString()).toBe('2026-12-06T10:30:00.000Z');
    expect(resumed.sla.pauses).toEqual([{ from: Date.parse('2026-12-03T13:30:00Z'), to: Date.parse('2026-12-06T09:00:00Z') }]);
  });

  test('assign to me, to a teammate, back to nobody; a bad teammate is a clear error', async () => {
    const { ticket } = await sara.tickets.create({ customerId: ids.customer, subject: 'Refund', channel: 'x', assigneeId: null });
    expect(ticket.assigneeId).toBeNull();
    expect((await emre.queues.assignToMe({ ticketId: ticket.id })).assigneeId).toBe(ids.emre);
    expect((await emre.queues.assign({ ticketId: ticket.id, agentId: ids.sara })).assigneeId).toBe(ids.sara);
    const bad = await failure(emre.queues.assign({ ticketId: ticket.id, agentId: 987_654 }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toMatch(/agent 987654 does not exist/);
    expect((await failure(emre.queues.assignToMe({ ticketId: 987_654 }))).code).toBe('NOT_FOUND');
    expect((await emre.queues.assign({ ticketId: ticket.id, agentId: null })).assigneeId).toBeNull();
  });

  test('claim on first reply: the first reply to an unassigned ticket takes it, when the team says so', async () => {
    const { teams } = await lead.sla.teams();
    const open = async (subject: string) => (await lead.tickets.create({ customerId: ids.customer, subject, channel: 'email', assigneeId: null })).ticket;
    const reply = (caller: typeof sara, ticketId: number, n: string) =>
      caller.interactions.log({ customerId: ids.customer, channel: 'email', direction: 'outbound', summary: 'Reply', ticketId, externalId: `reply-${n}` });

    const first = await open('Claim me');
    await reply(emre, first.id, 'a');
    expect((await emre.tickets.list({ customerId: ids.customer, limit: 100 })).items.find((t) => t.id === first.id)?.assigneeId).toBe(ids.emre);
    // A later reply by someone else does not steal it.
    await reply(sara, first.id, 'b');
    expect((await emre.tickets.list({ customerId: ids.customer, limit: 100 })).items.find((t) => t.id === first.id)?.assigneeId).toBe(ids.emre);

    await lead.sla.updateTeam({ id: teams[0]!.id, claimOnFirstReply: false });
    const second = await open('Leave me');
    await reply(emre, second.id, 'c');
    expect((await emre.tickets.list({ customerId: ids.customer, limit: 100 })).items.find((t) => t.id === second.id)?.assigneeId).toBeNull();

    // The sidebar's "reply inserted" path claims the same way.
    await lead.sla.updateTeam({ id: teams[0]!.id, claimOnFirstReply: true });
    expect(await sara.presence.record({ conversationKey: 'email:claim', kind: 'replied', ticketId: second.id })).toEqual({ claimed: true });
  });

  test('round-robin among available agents, in turn; nobody available → the creator', async () => {
    const { teams } = await lead.sla.teams();
    await lead.sla.updateTeam({ id: teams[0]!.id, roundRobin: true });
    const make = async () => (await lead.tickets.create({ customerId: ids.customer, subject: 'RR', channel: 'chat' })).ticket.assigneeId;
    expect(await make()).toBe(ids.lead); // nobody marked available yet
    await sara.sla.setAvailable({ available: true });
    await emre.sla.setAvailable({ available: true });
    const picks = [];
    for (let i = 0; i < 4; i++) {
      now += 1_000;
      picks.push(await make());
    }
    expect(picks).toEqual([ids.sara, ids.emre, ids.sara, ids.emre]);
    await sara.sla.setAvailable({ available: false });
    now += 1_000;
    expect(await make()).toBe(ids.emre);
    await lead.sla.updateTeam({ id: teams[0]!.id, roundRobin: false });
    const { members } = await sara.sla.teams();
    expect(members.find((m) => m.agentId === ids.emre)).toMatchObject({ available: true, teamId: teams[0]!.id });
  });

  test('queues Mine / Unassigned / Breaching soon, with counts and what a queue page shows', async () => {
    // Sunday 2026-12-13 09:00 Riyadh: a fresh week.
    now = Date.parse('2026-12-13T06:00:00Z');
    const mine = (await emre.tickets.create({ customerId: ids.customer, subject: 'Mine, urgent', channel: 'chat', priority: 'urgent', sourceUrl: 'https://x.com/noura/status/1' })).ticket;
    const free = (await emre.tickets.create({ customerId: ids.customer, subject: 'Nobody’s', channel: 'review', assigneeId: null })).ticket;
    const before = await emre.queues.counts();
    // Urgent chat (no channel policy, so the urgent one): 30 min to first response; 25 min later it is amber and breaching soon (≤ 60 min left), 45 min later breached.
    now += 25 * 60_000;
    const soon = await emre.queues.list({ queue: 'breaching' });
    const item = soon.items.find((i) => i.ticketId === mine.id);
    expect(item).toMatchObject({ customerName: 'نورا العتيبي', channel: 'chat', sourceUrl: 'https://x.com/noura/status/1', clock: { kind: 'firstResponse', clock: { state: 'warning' } } });
    expect(soon.items.some((i) => i.ticketId === free.id)).toBe(false);
    now += 20 * 60_000;
    expect((await emre.sla.breaching({})).items.find((i) => i.ticketId === mine.id)?.clock?.clock.state).toBe('breached');

    const mineList = await emre.queues.list({ queue: 'mine', limit: 100 });
    expect(mineList.items.map((i) => i.ticketId)).toContain(mine.id);
    expect(mineList.items.every((i) => i.assigneeId === ids.emre)).toBe(true);
    const unassigned = await emre.queues.list({ queue: 'unassigned', limit: 1 });
    expect(unassigned.items).toHaveLength(1);
    expect(unassigned.nextCursor).not.toBeNull();
    const next = await emre.queues.list({ queue: 'unassigned', limit: 100, cursor: unassigned.nextCursor });
    expect([...unassigned.items, ...next.items].map((i) => i.ticketId)).toContain(free.id);

    const counts = await emre.queues.counts();
    expect(counts.mine).toBe(mineList.items.length);
    expect(counts.unassigned).toBe(unassigned.items.length + next.items.length);
    expect(counts.breaching).toBeGreaterThanOrEqual(1);
    expect(counts.mine).toBe(before.mine);
    // Taking the unassigned one moves it from Unassigned to Mine in the counts.
    await emre.queues.assignToMe({ ticketId: free.id });
    expect(await emre.queues.counts()).toMatchObject({ mine: counts.mine + 1, unassigned: counts.unassigned - 1 });
    // Answering stops the first-response clock: the ticket leaves Breaching soon (its resolution clock has hours left).
    await emre.interactions.log({ customerId: ids.customer, channel: 'email', direction: 'outbound', summary: 'On it', ticketId: mine.id, externalId: 'mine-reply' });
    expect((await emre.sla.breaching({})).items.some((i) => i.ticketId === mine.id)).toBe(false);
  });

  test('attainment: % of first responses and resolutions within target per agent and channel', async () => {
    // A quiet month of its own: December 2027, Sunday 5th 09:00 Riyadh onward.
    const start = Date.parse('2027-12-05T06:00:00Z');
    const open = async (caller: typeof sara, channel: 'email' | 'x', at: number) => {
      now = at;
      return (await caller.tickets.create({ customerId: ids.customer, subject: 'Metric', channel })).ticket.id;
    };
    const reply = async (caller: typeof sara, ticketId: number, at: number) => {
      now = at;
      await caller.interactions.log({ customerId: ids.customer, channel: 'email', direction: 'outbound', summary: 'Re', ticketId, externalId: `att-${ticketId}`, occurredAt: new Date(at).toISOString() });
    };
    const a = await open(sara, 'email', start);
    await reply(sara, a, start + 60 * 60_000); // within 120
    const b = await open(sara, 'email', start);
    await reply(sara, b, start + 180 * 60_000); // late
    const c = await open(emre, 'x', start);
    await reply(emre, c, start + 10 * 60_000);
    now = start + 200 * 60_000;
    await sara.tickets.update({ id: a, status: 'resolved' }); // 200 of 480: met

    const report = await lead.sla.attainment({ from: '2027-12-01', to: '2027-12-31', tz: 'Asia/Riyadh' });
    const saraEmail = report.rows.find((r) => r.agentId === ids.sara && r.channel === 'email')!;
    expect(saraEmail).toMatchObject({ agentName: 'Sara Ahmed', tickets: 2, firstResponse: { met: 1, missed: 1, percent: 50 }, resolution: { met: 1, missed: 0, pending: 1, percent: 100 } });
    expect(report.rows.find((r) => r.agentId === ids.emre && r.channel === 'x')).toMatchObject({ firstResponse: { met: 1, missed: 0, percent: 100 } });
    expect(report.total).toMatchObject({ tickets: 3, firstResponse: { met: 2, missed: 1, percent: 66.7 } });
    expect(report.truncated).toBe(false);
    expect((await failure(lead.sla.attainment({ from: '2027-12-31', to: '2027-12-01' }))).code).toBe('BAD_REQUEST');
  });

  test('presence: B sees A on the conversation, not themselves; it expires; leaving clears it at once', async () => {
    now = Date.parse('2026-12-14T08:00:00Z');
    const since = new Date(now).toISOString();
    await sara.presence.heartbeat({ tabId: 'sara-tab-1', conversationKey: 'email:thread-9', activity: 'viewing' });
    await sara.presence.heartbeat({ tabId: 'sara-tab-2', conversationKey: 'email:thread-9', activity: 'replying' });
    await emre.presence.heartbeat({ tabId: 'emre-tab-1', conversationKey: 'email:thread-9', activity: 'viewing' });
    const seen = await emre.presence.read({ conversationKey: 'email:thread-9', since });
    expect(seen).toMatchObject({ unchanged: false, viewers: [{ agentId: ids.sara, name: 'Sara Ahmed', activity: 'replying' }], activity: [] });
    // Conditional: the same answer again is "unchanged" only.
    expect(await emre.presence.read({ conversationKey: 'email:thread-9', since, ifVersion: seen.version })).toEqual({ unchanged: true, version: seen.version });
    // Another conversation is another room.
    expect(full(await emre.presence.read({ conversationKey: 'email:thread-10', since })).viewers).toEqual([]);

    // Sara's second tab closes cleanly: she is still viewing in the first.
    await sara.presence.leave({ tabId: 'sara-tab-2' });
    const after = await emre.presence.read({ conversationKey: 'email:thread-9', since, ifVersion: seen.version });
    expect(after).toMatchObject({ unchanged: false, viewers: [{ agentId: ids.sara, activity: 'viewing' }] });
    // Her first tab vanishes without a goodbye: gone once the heartbeat is older than the expiry.
    now += PRESENCE_TTL_MS - 1;
    expect(full(await emre.presence.read({ conversationKey: 'email:thread-9', since })).viewers).toHaveLength(1);
    now += 2;
    expect(full(await emre.presence.read({ conversationKey: 'email:thread-9', since })).viewers).toEqual([]);
    expect((await failure(emre.presence.heartbeat({ tabId: 'x', conversationKey: 'email:thread-9', activity: 'viewing' }))).code).toBe('BAD_REQUEST');
  });

  test('collision guard: a teammate who replied or logged since I opened the conversation is reported; before, or me, is not', async () => {
    now = Date.parse('2026-12-14T09:00:00Z');
    await sara.presence.record({ conversationKey: 'email:thread-c', kind: 'logged' }); // before Emre opened it
    now += 1_000;
    const { openedAt } = await emre.presence.heartbeat({ tabId: 'emre-tab-c', conversationKey: 'email:thread-c', activity: 'viewing' });
    expect(openedAt).toBe(new Date(now).toISOString());
    expect(full(await emre.presence.read({ conversationKey: 'email:thread-c', since: openedAt })).activity).toEqual([]);
    now += 5_000;
    // A heartbeat later keeps the opening time; the collision window starts when the tab opened the thread.
    expect((await emre.presence.heartbeat({ tabId: 'emre-tab-c', conversationKey: 'email:thread-c', activity: 'viewing' })).openedAt).toBe(openedAt);
    await sara.presence.record({ conversationKey: 'email:thread-c', kind: 'replied' });
    await emre.presence.record({ conversationKey: 'email:thread-c', kind: 'logged' });
    const read = full(await emre.presence.read({ conversationKey: 'email:thread-c', since: openedAt }));
    expect(read.activity).toEqual([{ agentId: ids.sara, name: 'Sara Ahmed', kind: 'replied', at: new Date(now).toISOString() }]);
    // Moving the tab to another conversation starts a new window.
    now += 1_000;
    expect((await emre.presence.heartbeat({ tabId: 'emre-tab-c', conversationKey: 'email:thread-d', activity: 'viewing' })).openedAt).toBe(new Date(now).toISOString());
  });

  test('a heartbeat asked to read answers like a read since the tab opened the conversation, in the same call (issue 20)', async () => {
    now = Date.parse('2026-12-14T10:00:00Z');
    await sara.presence.heartbeat({ tabId: 'sara-tab-r', conversationKey: 'email:thread-r', activity: 'replying' });
    await sara.presence.record({ conversationKey: 'email:thread-r', kind: 'logged' }); // before Emre arrives: no collision
    now += 1_000;
    const plain = await emre.presence.heartbeat({ tabId: 'emre-tab-r', conversationKey: 'email:thread-r', activity: 'viewing' });
    expect(plain).toEqual({ openedAt: new Date(now).toISOString() });
    now += 1_000;
    // The same tab moves on and back: a new window, read from the new opening time.
    await emre.presence.heartbeat({ tabId: 'emre-tab-r', conversationKey: 'email:thread-s', activity: 'viewing' });
    now += 1_000;
    await sara.presence.record({ conversationKey: 'email:thread-r', kind: 'replied' }); // before he comes back: no collision either
    now += 1_000;
    const answer = await emre.presence.heartbeat({ tabId: 'emre-tab-r', conversationKey: 'email:thread-r', activity: 'viewing', read: true });
    expect(answer.openedAt).toBe(new Date(now).toISOString());
    const read = full(await emre.presence.read({ conversationKey: 'email:thread-r', since: answer.openedAt }));
    expect(answer.presence).toEqual({ version: read.version, viewers: read.viewers, activity: read.activity });
    expect(answer.presence?.viewers).toMatchObject([{ agentId: ids.sara, activity: 'replying' }]);
    expect(answer.presence?.activity).toEqual([]);
    expect((await failure(emre.presence.heartbeat({ tabId: 'emre-tab-r', conversationKey: 'email:thread-r', activity: 'viewing', read: 'yes' as unknown as boolean }))).code).toBe('BAD_REQUEST');
  });
});
