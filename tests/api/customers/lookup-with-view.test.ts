import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CustomerLookupInput } from '@shared/customer';
import { customerViewInputs } from '@shared/customer-view';
import { createApp } from '../../../api/app';
import { requestCost } from '../../../api/rate-limit';
import { demoPagePeople, seedDemoIfEmpty } from '../../../api/demo/seed';
import { indexMissingCustomers } from '../../../api/modules/customers/search-index';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, type Caller } from '../identity-helpers';
import { callProcedure, errorMessage } from '../trpc-http';

/**
 * Issue 20: `customers.lookupWithView` answers a cold thread switch in one round trip. It must
 * return exactly what `customers.lookup` and then the card's five reads (`customerViewInputs`)
 * return separately, for the customer the lookup matched and no other; with the same validation,
 * authentication and rate limit as those calls.
 */
const NOW = Date.parse('2026-12-07T03:00:00Z');

describe.each(dbKinds)('customers.lookupWithView (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let agentToken: string;
  let dir: string;
  let clock = NOW;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    dir = mkdtempSync(join(tmpdir(), 'rafiq-lookup-view-'));
    await seedDemoIfEmpty(testDb.conn.db, { tokenFile: join(dir, 'token.txt'), now: NOW, customers: 40 });
    await indexMissingCustomers(testDb.conn.db);
    ({ agent, agentToken } = await identityCallers(testDb, () => (clock += 1000)));
  }, 90_000);
  afterAll(async () => {
    await testDb?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What the extension got from two round trips before: the lookup, then the card's five reads. */
  async function separately(input: CustomerLookupInput) {
    const lookup = await agent.customers.lookup(input);
    if (!lookup.customer) return { lookup, view: null };
    const reads = customerViewInputs(lookup.customer.id);
    const [customer, timeline, tickets, orders, notes] = await Promise.all([
      agent.customers.get(reads.customer),
      agent.timeline.list(reads.timeline),
      agent.tickets.list(reads.tickets),
      agent.orders.list(reads.orders),
      agent.notes.list(reads.notes),
    ]);
    return { lookup, view: { customer, timeline, openTickets: tickets.items, orders, notes } };
  }

  test('every demo page person: the same lookup and the same card as the separate calls, of the matched customer', async () => {
    let withOrders = 0;
    for (const person of demoPagePeople) {
      for (const identity of person.identities) {
        const input = { identities: [identity], name: person.name };
        const combined = await agent.customers.lookupWithView(input);
        expect(combined).toEqual(await separately(input));
        expect(combined.lookup.customer?.displayName).toBe(person.name);
        expect(combined.view?.customer.id).toBe(combined.lookup.customer!.id);
        if (combined.view?.orders.items.length) withOrders++;
      }
    }
    // The comparison is about real cards, not empty ones.
    const layla = await agent.customers.lookupWithView({ identities: [{ kind: 'email', value: 'layla.haddad@example.com' }] });
    expect(layla.view!.timeline.items.length).toBeGreaterThan(0);
    expect(layla.view!.openTickets.length + layla.view!.notes.length).toBeGreaterThan(0);
    expect(withOrders).toBeGreaterThan(0);
  });

  test('several identities, spelled as a page spells them: the same answer as the separate calls', async () => {
    const input = {
      identities: [
        { kind: 'email' as const, value: '  Mehmet.Yilmaz@Example.com.TR ' },
        { kind: 'x' as const, value: '@mehmet_yilmaz' },
      ],
      name: 'Mehmet',
    };
    const combined = await agent.customers.lookupWithView(input);
    expect(combined).toEqual(await separately(input));
    expect(combined.view!.customer.displayName).toBe('Mehmet Yılmaz');
  });

  test('nobody matches: the lookup with its suggestions, and no card', async () => {
    const near = { identities: [{ kind: 'email' as const, value: 'layla.h@new-domain.example' }], name: 'Layla Haddad' };
    const combined = await agent.customers.lookupWithView(near);
    expect(combined).toEqual({ lookup: await agent.customers.lookup(near), view: null });
    expect(combined.lookup.customer).toBeNull();
    expect(combined.lookup.suggestions.length).toBeGreaterThan(0);
    const stranger = { identities: [{ kind: 'email' as const, value: `nobody-${kind}@nowhere.example` }] };
    expect(await agent.customers.lookupWithView(stranger)).toEqual({ lookup: { customer: null, matchedIdentity: null, suggestions: [] }, view: null });
  });

  test('after a merge the identity names the survivor, and the card is the survivor’s', async () => {
    const survivor = await agent.customers.create({ displayName: 'Rana Saleh', identities: [{ kind: 'email', value: `rana-${kind}@saleh.example` }] });
    const merged = await agent.customers.create({ displayName: 'R. Saleh', identities: [{ kind: 'email', value: `r.saleh-${kind}@example.net` }] });
    await agent.notes.add({ customerId: merged.id, body: 'note on the merged card' });
    await agent.customers.merge({ survivorId: survivor.id, mergedId: merged.id });
    const input = { identities: [{ kind: 'email' as const, value: `r.saleh-${kind}@example.net` }] };
    const combined = await agent.customers.lookupWithView(input);
    expect(combined).toEqual(await separately(input));
    expect(combined.lookup.customer!.id).toBe(survivor.id);
    expect(combined.view!.customer.id).toBe(survivor.id);
    expect(combined.view!.notes.map((n) => n.body)).toContain('note on the merged card');
  });

  test('over HTTP: validation names the field, no token is a 401, and it costs the six calls it stands for', async () => {
    const procedure = { path: 'customers.lookupWithView', type: 'query' } as const;
    const app = createApp({ db: testDb.conn, rateLimitPerMinute: 0, now: () => clock });
    const empty = await callProcedure(app, procedure, { identities: [] }, { token: agentToken });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { data: { code: 'BAD_REQUEST', fieldErrors: { identities: ['give at least one identity'] } } } });
    const badKind = await callProcedure(app, procedure, { identities: [{ kind: 'fax', value: '123' }] }, { token: agentToken });
    expect(badKind.status).toBe(400);
    expect(Object.keys((badKind.body as { error: { data: { fieldErrors: Record<string, string[]> } } }).error.data.fieldErrors)).toEqual(['identities.0.kind']);
    const noInput = await callProcedure(app, procedure, undefined, { token: agentToken });
    expect(noInput.status).toBe(400);

    const input = { identities: [{ kind: 'email', value: 'layla.haddad@example.com' }] };
    const anonymous = await callProcedure(app, procedure, input, {});
    expect(anonymous.status).toBe(401);

    const limited = createApp({ db: testDb.conn, rateLimitPerMinute: 60, now: () => clock }); // burst 10
    const first = await callProcedure(limited, procedure, input, { token: agentToken });
    expect(first.status).toBe(200);
    expect((first.body as { result: { data: { view: { customer: { displayName: string } } } } }).result.data.view.customer.displayName).toBe('Layla Haddad');
    // 6 + 6 > 10: the second is refused, as the lookup plus the five reads would have been.
    const second = await callProcedure(limited, procedure, input, { token: agentToken });
    expect(second.status).toBe(429);
    expect(errorMessage(second.body)).toMatch(/rate limit/);
    // Paths come from the URL: names of Object's own members cost one call like any unknown path.
    expect(requestCost(['customers.lookupWithView', 'constructor', '__proto__', 'toString'])).toBe(9);
    expect(requestCost([])).toBe(1);
  });
});
