// The foundation's API contract, through createCaller on a fresh migrated database — the same
// suite on SQLite and on PostgreSQL (see test-db.ts for how PG is found or skipped).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TRPCError } from '@trpc/server';
import { appRouter } from '../../../api/router';
import { createCallerFactory } from '../../../api/trpc';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { indexCustomers } from '../../../api/modules/customers/search-index';
import type { DomainError } from '../../../api/errors';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

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
  const callerFor = (token: string | null) => createCaller({ conn: t.conn, authorization: token ? `Bearer ${token}` : null, now: () => now, baseUrl: 'http://127.0.0.1:8787' });

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
    // Every answer sits at its request's index: hits at 0, 10, 20 …, misses everywhere else.
    expect(results.map((r) => r.customer?.displayName ?? null)).toEqual(lookups.map((_, i) => (i % 10 === 0 ? 'Layla Haddad' : null)));
    expect(results[10]!.matchedIdentity).toEqual({ kind: 'x', value: 'layla_haddad', normalized: 'layla_haddad' });
    expect(results[11]!.matchedIdentity).toBeNull();
    // Different customers and kinds in one call, in the order asked.
    const mixed = await agent.customers.lookupMany({
      lookups: [
        { identities: [{ kind: 'email', value: 'ALI.KAYA@example.com.tr' }] },
        { identities: [{ kind: 'x', value: 'nobody_here' }] },
        { identities: [{ kind: 'phone', value: '+90 (532) 555-1234' }] },
        { identities: [{ kind: 'email', value: 'nobody@example.com' }, { kind: 'trustpilot', value: 'https://trustpilot.com/users/abc123' }] },
      ],
    });
    expect(mixed.map((r) => r.customer?.displayName ?? null)).toEqual(['Ali Kaya', null, 'Layla Haddad', 'Layla Haddad']);
    expect(mixed.map((r) => r.matchedIdentity?.kind ?? null)).toEqual(['email', null, 'phone', 'trustpilot']);
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
    // Order numbers are indexed with the customer (the import and the start-up indexer do this).
    await indexCustomers(t.conn.db, [(await agent.customers.lookup({ identities: [{ kind: 'x', value: 'layla_haddad' }] })).customer!.id]);
    expect(await names('R-101')).toEqual(['Layla Haddad']);
    expect(await names('r-10')).toEqual(['Layla Haddad']);
    const page1 = await agent.customers.search({ query: 'e', limit: 1 });
    expect(page1.items).toHaveLength(1);
    const page2 = await agent.customers.search({ query: 'e', limit: 1, cursor: page1.nextCursor });
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]!.id).toBeGreaterThan(page1.items[0]!.id);
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

  test('lookup: a phone in any format; matchedIdentity is the first identity of the request that matched', async () => {
    const reza = await agent.customers.create({
      displayName: 'رضا کریمی',
      locale: 'fa',
      identities: [
        { kind: 'phone', value: '+98 912 555 1234' },
        { kind: 'email', value: 'Reza.Karimi@Example.IR' },
      ],
    });
    for (const value of ['+989125551234', '+98 (912) 555-1234', '+98-912-555-1234', '+98 912 5551234']) {
      const found = await agent.customers.lookup({ identities: [{ kind: 'phone', value }] });
      expect(found.customer?.id, value).toBe(reza.id);
      expect(found.matchedIdentity, value).toEqual({ kind: 'phone', value, normalized: '+989125551234' });
    }
    const second = await agent.customers.lookup({
      identities: [
        { kind: 'email', value: 'nobody@example.ir' },
        { kind: 'email', value: 'reza.karimi@example.ir' },
      ],
    });
    expect(second.matchedIdentity).toEqual({ kind: 'email', value: 'reza.karimi@example.ir', normalized: 'reza.karimi@example.ir' });
    // The customer comes back with every identity, not only the one that matched.
    expect(second.customer?.identities.map((i) => [i.kind, i.normalized])).toEqual([
      ['phone', '+989125551234'],
      ['email', 'reza.karimi@example.ir'],
    ]);
    // The same digits in another country are another person (+90 912… is no Turkish number: refused since issue 17).
    expect((await agent.customers.lookup({ identities: [{ kind: 'phone', value: '+1 912 555 1234' }] })).customer).toBeNull();
  });

  test('an identity that cannot be normalized is a BAD_REQUEST naming its field and why', async () => {
    const error = await agent.customers
      .lookup({ identities: [{ kind: 'x', value: '@fine_handle' }, { kind: 'phone', value: 'call me maybe' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect((error as TRPCError).message).toBe('identities.1.value "call me maybe" is not a phone number');
    expect(((error as TRPCError).cause as DomainError).details.field).toBe('identities.1.value');
    await expectCode(
      agent.customers.lookupMany({ lookups: [{ identities: [{ kind: 'x', value: 'fine' }] }, { identities: [{ kind: 'email', value: 'broken@' }] }] }),
      'BAD_REQUEST',
      /^lookups\.1\.identities\.0\.value "broken@" is not an email address/,
    );
    await expectCode(agent.customers.create({ displayName: 'Bad Handle', identities: [{ kind: 'x', value: 'has space' }] }), 'BAD_REQUEST', /identities\.0\.value .*not an X handle/);
    expect((await agent.customers.search({ query: 'Bad Handle' })).items).toEqual([]);
  });

  test('customers.update writes before/after to the audit log; unknown ids and bad fields are refused', async () => {
    const c = await agent.customers.create({ displayName: 'Update Me', tags: ['new'] });
    const updated = await agent.customers.update({ id: c.id, patch: { displayName: 'Updated Person', tags: ['vip', 'press'], customFields: { plan: 'Plus', seats: 3 } } });
    expect(updated).toMatchObject({ id: c.id, displayName: 'Updated Person', tags: ['vip', 'press'], customFields: { plan: 'Plus', seats: 3 } });
    expect(await agent.customers.get({ id: c.id })).toEqual(updated);
    const audit = await t.conn.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity', '=', 'customer').where('entity_id', '=', c.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['customer.create', 'customer.update']);
    expect(JSON.parse(audit[1]!.before!)).toMatchObject({ displayName: 'Update Me', tags: ['new'] });
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ displayName: 'Updated Person', tags: ['vip', 'press'] });
    await expectCode(agent.customers.update({ id: 987_654, patch: { company: 'Nobody Ltd' } }), 'NOT_FOUND', /customer 987654/);
    await expectCode(agent.customers.update({ id: c.id, patch: { locale: 'not a locale' } }), 'BAD_REQUEST');
  });

  test('timeline: every channel merged newest first; ties in time page by id with no gaps or repeats', async () => {
    const saved = now;
    const c = await agent.customers.create({ displayName: 'Timeline Tester', identities: [{ kind: 'email', value: 'timeline@example.org' }] });
    const tie = new Date(T0 - 86_400_000).toISOString();
    const kinds = ['email', 'x', 'review', 'call', 'chat'] as const;
    for (let i = 0; i < 20; i++) {
      await agent.interactions.log({ customerId: c.id, channel: kinds[i % kinds.length]!, direction: 'inbound', summary: `tie ${i}`, occurredAt: tie });
    }
    await agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'inbound', summary: 'oldest', occurredAt: new Date(T0 - 2 * 86_400_000).toISOString() });
    now = T0 + 10 * 3_600_000;
    await agent.notes.add({ customerId: c.id, body: 'Newest: called about the invoice' });
    await agent.tickets.create({ customerId: c.id, subject: 'Invoice', channel: 'email' });
    now = saved;

    const items: { id: number; channel: string; occurredAt: string; summary: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: typeof items; nextCursor: string | null } = await agent.timeline.list({ customerId: c.id, limit: 4, cursor });
      expect(page.items.length).toBeLessThanOrEqual(4);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(items).toHaveLength(23);
    expect(pages).toBe(6);
    expect(new Set(items.map((i) => i.id)).size).toBe(23);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      expect(a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.id > b.id), `${a.summary} before ${b.summary}`).toBe(true);
    }
    expect(new Set(items.slice(0, 2).map((i) => i.channel))).toEqual(new Set(['note', 'ticket']));
    expect(new Set(items.map((i) => i.channel))).toEqual(new Set(['note', 'ticket', ...kinds]));
    expect(items.at(-1)!.summary).toBe('oldest');
    // One page of everything is the same list.
    expect((await agent.timeline.list({ customerId: c.id, limit: 100 })).items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    // A channel filter pages the same way.
    const calls = await agent.timeline.list({ customerId: c.id, channels: ['call'], limit: 100 });
    expect(calls.items.map((i) => i.summary)).toEqual(['tie 18', 'tie 13', 'tie 8', 'tie 3']);
    await expectCode(agent.timeline.list({ customerId: 987_654 }), 'NOT_FOUND');
    await expectCode(agent.timeline.list({ customerId: c.id, limit: 0 }), 'BAD_REQUEST');
  });

  test('interactions.log: unique per channel + externalId; the first outbound reply on a ticket stamps first response once', async () => {
    const saved = now;
    const me = await agent.agents.me();
    const c = await agent.customers.create({ displayName: 'Response Timer' });
    const other = await agent.customers.create({ displayName: 'Someone Else' });
    now = T0 + 5 * 3_600_000;
    const { ticket } = await agent.tickets.create({ customerId: c.id, subject: 'Slow reply', channel: 'email' });
    expect(ticket.firstResponseAt).toBeNull();
    const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
    const firstResponse = async () => (await agent.tickets.list({ customerId: c.id })).items.find((x) => x.id === ticket.id)!.firstResponseAt;

    const inbound = await agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'inbound', summary: 'Any news?', ticketId: ticket.id, occurredAt: at(5.5) });
    expect(inbound.interaction.agentId).toBeNull();
    expect(await firstResponse()).toBeNull();

    const reply = await agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'outbound', summary: 'Re: Slow reply', ticketId: ticket.id, externalId: 'msg-reply-1', occurredAt: at(6) });
    expect(reply).toMatchObject({ created: true, interaction: { agentId: me.id, ticketId: ticket.id, externalId: 'msg-reply-1' } });
    expect(await firstResponse()).toBe(at(6));

    const again = await agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'outbound', summary: 'Re: Slow reply (resent)', ticketId: ticket.id, externalId: 'msg-reply-1', occurredAt: at(6.5) });
    expect(again).toEqual({ created: false, interaction: reply.interaction });
    const rows = await t.conn.db.selectFrom('interactions').select('id').where('channel', '=', 'email').where('external_id', '=', 'msg-reply-1').execute();
    expect(rows).toHaveLength(1);
    // The same id on another channel is another item.
    expect((await agent.interactions.log({ customerId: c.id, channel: 'x', direction: 'inbound', summary: 'tweet', externalId: 'msg-reply-1' })).created).toBe(true);

    await agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'outbound', summary: 'Second reply', ticketId: ticket.id, occurredAt: at(7) });
    expect(await firstResponse()).toBe(at(6));

    await expectCode(agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'outbound', summary: 'x', ticketId: 987_654 }), 'NOT_FOUND');
    // A ticket belongs to one customer: logging it on someone else's timeline is refused and changes nothing.
    const { ticket: otherTicket } = await agent.tickets.create({ customerId: other.id, subject: 'Not yours', channel: 'email' });
    await expectCode(
      agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'outbound', summary: 'wrong customer', ticketId: otherTicket.id }),
      'BAD_REQUEST',
      /ticket/,
    );
    expect((await agent.tickets.list({ customerId: other.id })).items[0]!.firstResponseAt).toBeNull();
    await expectCode(agent.interactions.log({ customerId: c.id, channel: 'email', direction: 'inbound', summary: 'x', occurredAt: 'yesterday' }), 'BAD_REQUEST');
    now = saved;
  });

  test('tickets.update: resolve stamps resolvedAt, each reopen counts, every change is in the audit log', async () => {
    const saved = now;
    const me = await agent.agents.me();
    const c = await agent.customers.create({ displayName: 'Audit Trail' });
    now = T0 + 8 * 3_600_000;
    const { ticket } = await agent.tickets.create({ customerId: c.id, subject: 'Refund', channel: 'x', priority: 'low' });
    expect(ticket).toMatchObject({ status: 'open', reopenCount: 0, resolvedAt: null, assigneeId: me.id, priority: 'low' });
    const step = async (patch: { status?: 'open' | 'pending' | 'resolved' | 'closed'; priority?: 'high' }) => {
      now += 3_600_000;
      return agent.tickets.update({ id: ticket.id, ...patch });
    };
    expect(await step({ status: 'resolved' })).toMatchObject({ status: 'resolved', resolvedAt: new Date(now).toISOString(), reopenCount: 0 });
    expect(await step({ status: 'pending' })).toMatchObject({ status: 'pending', resolvedAt: null, reopenCount: 1 });
    expect(await step({ status: 'closed' })).toMatchObject({ status: 'closed', resolvedAt: new Date(now).toISOString(), reopenCount: 1 });
    expect(await step({ status: 'open' })).toMatchObject({ status: 'open', resolvedAt: null, reopenCount: 2 });
    expect(await step({ priority: 'high' })).toMatchObject({ status: 'open', priority: 'high', reopenCount: 2 });

    const audit = await t.conn.db
      .selectFrom('audit_log')
      .select(['action', 'agent_id', 'before', 'after', 'at'])
      .where('entity', '=', 'ticket')
      .where('entity_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(Array(5).fill('ticket.update'));
    expect(audit.every((a) => a.agent_id === me.id)).toBe(true);
    const statuses = audit.map((a) => [(JSON.parse(a.before!) as { status: string }).status, (JSON.parse(a.after!) as { status: string }).status]);
    expect(statuses).toEqual([
      ['open', 'resolved'],
      ['resolved', 'pending'],
      ['pending', 'closed'],
      ['closed', 'open'],
      ['open', 'open'],
    ]);
    expect(audit.map((a) => Number(a.at))).toEqual([1, 2, 3, 4, 5].map((h) => T0 + (8 + h) * 3_600_000));
    const summaries = (await agent.timeline.list({ customerId: c.id, channels: ['ticket'], limit: 10 })).items.map((i) => i.summary);
    expect(summaries).toEqual([`Ticket #${ticket.id} reopened`, `Ticket #${ticket.id} closed`, `Ticket #${ticket.id} reopened`, `Ticket #${ticket.id} resolved`, `Ticket #${ticket.id} opened: Refund`]);
    now = saved;
  });

  test('tickets.list filters by customer, status and source key, and pages by cursor', async () => {
    const c = await agent.customers.create({ displayName: 'Many Tickets' });
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await agent.tickets.create({ customerId: c.id, subject: `Issue ${i}`, channel: 'review', sourceKey: `review:list:${i}` })).ticket.id);
    await agent.tickets.update({ id: ids[1]!, status: 'pending' });
    await agent.tickets.update({ id: ids[3]!, status: 'pending' });
    const seen: number[] = [];
    let cursor: number | null = null;
    for (let page = 0; page < 5; page++) {
      const result: { items: { id: number }[]; nextCursor: number | null } = await agent.tickets.list({ customerId: c.id, limit: 2, cursor });
      seen.push(...result.items.map((x) => x.id));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...ids].reverse());
    expect((await agent.tickets.list({ customerId: c.id, status: ['pending'] })).items.map((x) => x.id)).toEqual([ids[3], ids[1]]);
    expect((await agent.tickets.list({ customerId: c.id, status: ['open', 'pending'] })).items).toHaveLength(5);
    const bySource = await agent.tickets.list({ sourceKeys: ['review:list:2', 'review:list:4', 'review:list:nope'] });
    expect(bySource.items.map((x) => x.sourceKey)).toEqual(['review:list:4', 'review:list:2']);
    await expectCode(agent.tickets.create({ customerId: 987_654, subject: 'x', channel: 'email' }), 'NOT_FOUND');
    await expectCode(agent.tickets.list({ status: ['archived' as 'open'] }), 'BAD_REQUEST');
  });

  test('orders.list: newest placed first across pages, even when entered out of order; lifetime totals per currency', async () => {
    const c = await agent.customers.create({ displayName: 'Order Pager' });
    const day = 86_400_000;
    // Entered (ids) in another order than placed: an import of an old shop's history does this.
    const rows = [
      { number: 'P-1', placed: 1, status: 'delivered', cents: 1000, currency: 'USD' },
      { number: 'P-5', placed: 5, status: 'delivered', cents: 5000, currency: 'USD' },
      { number: 'P-2', placed: 2, status: 'returned', cents: 2000, currency: 'USD' },
      { number: 'P-4', placed: 4, status: 'paid', cents: 40_000, currency: 'TRY' },
      { number: 'P-3', placed: 3, status: 'shipped', cents: 3000, currency: 'USD' },
    ] as const;
    await t.conn.db
      .insertInto('orders')
      .values(rows.map((r) => ({ customer_id: c.id, number: r.number, status: r.status, total_cents: r.cents, currency: r.currency, placed_at: T0 - r.placed * day, items: '[]' })))
      .execute();
    const numbers: string[] = [];
    let cursor: number | null = null;
    for (let page = 0; page < 5; page++) {
      const result: { items: { number: string }[]; nextCursor: number | null } = await agent.orders.list({ customerId: c.id, limit: 2, cursor });
      numbers.push(...result.items.map((o) => o.number));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(numbers).toEqual(['P-1', 'P-2', 'P-3', 'P-4', 'P-5']);
    const all = await agent.orders.list({ customerId: c.id });
    expect(all.items[0]).toMatchObject({ number: 'P-1', total: 10, totalCents: 1000, currency: 'USD', placedAt: new Date(T0 - day).toISOString() });
    // Returned orders do not count towards what a customer has spent.
    expect([...all.lifetime].sort((a, b) => a.currency.localeCompare(b.currency))).toEqual([
      { currency: 'TRY', count: 1, total: 400 },
      { currency: 'USD', count: 3, total: 90 },
    ]);
    await expectCode(agent.orders.list({ customerId: 987_654 }), 'NOT_FOUND');
  });

  test('replies: admins add templates, agents list and render them; bad templates and unknown ones are refused', async () => {
    const { customer } = await agent.customers.lookup({ identities: [{ kind: 'x', value: 'layla_haddad' }] });
    await admin.replies.create({ name: 'Refund on its way', shortcut: 'refund', body: 'Hi {{customer.firstName}}, your refund for {{order.number}} is on its way. {{agent.firstName}}' });
    await admin.replies.create({ name: 'Apology', shortcut: 'sorry', body: 'Sorry, {{customer.name}}!' });
    await admin.replies.create({ name: 'Sipariş gecikmesi', shortcut: 'tr-delay', language: 'tr', body: 'Merhaba {{customer.firstName | }}, {{order.number | siparişiniz}} gecikti.' });
    await expectCode(agent.replies.create({ name: 'Mine', shortcut: 'mine', body: 'hi' }), 'FORBIDDEN');
    await expectCode(admin.replies.create({ name: 'Broken', shortcut: 'broken', body: 'Hi {{customer.nick}}' }), 'BAD_REQUEST', /Allowed: .*\{\{customer\.firstName\}\}/);
    await expectCode(admin.replies.create({ name: 'Bad shortcut', shortcut: 'Has Spaces', body: 'hi' }), 'BAD_REQUEST');

    const names = async (input?: { query?: string; language?: string; limit?: number }) => (await agent.replies.list(input)).map((r) => r.name);
    expect(await names()).toEqual(['Apology', 'Refund on its way', 'Sipariş gecikmesi']);
    expect(await names({ language: 'tr' })).toEqual(['Sipariş gecikmesi']);
    expect(await names({ query: 'REFUND' })).toEqual(['Refund on its way']);
    expect(await names({ query: '/tr-del' })).toEqual(['Sipariş gecikmesi']);
    // The filter applies before the limit: the one match is found even past the first `limit` names.
    expect(await names({ query: 'refund', limit: 1 })).toEqual(['Refund on its way']);
    expect(await names({ query: 'gecikme', limit: 1 })).toEqual(['Sipariş gecikmesi']);

    const refund = (await agent.replies.list({ query: 'refund' }))[0]!;
    expect((await agent.replies.render({ templateId: refund.id, customerId: customer!.id })).text).toBe('Hi Layla, your refund for R-101 is on its way. Emre');
    expect((await admin.replies.render({ shortcut: 'sorry', customerId: customer!.id })).text).toBe('Sorry, Layla Haddad!');
    const noOrders = await agent.customers.create({ displayName: 'Ömer Çelik' });
    expect((await agent.replies.render({ shortcut: 'tr-delay', customerId: noOrders.id })).text).toBe('Merhaba Ömer, siparişiniz gecikti.');
    await expectCode(agent.replies.render({ shortcut: 'refund', customerId: noOrders.id }), 'BAD_REQUEST', /\{\{order\.number\}\} has no value/);
    await expectCode(agent.replies.render({ shortcut: 'nope', customerId: customer!.id }), 'NOT_FOUND');
    await expectCode(agent.replies.render({ shortcut: 'sorry', customerId: 987_654 }), 'NOT_FOUND');
    await expectCode(agent.replies.render({ customerId: customer!.id }), 'BAD_REQUEST');
  });

  test('auth: expired and revoked tokens are UNAUTHORIZED; revoking and adding agents is admin work', async () => {
    const saved = now;
    const me = await agent.agents.me();
    const shortLived = await createToken(t.conn.db, me.id, now, { expiresAt: now + 60_000 });
    const caller = callerFor(shortLived.token);
    expect((await caller.agents.me()).id).toBe(me.id);
    now += 60_000;
    await expectCode(caller.agents.me(), 'UNAUTHORIZED', /expired/);
    await expectCode(caller.customers.search({ query: 'layla' }), 'UNAUTHORIZED');
    const alreadyExpired = await createToken(t.conn.db, me.id, now - 120_000, { expiresAt: now - 1 });
    await expectCode(callerFor(alreadyExpired.token).agents.me(), 'UNAUTHORIZED');

    const other = await createToken(t.conn.db, me.id, now);
    await expectCode(agent.agents.revokeToken({ tokenId: other.id }), 'FORBIDDEN');
    await expectCode(agent.agents.list(), 'FORBIDDEN');
    expect((await callerFor(other.token).agents.me()).id).toBe(me.id);
    await admin.agents.revokeToken({ tokenId: other.id });
    await expectCode(callerFor(other.token).agents.me(), 'UNAUTHORIZED');
    await expectCode(admin.agents.revokeToken({ tokenId: other.id }), 'NOT_FOUND');
    const revocations = await t.conn.db.selectFrom('audit_log').select('action').where('entity', '=', 'api_token').where('entity_id', '=', other.id).execute();
    expect(revocations).toEqual([{ action: 'token.revoke' }]);

    await expectCode(admin.agents.create({ name: 'Emre Again', email: 'EMRE@rafiq.example', role: 'agent' }), 'CONFLICT', new RegExp(`agent ${me.id}`));
    await expectCode(admin.agents.create({ name: 'Bad Role', email: 'bad@rafiq.example', role: 'owner' as 'agent' }), 'BAD_REQUEST');
    const withScheme = (authorization: string) => createCaller({ conn: t.conn, authorization, now: () => now, baseUrl: 'http://127.0.0.1:8787' });
    await expectCode(withScheme(`Basic ${shortLived.token}`).agents.me(), 'UNAUTHORIZED', /Bearer/);
    await expectCode(withScheme('Bearer').agents.me(), 'UNAUTHORIZED');
    // The scheme is case-insensitive (RFC 9110); the token is not.
    const fresh = await createToken(t.conn.db, me.id, now);
    expect((await withScheme(`bearer ${fresh.token}`).agents.me()).id).toBe(me.id);
    await expectCode(withScheme(`Bearer ${fresh.token.toUpperCase()}`).agents.me(), 'UNAUTHORIZED');
    now = saved;
  });
});
