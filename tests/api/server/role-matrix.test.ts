import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../api/app';
import { createCustomer } from '../../../api/modules/customers/customers.repository';
import { createToken } from '../../../api/modules/agents/agents.repository';
import { createTicket } from '../../../api/modules/tickets/tickets.repository';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { callProcedure, routerProcedures, seedAuth, type AuthFixture } from '../trpc-http';

/**
 * Issue 8, test 4: every procedure × every kind of caller → the expected auth outcome.
 *
 * THE table of roles. `public`: anyone; `agent`: any valid token; `admin`: admin tokens only.
 * A procedure in the router but not here fails the test on purpose: whoever adds a procedure
 * decides who may call it, here, in review.
 */
type Role = 'public' | 'agent' | 'admin';
const roles: Record<string, Role> = {
  'agents.me': 'agent',
  'agents.list': 'admin',
  'agents.create': 'admin',
  'agents.tokens': 'agent',
  'agents.revokeToken': 'admin',
  'customers.lookup': 'agent',
  'customers.lookupWithView': 'agent',
  'customers.lookupMany': 'agent',
  'customers.get': 'agent',
  'customers.create': 'agent',
  'customers.update': 'agent',
  'customers.search': 'agent',
  'customers.merge': 'agent',
  'customers.unmerge': 'agent',
  'customers.merges': 'agent',
  'customers.duplicates': 'agent',
  // Right of access: any agent may already read everything about a customer one call at a time.
  'customers.exportOne': 'agent',
  // Right to erasure destroys data for good: admins only.
  'customers.erase': 'admin',
  'identities.link': 'agent',
  'identities.unlink': 'agent',
  'timeline.list': 'agent',
  'interactions.log': 'agent',
  'notes.add': 'agent',
  'notes.list': 'agent',
  'tickets.create': 'agent',
  'tickets.update': 'agent',
  'tickets.list': 'agent',
  'orders.list': 'agent',
  'replies.list': 'agent',
  'replies.render': 'agent',
  'replies.create': 'admin',
  'replies.expand': 'agent',
  'replies.variants': 'agent',
  'replies.setVariant': 'admin',
  'replies.suggest': 'agent',
  'replies.recordUse': 'agent',
  'replies.latestOfChannel': 'agent',
  'complaints.log': 'agent',
  'complaints.status': 'agent',
  'metrics.summary': 'agent',
  'metrics.customer': 'agent',
  'surveys.create': 'agent',
  'surveys.followUps': 'agent',
  // Team workflows (issue 21): agents read and work queues; team leads (admins) set calendars and targets.
  'sla.teams': 'agent',
  'sla.createTeam': 'admin',
  'sla.updateTeam': 'admin',
  'sla.setMember': 'admin',
  'sla.setAvailable': 'agent',
  'sla.policies': 'agent',
  'sla.setPolicy': 'admin',
  'sla.removePolicy': 'admin',
  'sla.ticket': 'agent',
  'sla.breaching': 'agent',
  'sla.attainment': 'agent',
  'queues.counts': 'agent',
  'queues.list': 'agent',
  'queues.assign': 'agent',
  'queues.assignToMe': 'agent',
  'presence.heartbeat': 'agent',
  'presence.leave': 'agent',
  'presence.read': 'agent',
  'presence.record': 'agent',
};

interface Seeded {
  customerId: number;
  ticketId: number;
  throwawayTokenId: number;
  /** Makes every sample unique (emails, identities, shortcuts). */
  n: () => number;
}

/**
 * A valid input per procedure, so an allowed caller really runs the handler (admin must get 200).
 * Optional: a procedure without a sample is called with `{}` and only checked for its auth outcome.
 */
