import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { indexCustomers } from '../../../api/modules/customers/search-index';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, snapshot, type Caller } from '../identity-helpers';

/**
 * Properties of merge and unmerge over random customers (fast-check), on both databases:
 * 1. merge then unmerge returns exactly the state before (every row of every table);
 * 2. across random sequences of merges, unmerges and new activity, no interaction is ever lost
 *    or duplicated, and after undoing every merge each original interaction is back with its
 *    original customer while new ones stay where they were logged.
 */

const nameArb = fc.constantFrom('Layla Haddad', 'ليلى حداد', 'Ali Kaya', 'Mehmet Öztürk', 'علی کریمی', 'José Núñez', 'Sara H.');
const customerArb = fc.record({
  name: nameArb,
  company: fc.option(fc.constantFrom('Acme', 'haddad-tea.com'), { nil: null }),
  tags: fc.uniqueArray(fc.constantFrom('vip', 'b2b', 'late'), { maxLength: 2 }),
  emails: fc.integer({ min: 0, max: 2 }),
  handles: fc.integer({ min: 0, max: 1 }),
  interactions: fc.integer({ min: 0, max: 4 }),
  notes: fc.integer({ min: 0, max: 2 }),
  tickets: fc.integer({ min: 0, max: 2 }),
  orders: fc.integer({ min: 0, max: 2 }),
});
type CustomerSpec = typeof customerArb extends fc.Arbitrary<infer T> ? T : never;

describe.each(dbKinds)('merge properties (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let clock = Date.parse('2026-11-25T08:00:00Z');
  let serial = 0;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent } = await identityCallers(testDb, () => clock));
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  async function makeCustomer(spec: CustomerSpec): Promise<number> {
    const n = ++serial;
    const identities = [
      ...Array.from({ length: spec.emails }, (_, i) => ({ kind: 'email' as const, value: `p${n}.${i}@prop.example` })),
      ...Array.from({ length: spec.handles }, () => ({ kind: 'x' as const, value: `@prop${n}` })),
    ];
    const { id } = await agent.customers.create({ displayName: spec.name, company: spec.company, tags: spec.tags, identities });
    for (let i = 0; i < spec.interactions; i++) {
      clock += 7;
      await agent.interactions.log({ customerId: id, channel: 'email', direction: 'inbound', summary: `message ${i}`, externalId: `prop-${n}-${i}` });
    }
    for (let i = 0; i < spec.notes; i++) await agent.notes.add({ customerId: id, body: `note ${n}/${i}` });
    for (let i = 0; i < spec.tickets; i++) await agent.tickets.create({ customerId: id, subject: `ticket ${n}/${i}`, channel: 'email' });
    for (let i = 0; i < spec.orders; i++) {
      await testDb.conn.db
        .insertInto('orders')
        .values({ customer_id: id, number: `PROP-${n}-${i}`, status: 'paid', total_cents: 100 * i, currency: 'EUR', placed_at: clock, items: '[]' })
        .execute();
    }
    if (spec.orders) await indexCustomers(testDb.conn.db, [id]);
    return id;
  }

  test('merge then unmerge returns exactly the state before', async () => {
    await fc.assert(
      fc.asyncProperty(customerArb, customerArb, async (a, b) => {
        const survivorId = await makeCustomer(a);
        const mergedId = await makeCustomer(b);
        clock += 1000;
        const before = await snapshot(testDb.conn.db);
        const { merge } = await agent.customers.merge({ survivorId, mergedId });
        clock += 1000;
        await agent.customers.unmerge({ mergeId: merge.id });
        expect(await snapshot(testDb.conn.db)).toEqual(before);
      }),
      { numRuns: kind === 'postgres' ? 15 : 30 },
    );
  }, 120_000);

  const stepArb = fc.oneof(
    fc.record({ op: fc.constant('merge' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ op: fc.constant('unmerge' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('log' as const), pick: fc.nat() }),
  );

  test('no interaction is ever lost or duplicated by merges and unmerges', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(customerArb, { minLength: 2, maxLength: 4 }), fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (specs, steps) => {
        const ids: number[] = [];
        for (const spec of specs) ids.push(await makeCustomer(spec));
        const db = testDb.conn.db;
        const owned = async () => db.selectFrom('interactions').select(['id', 'customer_id']).where('customer_id', 'in', ids).orderBy('id').execute();
        const original = new Map((await owned()).map((r) => [r.id, r.customer_id]));
        const logged = new Map<number, number>();
        const open: number[] = [];
        for (const step of steps) {
          const alive = (await db.selectFrom('customers').select('id').where('id', 'in', ids).execute()).map((r) => r.id);
          if (step.op === 'merge' && alive.length >= 2) {
            const survivorId = alive[step.a % alive.length]!;
            const rest = alive.filter((id) => id !== survivorId);
            const { merge } = await agent.customers.merge({ survivorId, mergedId: rest[step.b % rest.length]! });
            open.push(merge.id);
          } else if (step.op === 'unmerge' && open.length) {
            // Undo in reverse order (an earlier one may be blocked by a later merge of its survivor).
            await agent.customers.unmerge({ mergeId: open.pop()! });
          } else if (step.op === 'log' && alive.length) {
            const customerId = alive[step.pick % alive.length]!;
            clock += 3;
            const { interaction } = await agent.interactions.log({ customerId, channel: 'x', direction: 'inbound', summary: 'new', externalId: `new-${++serial}` });
            logged.set(interaction.id, customerId);
          }
          clock += 10;
          const rows = await owned();
          const seen = rows.map((r) => r.id);
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen.sort((x, y) => x - y)).toEqual([...original.keys(), ...logged.keys()].sort((x, y) => x - y));
        }
        while (open.length) await agent.customers.unmerge({ mergeId: open.pop()! });
        const final = new Map((await owned()).map((r) => [r.id, r.customer_id]));
        for (const [id, customerId] of original) expect(final.get(id)).toBe(customerId);
        // New activity stays with the customer it was logged on (who may have been a survivor).
        for (const [id, customerId] of logged) expect(final.get(id)).toBe(customerId);
      }),
      { numRuns: kind === 'postgres' ? 10 : 25 },
    );
  }, 180_000);
});
