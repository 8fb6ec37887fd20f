import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, type Caller } from '../identity-helpers';

/**
 * Issue 17: a write names the customer the agent saw. When that card no longer exists — merged
 * into someone else, or erased — the API refuses with a clear error and saves nothing; it never
 * follows the merge silently. Writes that name a ticket or identity with the customer the agent
 * saw are refused when that record belongs to someone else now.
 */
describe.each(dbKinds)('writes on a card that is gone (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let admin: Caller;
  let clock = Date.parse('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent, admin } = await identityCallers(testDb, () => (clock += 1000)));
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  const person = (name: string, email: string) => agent.customers.create({ displayName: name, identities: [{ kind: 'email', value: email }] });
  const notesOf = async (customerId: number) => (await testDb.conn.db.selectFrom('notes').select('body').where('customer_id', '=', customerId).execute()).map((n) => n.body);

  test('merged away: note, ticket, log and link are refused, naming the survivor; nothing is written', async () => {
    const survivor = await person('Omar Khoury', 'omar@khoury.example');
    const merged = await person('O. Khoury', 'o.khoury@example.net');
    await agent.customers.merge({ survivorId: survivor.id, mergedId: merged.id });
    const refused = { code: 'CONFLICT', message: expect.stringMatching(new RegExp(`merged into customer ${survivor.id}.*nothing was saved`)) };
    await expect(agent.notes.add({ customerId: merged.id, body: 'written on the old card' })).rejects.toMatchObject(refused);
    await expect(agent.tickets.create({ customerId: merged.id, subject: 'on the old card', channel: 'email' })).rejects.toMatchObject(refused);
    await expect(agent.interactions.log({ customerId: merged.id, channel: 'email', direction: 'inbound', summary: 'old card', externalId: 'gmail:old-card' })).rejects.toMatchObject(refused);
    await expect(agent.identities.link({ customerId: merged.id, identity: { kind: 'x', value: '@okhoury' } })).rejects.toMatchObject(refused);
    expect(await notesOf(survivor.id)).not.toContain('written on the old card');
    // Once undone, the card exists again and takes writes.
    const merges = await testDb.conn.db.selectFrom('merges').select('id').where('merged_id', '=', merged.id).execute();
    await agent.customers.unmerge({ mergeId: merges[0]!.id });
    await agent.notes.add({ customerId: merged.id, body: 'after unmerge' });
    expect(await notesOf(merged.id)).toContain('after unmerge');
  });

  test('erased: refused with "was erased"', async () => {
    const gone = await person('Erased Person', 'erase.me@example.org');
    await admin.customers.erase({ id: gone.id });
    await expect(agent.notes.add({ customerId: gone.id, body: 'too late' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('was erased') });
  });

  test("a ticket or identity that moved to someone else is not changed from the old card", async () => {
    const a = await person('Ticket Owner', 'owner@example.org');
    const b = await person('Other Person', 'other@example.org');
    const { ticket } = await agent.tickets.create({ customerId: a.id, subject: 'Late parcel', channel: 'email' });
    await expect(agent.tickets.update({ id: ticket.id, status: 'resolved', customerId: b.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await agent.tickets.update({ id: ticket.id, status: 'resolved', customerId: a.id })).status).toBe('resolved');
    const identityId = (await agent.customers.get({ id: a.id })).identities[0]!.id;
    await expect(agent.identities.unlink({ identityId, customerId: b.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await agent.customers.get({ id: a.id })).identities).toHaveLength(1);
  });
});