const samples: Record<string, (s: Seeded) => unknown> = {
  'agents.create': (s) => ({ name: 'New Agent', email: `new-${s.n()}@rafiq.test`, role: 'agent' }),
  'agents.revokeToken': (s) => ({ tokenId: s.throwawayTokenId }),
  'customers.lookup': () => ({ identities: [{ kind: 'email', value: 'nobody@example.com' }] }),
  'customers.lookupWithView': () => ({ identities: [{ kind: 'email', value: 'nobody@example.com' }] }),
  'customers.lookupMany': () => ({ lookups: [{ identities: [{ kind: 'x', value: '@nobody' }] }] }),
  'customers.get': (s) => ({ id: s.customerId }),
  'customers.create': (s) => ({ displayName: `Matrix ${s.n()}`, identities: [{ kind: 'email', value: `m${s.n()}@example.com` }] }),
  'customers.update': (s) => ({ id: s.customerId, patch: { company: 'Acme' } }),
  'customers.search': () => ({ query: 'lay' }),
  'customers.merges': (s) => ({ customerId: s.customerId }),
  'customers.duplicates': () => ({}),
  'customers.exportOne': (s) => ({ id: s.customerId }),
  'identities.link': (s) => ({ customerId: s.customerId, identity: { kind: 'x', value: `@matrix${s.n()}` } }),
  'identities.unlink': () => ({ identityId: 999_999 }),
  'timeline.list': (s) => ({ customerId: s.customerId }),
  'interactions.log': (s) => ({ customerId: s.customerId, channel: 'email', direction: 'inbound', summary: 'hi', externalId: `m-${s.n()}` }),
  'notes.add': (s) => ({ customerId: s.customerId, body: 'a note' }),
  'notes.list': (s) => ({ customerId: s.customerId }),
  'tickets.create': (s) => ({ customerId: s.customerId, subject: 'Broken', channel: 'email' }),
  'tickets.update': (s) => ({ id: s.ticketId, priority: 'high' }),
  'tickets.list': (s) => ({ customerId: s.customerId }),
  'orders.list': (s) => ({ customerId: s.customerId }),
  'replies.list': () => ({}),
  'replies.render': (s) => ({ customerId: s.customerId, body: 'Hi {{customer.firstName}}' }),
  'replies.create': (s) => ({ name: 'Thanks', shortcut: `thanks-${s.n()}`, body: 'Thanks {{customer.firstName}}!' }),
  'complaints.status': () => ({ reviews: [{ site: 'trustpilot', reviewId: 'r1' }] }),
  'metrics.summary': () => ({ from: '2026-11-01', to: '2026-11-07' }),
  'metrics.customer': (s) => ({ customerId: s.customerId }),
  'surveys.create': (s) => ({ ticketId: s.ticketId }),
  'surveys.followUps': () => ({}),
  'sla.createTeam': (s) => ({ name: `Team ${s.n()}`, calendar: { timeZone: 'Asia/Riyadh', week: { sun: [{ start: '09:00', end: '17:00' }] } } }),
  'sla.updateTeam': () => ({ id: 1, claimOnFirstReply: true }),
  'sla.setMember': (s) => ({ agentId: 1, teamId: 1 + 0 * s.n() }),
  'sla.setAvailable': () => ({ available: true }),
  'sla.setPolicy': () => ({ channel: 'x', priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 240 }),
  'sla.removePolicy': () => ({ id: 999_999 }),
  'sla.ticket': (s) => ({ ticketId: s.ticketId }),
  'sla.breaching': () => ({}),
  'sla.attainment': () => ({ from: '2026-11-01', to: '2026-11-07' }),
  'queues.list': () => ({ queue: 'unassigned' }),
  'queues.assign': (s) => ({ ticketId: s.ticketId, agentId: null }),
  'queues.assignToMe': (s) => ({ ticketId: s.ticketId }),
  'presence.heartbeat': () => ({ tabId: 'matrix-tab-1', conversationKey: 'email:matrix', activity: 'viewing' }),
  'presence.leave': () => ({ tabId: 'matrix-tab-1' }),
  'presence.read': () => ({ conversationKey: 'email:matrix', since: '2026-11-01T00:00:00Z' }),
  'presence.record': () => ({ conversationKey: 'email:matrix', kind: 'logged' }),
};
// Procedures whose valid sample is allowed to end in a domain 4xx (the row does not exist).
const sampleMayBe4xx = new Set(['identities.unlink', 'sla.removePolicy']);

