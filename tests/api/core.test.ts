// The foundation's API contract, through createCaller on a fresh migrated database — the same
// suite on SQLite and on PostgreSQL (see metrics-test-db.ts for how PG is found or skipped).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TRPCError } from '@trpc/server';
import { appRouter } from '../../api/router';
import { createCallerFactory } from '../../api/trpc';
import { createAgent, createToken } from '../../api/modules/agents/agents.repository';
import { createTestDb, dbKinds, type TestDb } from './metrics-test-db';

const createCaller = createCallerFactory(appRouter);
const T0 = Date.parse('2026-11-01T09:00:00Z');

async function expectCode(promise: Promise<unknown>, code: TRPCError['code'], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (message) expect((error as TRPCError).message).toMatch(message);
}

describe.each(dbKinds)('API on %s', (kind) => {
  let t: TestDb;
  let now = T0;
  let admin: ReturnType<typeof createCaller>;
  let agent: ReturnType<typeof createCaller>;
  let anonymous: ReturnType<typeof createCaller>;
  const callerFor = (token: string | null) => createCaller({ db: t.conn, authorization: token ? `Bearer ${token}` : null, now: () => now, baseUrl: 'http://127.0.0.1:8787' });

  beforeAll(async () => {
    t = await createTestDb(kind);
    const sara = await createAgent(t.conn.db, { name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin' }, T0);
    const emre = await createAgent(t.conn.db, { name: 'Emre Kaya', email: 'emre@rafiq.example', role: 'agent' }, T0);
    admin = callerFor((await createToken(t.conn.db, sara.id, T0)).token);
    agent = callerFor((await createToken(t.conn.db, emre.id, T0)).token);
    anonymous = callerFor(null);
  }, 60_000);
  afterAll(async () => t?.cleanup(), 30_000);

  test('customers.create and lookup by normalized identities; null for strangers', async () => {
    const layla = await agent.customers.create({
      displayName: 'Layla Haddad',
      company: 'Haddad Design',
      tags: ['vip'],
      identities: [
        { kind: 'email', value: 'Layla.Haddad+orders@GoogleMail.com' },
        { kind: 'x', value: '@Layla_Haddad' },
        { kind: 'phone', value: '+90 532 555 12 34' },
        { kind: 'trustpilot', value: 'https://it.trustpilot.com/users/abc123?utm_source=mail' },
      ],
    });
    expect(layla.identities.map((i) => i.normalized)).toEqual(['laylahaddad@gmail.com', 'layla_haddad', '+905325551234', 'https://trustpilot.com/users/abc123']);

    const cases: [string, { kind: 'email' | 'x' | 'phone' | 'trustpilot'; value: string }][] = [
      ['gmail dots, case and +tag', { kind: 'email', value: 'laylahaddad@gmail.com' }],
      ['handle with @ and case', { kind: 'x', value: 'LAYLA_HADDAD' }],
      ['phone written differently', { kind: 'phone', value: '+905325551234' }],
      ['profile URL with another subdomain and tracking', { kind: 'trustpilot', value: 'https://www.trustpilot.com/users/abc123/?fbclid=x' }],
    ];
    for (const [why, identity] of cases) {
      const found = await agent.customers.lookup({ identities: [identity] });
      expect(found.customer?.id, why).toBe(layla.id);
      expect(found.matchedIdentity?.kind, why).toBe(identity.kind);
    }
    expect((await agent.customers.lookup({ identities: [{ kind: 'email', value: 'nobody@example.com' }] })).customer).toBeNull();
    // Dots matter outside Gmail.
    await agent.customers.create({ displayName: 'Ali Kaya', identities: [{ kind: 'email', value: 'ali.kaya@example.com.tr' }] });
    expect((await agent.customers.lookup({ identities: [{ kind: 'email', value: 'alikaya@example.com.tr' }] })).customer).toBeNull();
  });

  test('lookupMany answers up to 100 lookups in order; 101 is a clear error', async () => {
    const lookups = Array.from({ length: 100 }, (_, i) => ({ identities: [{ kind: 'x' as const, value: i % 10 === 0 ? 'layla_haddad' : `stranger_${i}` }] }));
    const results = await agent.customers.lookupMany({ lookups });
    expect(results).toHaveLength(100);
    expect(results.filter((r) => r.customer?.displayName === 'Layla Haddad')).toHaveLength(10);
    expect(results[0]!.customer?.displayName).toBe('Layla Haddad');
    expect(results[1]!.customer).toBeNull();
    await expectCode(agent.customers.lookupMany({ lookups: [...lookups, lookups[0]!] }), 'BAD_REQUEST');
  });

  test('bad input is a BAD_REQUEST naming the field', async () => {
    await expectCode(agent.customers.lookup({ identities: [{ kind: 'email', value: 'not-an-email' }] }), 'BAD_REQUEST', /identities\.0\.value/);
    await expectCode(agent.customers.lookup({ identities: [] }), 'BAD_REQUEST');
    await expectCode(agent.customers.create({ displayName: '', identities: [] }), 'BAD_REQUEST');
  });

  test('an identity that belongs to someone else is a CONFLICT naming that customer', async () => {
    const { customer } = await agent.customers.lookup({ identities: [{ kind: 'x', value: 'layla_haddad' }] });
    await expectCode(agent.customers.create({ displayName: 'Impostor', identities: [{ kind: 'x', value: '@layla_haddad' }] }), 'CONFLICT', new RegExp(`customer ${customer!.id}`));
    const other = await agent.customers.create({ displayName: 'Mehmet Yılmaz', identities: [{ kind: 'email', value: 'mehmet.yilmaz@example.com.tr' }] });
    await expectCode(agent.identities.link({ customerId: other.id, identity: { kind: 'x', value: 'layla_haddad' } }), 'CONFLICT', new RegExp(`customer ${customer!.id}`));
    // Linking what the customer already has is a no-op.
    const again = await agent.identities.link({ customerId: customer!.id, identity: { kind: 'x', value: 'Layla_Haddad' } });
    expect(again.created).toBe(false);
  });

  test('link and unlink identities, with an audit trail', async () => {
    const mehmet = (await agent.customers.lookup({ identities: [{ kind: 'email', value: 'mehmet.yilmaz@example.com.tr' }] })).customer!;
    const { identity, created } = await agent.identities.link({ customerId: mehmet.id, identity: { kind: 'x', value: 'mehmet_yilmaz' } });
    expect(created).toBe(true);
    expect((await agent.customers.lookup({ identities: [{ kind: 'x', value: '@Mehmet_Yilmaz' }] })).customer?.id).toBe(mehmet.id);
    await agent.identities.unlink({ identityId: identity.id });
    expect((await agent.customers.lookup({ identities: [{ kind: 'x', value: 'mehmet_yilmaz' }] })).customer).toBeNull();
    const audit = await t.conn.db.selectFrom('audit_log').select('action').where('entity', '=', 'customer').where('entity_id', '=', mehmet.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['customer.create', 'identity.link', 'identity.unlink']));
  });

  test('customers.get, update and NOT_FOUND', async () => {
    const { customer } = await agent.customers.lookup({ identities: [{ kind: 'x', value: 'layla_haddad' }] });
    const updated = await agent.customers.update({ id: customer!.id, patch: { company: 'Haddad Studio', locale: 'ar' } });
    expect(updated).toMatchObject({ company: 'Haddad Studio', locale: 'ar', displayName: 'Layla Haddad' });
    expect((await agent.customers.get({ id: customer!.id })).identities).toHaveLength(4);
    await expectCode(agent.customers.get({ id: 999_999 }), 'NOT_FOUND');
  });

  test('timeline: logging the same item twice is a no-op; pages are newest first without gaps', async () => {
    const { customer } = await agent.customers.lookup({ identities: [{ kind: 'x', value: 'layla_haddad' }] });
    const id = customer!.id;
    for (let i = 0; i < 25; i++) {
      await agent.interactions.log({ customerId: id, channel: i % 2 ? 'email' : 'x', direction: 'inbound', summary: `message ${i}`, externalId: `ext-${i}`, occurredAt: new Date(T0 - (25 - i) * 60_000).toISOString() });
    }
    const again = await agent.interactions.log({ customerId: id, channel: 'x', direction: 'inbound', summary: 'message 0 again', externalId: 'ext-0' });
    expect(again.created).toBe(false);
    expect(again.interaction.summary).toBe('message 0');
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: { items: { summary: string; occurredAt: string }[]; nextCursor: string | null } = await agent.timeline.list({ customerId: id, limit: 7, cursor });
      seen.push(...result.items.map((i) => i.summary));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(25);
    expect(seen[0]).toBe('message 24');
    expect(new Set(seen).size).toBe(25);
    await expectCode(agent.timeline.list({ customerId: id, limit: 101 }), 'BAD_REQUEST');
    await expectCode(agent.timeline.list({ customerId: id, cursor: 'garbage' }), 'BAD_REQUEST');
  });

  test('notes and tickets land on the timeline; tickets dedupe on source key; status changes are counted', async () => {
    const { customer } = await agent.customers.lookup({ identities: [{ kind: 'x', value: 'layla_haddad' }] });
    const id = customer!.id;
    now = T0 + 3_600_000;
    await agent.notes.add({ customerId: id, body: 'Prefers email' });
    const first = await agent.tickets.create({ customerId: id, subject: 'Order arrived damaged', channel: 'email', sourceKey: 'email:thread-1' });
    const second = await agent.tickets.create({ customerId: id, subject: 'Order arrived damaged (again)', channel: 'email', sourceKey: 'email:thread-1' });
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    const top = await agent.timeline.list({ customerId: id, limit: 2 });
    expect(top.items.map((i) => i.channel).sort()).toEqual(['note', 'ticket']);

    now = T0 + 2 * 3_600_000;
    await agent.interactions.log({ customerId: id, channel: 'email', direction: 'outbound', summary: 'Re: damaged', ticketId: first.ticket.id });
    now = T0 + 3 * 3_600_000;
    const resolved = await agent.tickets.update({ id: first.ticket.id, status: 'resolved' });
    expect(resolved.firstResponseAt).toBe(new Date(T0 + 2 * 3_600_000).toISOString());
    expect(resolved.resolvedAt).toBe(new Date(T0 + 3 * 3_600_000).toISOString());
    const reopened = await agent.tickets.update({ id: first.ticket.id, status: 'open' });
    expect(reopened).toMatchObject({ reopenCount: 1, resolvedAt: null });
    const open = await agent.tickets.list({ customerId: id, status: ['open'] });
    expect(open.items.map((t) => t.id)).toContain(first.ticket.id);
    await expectCode(agent.tickets.update({ id: 999_999, status: 'closed' }), 'NOT_FOUND');
  });

  test('orders and replies.render: customer name, last order, the agent’s real name; unknown variables named', async () => {
    const { customer } = await agent.customers.lookup({ identities: [{ kind: 'x', value: 'layla_haddad' }] });
    await t.conn.db
      .insertInto('orders')
      .values([
        { customer_id: customer!.id, number: 'R-100', status: 'delivered', total_cents: 4200, currency: 'USD', placed_at: T0 - 86_400_000, items: '[]' },
        { customer_id: customer!.id, number: 'R-101', status: 'shipped', total_cents: 1999, currency: 'USD', placed_at: T0, items: '[]' },
      ])
      .execute();
    const orders = await agent.orders.list({ customerId: customer!.id });
    expect(orders.items.map((o) => o.number)).toEqual(['R-101', 'R-100']);
    expect(orders.lifetime).toEqual([{ currency: 'USD', count: 2, total: 61.99 }]);

    const rendered = await agent.replies.render({ customerId: customer!.id, body: 'Hi {{customer.firstName}}, order {{order.number}} ({{order.total}}) is on its way. {{agent.name}}' });
    expect(rendered.text).toBe('Hi Layla, order R-101 ($19.99) is on its way. Emre Kaya');
    await expectCode(agent.replies.render({ customerId: customer!.id, body: 'Hi {{customer.nickname}}' }), 'BAD_REQUEST', /Unknown variable \{\{customer\.nickname\}\}\. Allowed: .*\{\{customer\.name\}\}/);
    const stranger = await agent.customers.create({ displayName: 'No Orders', identities: [] });
    await expectCode(agent.replies.render({ customerId: stranger.id, body: '{{order.number}}' }), 'BAD_REQUEST', /order\.number/);
    expect((await agent.replies.render({ customerId: stranger.id, body: '{{order.number | your order}}' })).text).toBe('your order');
  });

  test('search by name (any word, folded), email, handle and order number, paginated', async () => {
    await agent.customers.create({ displayName: 'محمد الأحمد', identities: [{ kind: 'email', value: 'mohammed@example.sa' }] });
    await agent.customers.create({ displayName: 'İrem Şahin', identities: [{ kind: 'email', value: 'irem@example.com.tr' }] });
    const names = async (query: string) => (await agent.customers.search({ query })).items.map((c) => c.displayName);
    expect(await names('layla')).toContain('Layla Haddad');
    expect(await names('HADDAD')).toContain('Layla Haddad');
    expect(await names('محمد')).toContain('محمد الأحمد');
    // Alef with hamza folds to plain alef: typed without it, still found.
    expect(await names('الاحمد')).toContain('محمد الأحمد');
    expect(await names('irem')).toContain('İrem Şahin');
    expect(await names('mohammed@')).toContain('محمد الأحمد');
    expect(await names('@layla_h')).toContain('Layla Haddad');
    const page1 = await agent.customers.search({ query: 'e', limit: 1 });
    expect(page1.items).toHaveLength(1);
  });

  test('auth: no token 401, agents cannot do admin work, admins can; me names the agent', async () => {
    await expectCode(anonymous.customers.lookup({ identities: [{ kind: 'x', value: 'a' }] }), 'UNAUTHORIZED');
    await expectCode(callerFor('rfq_made_up').agents.me(), 'UNAUTHORIZED');
    expect(await agent.agents.me()).toMatchObject({ name: 'Emre Kaya', role: 'agent' });
    await expectCode(agent.agents.create({ name: 'X', email: 'x@rafiq.example', role: 'agent' }), 'FORBIDDEN');
    const created = await admin.agents.create({ name: 'Nour', email: 'nour@rafiq.example', role: 'agent' });
    expect(created.token).toMatch(/^rfq_[A-Za-z0-9_-]{43}$/);
    const nour = callerFor(created.token);
    expect((await nour.agents.me()).name).toBe('Nour');
    const [token] = await nour.agents.tokens();
    await admin.agents.revokeToken({ tokenId: token!.id });
    await expectCode(nour.agents.me(), 'UNAUTHORIZED');
    // Only the hash is stored.
    const stored = await t.conn.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
    expect(stored.some((s) => s.token_hash === created.token)).toBe(false);
  });
});