type Caller = 'none' | 'unknown' | 'revoked' | 'expired' | 'agent' | 'admin';
const callers: Caller[] = ['none', 'unknown', 'revoked', 'expired', 'agent', 'admin'];

function expected(role: Role, caller: Caller): 401 | 403 | 'pass' {
  if (role === 'public') return 'pass';
  if (caller === 'none' || caller === 'unknown' || caller === 'revoked' || caller === 'expired') return 401;
  if (role === 'admin' && caller === 'agent') return 403;
  return 'pass';
}

test('every procedure in the router has a declared role (and the table names no missing procedure)', () => {
  const inRouter = routerProcedures().map((p) => p.path);
  const undeclared = inRouter.filter((path) => !(path in roles));
  expect(
    undeclared,
    `These procedures have no role in tests/api/server/role-matrix.test.ts. Decide who may call each one ` +
      `(public | agent | admin), add it to the \`roles\` table, and make the procedure use the matching ` +
      `base procedure from api/trpc.ts: ${undeclared.join(', ')}`,
  ).toEqual([]);
  const stale = Object.keys(roles).filter((path) => !inRouter.includes(path));
  expect(stale, `The roles table names procedures the router no longer has; remove them: ${stale.join(', ')}`).toEqual([]);
});

describe.each(dbKinds)('role × procedure matrix (%s)', (kind) => {
  let testDb: TestDb;
  let app: Hono;
  let auth: AuthFixture;
  let seeded: Seeded;
  const now = Date.parse('2026-11-23T10:00:00Z');

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    const db = testDb.conn.db;
    auth = await seedAuth(db, now);
    const customer = await createCustomer(db, { displayName: 'Layla Haddad', identities: [], linkedBy: 'seed', agentId: null }, now);
    const { ticket } = await createTicket(db, {
      customerId: customer.id,
      subject: 'Late order',
      channel: 'email',
      priority: 'normal',
      assigneeId: null,
      sourceUrl: null,
      sourceKey: null,
      details: {},
      excerpt: null,
      agentId: null,
      createdAt: now,
    });
    const throwaway = await createToken(db, auth.agentId, now, { label: 'throwaway' });
    let counter = 0;
    seeded = { customerId: customer.id, ticketId: ticket.id, throwawayTokenId: throwaway.id, n: () => ++counter };
    app = createApp({ db: testDb.conn, now: () => now });
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  test('each caller gets exactly the outcome its role allows', async () => {
    const failures: string[] = [];
    let checked = 0;
    // Admin is the last caller of each procedure: its calls may change rows (revoke the throwaway token).
    for (const procedure of routerProcedures()) {
      const role = roles[procedure.path];
      if (!role) continue; // reported by the table test above
      for (const caller of callers) {
        const token = caller === 'none' ? null : auth[caller];
        const sample = samples[procedure.path];
        const input = sample ? sample(seeded) : procedure.type === 'query' ? undefined : {};
        const answer = await callProcedure(app, procedure, input, { token });
        const want = expected(role, caller);
        checked++;
        const where = `${procedure.path} (${role}) as ${caller}: got ${answer.status} ${answer.text.slice(0, 200)}`;
        if (want === 'pass') {
          if (answer.status === 401 || answer.status === 403) failures.push(`${where}; expected to pass auth`);
          else if (caller === 'admin' && sample && !sampleMayBe4xx.has(procedure.path) && answer.status !== 200)
            failures.push(`${where}; expected 200 for the valid sample`);
        } else if (answer.status !== want) {
          failures.push(`${where}; expected ${want}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(callers.length * Object.keys(roles).length);
  });
});
