import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../api/app';
import { indexCustomers, indexMissingCustomers } from '../../../api/modules/customers/search-index';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, snapshot, type Caller } from '../identity-helpers';

/**
 * Issue 7 through the real procedures on SQLite and PostgreSQL: suggestions (never links),
 * merge / unmerge (exact, audited, new activity stays), duplicates, search, export, erase.
 */

describe.each(dbKinds)('one customer across channels (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let admin: Caller;
  let adminToken: string;
  let agentToken: string;
  let clock = Date.parse('2026-11-24T10:00:00Z');
  const tick = () => (clock += 1000);

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent, admin, adminToken, agentToken } = await identityCallers(testDb, () => clock));
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  const addOrder = async (customerId: number, number: string) => {
    await testDb.conn.db
      .insertInto('orders')
      .values({ customer_id: customerId, number, status: 'paid', total_cents: 4200, currency: 'EUR', placed_at: clock, items: '[]' })
      .execute();
    await indexCustomers(testDb.conn.db, [customerId]);
  };

  describe('suggestions', () => {
    let layla = 0;
    let mohammed = 0;
    beforeAll(async () => {
      layla = (await agent.customers.create({ displayName: 'Layla Haddad', company: 'haddad-tea.com', identities: [{ kind: 'email', value: 'layla@haddad-tea.com' }] })).id;
      mohammed = (await agent.customers.create({ displayName: 'محمد العلي', identities: [{ kind: 'phone', value: '+971501234567' }] })).id;
      await agent.customers.create({ displayName: 'Ali Kaya', identities: [{ kind: 'email', value: 'ali.kaya@example.org' }] });
    });

    test('an exact identity links as before, with no suggestions', async () => {
      const answer = await agent.customers.lookup({ identities: [{ kind: 'email', value: 'LAYLA@haddad-tea.com' }], name: 'Someone Else' });
      expect(answer.customer?.id).toBe(layla);
      expect(answer.matchedIdentity).toMatchObject({ kind: 'email', normalized: 'layla@haddad-tea.com' });
      expect(answer.suggestions).toEqual([]);
    });

    test.each([
      { name: 'Haddad Layla', kindOf: 'x', value: '@lhaddad_tea', code: 'word-order' },
      { name: 'Layla Haddad', kindOf: 'x', value: '@layla_h', code: 'same-display-name' },
      { name: 'ليلى حداد', kindOf: 'x', value: '@layla_ar', code: 'other-script' },
      { name: 'Mohammed Al-Ali', kindOf: 'x', value: '@mo_ali', code: 'other-script' },
    ] as const)('$name on X → suggests with reason $code, and links nothing', async ({ name, kindOf, value, code }) => {
      const before = await snapshot(testDb.conn.db);
      const answer = await agent.customers.lookup({ identities: [{ kind: kindOf, value }], name });
      expect(answer.customer).toBeNull();
      const top = answer.suggestions[0]!;
      expect(top.customer.id).toBe(name.startsWith('Moh') ? mohammed : layla);
      expect(top.reasons.map((r) => r.code)).toContain(code);
      expect(top.score).toBeGreaterThan(0.5);
      expect(top.score).toBeLessThan(1);
      expect(top.customer.identities.length).toBeGreaterThan(0);
      expect(await snapshot(testDb.conn.db)).toEqual(before);
    });

    test('a review profile known by name only ("Ali K.") suggests Ali Kaya by initial', async () => {
      const answer = await agent.customers.lookup({ identities: [{ kind: 'trustpilot', value: 'Ali K.' }] });
      expect(answer.customer).toBeNull();
      expect(answer.suggestions[0]).toMatchObject({ customer: { displayName: 'Ali Kaya' } });
      expect(answer.suggestions[0]!.reasons.map((r) => r.code)).toContain('initial');
    });

    test('company domain: a colleague is no suggestion, the same person is (with the domain as a reason)', async () => {
      const colleague = await agent.customers.lookup({ identities: [{ kind: 'email', value: 'bob@haddad-tea.com' }], name: 'Bob Smith' });
      expect(colleague.suggestions).toEqual([]);
      const same = await agent.customers.lookup({ identities: [{ kind: 'email', value: 'lhaddad@haddad-tea.com' }] });
      expect(same.suggestions[0]?.customer.id).toBe(layla);
      expect(same.suggestions[0]!.reasons.map((r) => r.code)).toEqual(['email-name', 'company-domain']);
    });

    test('confirming a suggestion is identities.link; the next lookup matches exactly', async () => {
      const answer = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@layla_confirm' }], name: 'Layla Haddad' });
      const suggestion = answer.suggestions[0]!;
      await agent.identities.link({ customerId: suggestion.customer.id, identity: { kind: 'x', value: '@layla_confirm' } });
      const again = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@layla_confirm' }], name: 'Layla Haddad' });
      expect(again.customer?.id).toBe(layla);
      expect(again.suggestions).toEqual([]);
    });

    test('lookupMany keeps its shape (suggestions empty: one query for a whole timeline)', async () => {
      const many = await agent.customers.lookupMany({ lookups: [{ identities: [{ kind: 'x', value: '@nobody_here' }], name: 'Layla Haddad' }] });
      expect(many[0]).toEqual({ customer: null, matchedIdentity: null, suggestions: [] });
    });
  });

  describe('merge and unmerge', () => {
    test('moves identities, interactions, tickets, notes and orders; unmerge restores both exactly', async () => {
      const survivor = await agent.customers.create({ displayName: 'Omar Khoury', identities: [{ kind: 'email', value: 'omar@khoury.example' }] });
      const merged = await agent.customers.create({
        displayName: 'عمر خوري',
        locale: 'ar',
        tags: ['vip'],
        identities: [
          { kind: 'x', value: '@omar_k' },
          { kind: 'email', value: 'omar.k@gmail.com' },
        ],
      });
      tick();
      await agent.notes.add({ customerId: merged.id, body: 'Prefers Arabic replies' });
      const { ticket } = await agent.tickets.create({ customerId: merged.id, subject: 'Late parcel', channel: 'email' });
      await agent.interactions.log({ customerId: merged.id, channel: 'x', direction: 'inbound', summary: 'Where is my parcel?', externalId: 'tweet-1' });
      await addOrder(merged.id, 'ORD-77001');
      const before = await snapshot(testDb.conn.db);

      tick();
      const { merge, survivor: after } = await agent.customers.merge({ survivorId: survivor.id, mergedId: merged.id });
      expect(merge.moved).toEqual({ identities: 2, tickets: 1, interactions: 3, notes: 1, orders: 1, surveys: 0 });
      expect(after.identities.map((i) => i.normalized).sort()).toEqual(['omar@khoury.example', 'omar_k', 'omark@gmail.com']);
      await expect(agent.customers.get({ id: merged.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await agent.tickets.list({ customerId: survivor.id })).items.map((t) => t.id)).toContain(ticket.id);
      // The merged customer's words now find the survivor.
      expect((await agent.customers.search({ query: 'ORD-77001' })).items.map((c) => c.id)).toEqual([survivor.id]);
      expect((await agent.customers.lookup({ identities: [{ kind: 'x', value: '@omar_k' }] })).customer?.id).toBe(survivor.id);

      tick();
      const undone = await agent.customers.unmerge({ mergeId: merge.id });
      expect(undone.restored.id).toBe(merged.id);
      expect(undone.notRestored).toEqual({ identities: 0, tickets: 0, interactions: 0, notes: 0, orders: 0, surveys: 0 });
      expect(await snapshot(testDb.conn.db)).toEqual(before);
      expect((await agent.customers.search({ query: 'ORD-77001' })).items.map((c) => c.id)).toEqual([merged.id]);
      await expect(agent.customers.unmerge({ mergeId: merge.id })).rejects.toMatchObject({ code: 'CONFLICT' });

      const audit = await testDb.conn.db.selectFrom('audit_log').select(['action', 'entity_id', 'after']).where('action', 'in', ['customer.merge', 'customer.unmerge']).execute();
      expect(audit.map((a) => a.action)).toEqual(['customer.merge', 'customer.unmerge']);
      expect(audit.every((a) => a.entity_id === survivor.id)).toBe(true);
      // No personal data in the merge's audit entries (the merge record holds it).
      expect(audit.map((a) => a.after).join(' ')).not.toMatch(/omar|عمر|khoury/i);
    });

    test('activity added to the survivor after the merge stays with the survivor', async () => {
      const survivor = await agent.customers.create({ displayName: 'Sara Habib', identities: [{ kind: 'email', value: 'sara@habib.example' }] });
      const merged = await agent.customers.create({ displayName: 'Sara H.', identities: [{ kind: 'x', value: '@sara_h' }] });
      await agent.interactions.log({ customerId: merged.id, channel: 'email', direction: 'inbound', summary: 'old', externalId: 'old-1' });
      const { merge } = await agent.customers.merge({ survivorId: survivor.id, mergedId: merged.id });
      tick();
      const { interaction } = await agent.interactions.log({ customerId: survivor.id, channel: 'x', direction: 'inbound', summary: 'new after merge', externalId: 'new-1' });
      const { identity } = await agent.identities.link({ customerId: survivor.id, identity: { kind: 'phone', value: '+905321234567' } });
      const undone = await agent.customers.unmerge({ mergeId: merge.id });
      expect(undone.survivor.identities.map((i) => i.id)).toContain(identity.id);
      const survivorTimeline = await agent.timeline.list({ customerId: survivor.id });
      expect(survivorTimeline.items.map((i) => i.id)).toContain(interaction.id);
      const restoredTimeline = await agent.timeline.list({ customerId: merged.id });
      expect(restoredTimeline.items.map((i) => i.summary)).toEqual(['old']);
    });

    test('merges undo in order: a survivor merged on must be unmerged first', async () => {
      const a = await agent.customers.create({ displayName: 'Chain A' });
      const b = await agent.customers.create({ displayName: 'Chain B' });
      const c = await agent.customers.create({ displayName: 'Chain C' });
      const first = await agent.customers.merge({ survivorId: b.id, mergedId: a.id });
      const second = await agent.customers.merge({ survivorId: c.id, mergedId: b.id });
      await expect(agent.customers.unmerge({ mergeId: first.merge.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`merge ${second.merge.id}`) });
      await agent.customers.unmerge({ mergeId: second.merge.id });
      await agent.customers.unmerge({ mergeId: first.merge.id });
      expect((await agent.customers.get({ id: a.id })).displayName).toBe('Chain A');
      expect((await agent.customers.merges({ customerId: b.id }))[0]).toMatchObject({ id: first.merge.id, undoneAt: expect.any(String) });
    });

    test('bad merges are clear errors', async () => {
      const a = await agent.customers.create({ displayName: 'Solo' });
      await expect(agent.customers.merge({ survivorId: a.id, mergedId: a.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(agent.customers.merge({ survivorId: a.id, mergedId: 987_654 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(agent.customers.unmerge({ mergeId: 987_654 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('duplicates', () => {
    test('pairs of the same name in another order or script, with reasons; merging removes the pair', async () => {
      const a = await agent.customers.create({ displayName: 'Zeynep Arslan', identities: [{ kind: 'email', value: 'zeynep@arslan.example' }] });
      const b = await agent.customers.create({ displayName: 'ARSLAN Zeynep', identities: [{ kind: 'x', value: '@zeynep_a' }] });
      await agent.customers.create({ displayName: 'Zeynep Aslan' });
      const found = await collectDuplicates(agent);
      const pair = found.find((p) => [p.a.id, p.b.id].sort().join() === [a.id, b.id].sort().join());
      expect(pair?.reasons.map((r) => r.code)).toContain('word-order');
      expect(found.some((p) => [p.a.displayName, p.b.displayName].includes('Zeynep Aslan'))).toBe(false);
      await agent.customers.merge({ survivorId: a.id, mergedId: b.id });
      expect((await collectDuplicates(agent)).some((p) => [p.a.id, p.b.id].includes(b.id))).toBe(false);
    });
  });

  describe('search', () => {
    let ids: Record<string, number> = {};
    beforeAll(async () => {
      const make = async (displayName: string, identities: { kind: 'email' | 'x' | 'phone'; value: string }[] = []) =>
        (await agent.customers.create({ displayName, identities })).id;
      ids = {
        arabic: await make('أحمد الزين'),
        persian: await make('علی کریمی'),
        turkish: await make('IŞIK Yıldırım', [{ kind: 'email', value: 'isik@yildirim.example' }]),
        accents: await make('José Núñez', [{ kind: 'x', value: '@jnunez' }]),
        noted: await make('Rania Farah', [{ kind: 'phone', value: '+971 50 765 4321' }]),
      };
      await agent.notes.add({ customerId: ids.noted!, body: 'Asked about the turquoise teapot warranty' });
      await addOrder(ids.accents!, 'ORD-55123');
    });
    const search = async (query: string) => (await agent.customers.search({ query, limit: 50 })).items.map((c) => c.id);

    test.each([
      { query: 'احمد', who: 'arabic', why: 'alef with hamza folded' },
      { query: 'إحمد', who: 'arabic', why: 'alef forms folded both ways' },
      { query: 'زين', who: 'arabic', why: 'a later word, article glued on (الزين)' },
      { query: 'علي كريمي', who: 'persian', why: 'Persian yeh and keheh = Arabic ones' },
      { query: 'کری', who: 'persian', why: 'prefix in Persian letters' },
      { query: 'işık', who: 'turkish', why: 'Turkish dotless i folded' },
      { query: 'ISIK yil', who: 'turkish', why: 'two prefixes, any case' },
      { query: 'jose nun', who: 'accents', why: 'accents folded' },
      { query: '@jnun', who: 'accents', why: 'X handle prefix' },
      { query: 'isik@yildirim', who: 'turkish', why: 'email prefix' },
      { query: 'ORD-551', who: 'accents', why: 'order number prefix' },
      { query: 'ord-55123', who: 'accents', why: 'order number, any case' },
      { query: 'turquoise tea', who: 'noted', why: 'note text' },
      { query: '0507654321', who: 'noted', why: 'phone in local format' },
      { query: '97150765', who: 'noted', why: 'phone prefix' },
    ])('"$query" finds the $who customer ($why)', async ({ query, who }) => {
      expect(await search(query)).toContain(ids[who]);
    });

    test('words must all match, and nothing else is found', async () => {
      expect(await search('turquoise zebra')).toEqual([]);
      expect(await search('Rania Farah')).toEqual([ids.noted]);
    });

    test('pages with a cursor, without repeats', async () => {
      for (let i = 0; i < 5; i++) await agent.customers.create({ displayName: `Pager Person${i}` });
      const first = await agent.customers.search({ query: 'pager', limit: 2 });
      const second = await agent.customers.search({ query: 'pager', limit: 2, cursor: first.nextCursor });
      const third = await agent.customers.search({ query: 'pager', limit: 2, cursor: second.nextCursor });
      const all = [...first.items, ...second.items, ...third.items].map((c) => c.displayName);
      expect(all).toEqual(['Pager Person0', 'Pager Person1', 'Pager Person2', 'Pager Person3', 'Pager Person4']);
      expect(third.nextCursor).toBeNull();
    });

    test('renames, links and unlinks update the index', async () => {
      const c = await agent.customers.create({ displayName: 'Temporary Name', identities: [{ kind: 'x', value: '@temp_handle' }] });
      await agent.customers.update({ id: c.id, patch: { displayName: 'Permanent Person' } });
      expect(await search('temporary')).not.toContain(c.id);
      expect(await search('permanent')).toContain(c.id);
      const { identity } = await agent.identities.link({ customerId: c.id, identity: { kind: 'email', value: 'linked.later@example.net' } });
      expect(await search('linked.later')).toContain(c.id);
      await agent.identities.unlink({ identityId: identity.id });
      expect(await search('linked.later')).not.toContain(c.id);
    });

    test('customers written around the module (demo seed) are indexed at start', async () => {
      const row = await testDb.conn.db
        .insertInto('customers')
        .values({ display_name: 'Seeded Directly', name_folded: 'seeded directly', tags: '[]', custom_fields: '{}', created_at: clock, updated_at: clock })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(await search('seeded')).not.toContain(row.id);
      expect(await indexMissingCustomers(testDb.conn.db)).toBe(1);
      expect(await search('seeded')).toContain(row.id);
      expect(await indexMissingCustomers(testDb.conn.db)).toBe(0);
    });
  });

  describe('export and erase', () => {
    test('exportOne has everything; erase removes it all and leaves an audit entry without personal data', async () => {
      const c = await agent.customers.create({ displayName: 'Dina Murad', company: 'Murad Books', identities: [{ kind: 'email', value: 'dina@murad.example' }] });
      await agent.customers.update({ id: c.id, patch: { locale: 'ar' } });
      await agent.notes.add({ customerId: c.id, body: 'Secret: allergic to peanuts' });
      const { ticket } = await agent.tickets.create({ customerId: c.id, subject: 'Dina wants a refund', channel: 'email' });
      await agent.tickets.update({ id: ticket.id, status: 'resolved' });
      await addOrder(c.id, 'ORD-99001');
      const other = await agent.customers.create({ displayName: 'Dina M.', identities: [{ kind: 'x', value: '@dina_m' }] });
      await agent.customers.merge({ survivorId: c.id, mergedId: other.id });

      const data = await agent.customers.exportOne({ id: c.id });
      expect(data.customer.identities.map((i) => i.value).sort()).toEqual(['@dina_m', 'dina@murad.example']);
      expect(data.notes[0]!.body).toContain('peanuts');
      expect(data.tickets[0]!.subject).toBe('Dina wants a refund');
      expect(data.orders[0]!.number).toBe('ORD-99001');
      expect(data.interactions.length).toBeGreaterThanOrEqual(2);
      expect(data.merges[0]).toMatchObject({ mergedName: 'Dina M.' });
      expect(data.history.map((h) => h.action)).toEqual(expect.arrayContaining(['customer.create', 'customer.update', 'customer.merge']));

      await expect(agent.customers.erase({ id: c.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const erased = await admin.customers.erase({ id: c.id });
      expect(erased.erased).toMatchObject({ identities: 2, notes: 1, tickets: 1, orders: 1, merges: 1 });
      await expect(agent.customers.get({ id: c.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await agent.customers.search({ query: 'dina' })).items.map((x) => x.id)).not.toContain(c.id);
      expect((await agent.customers.lookup({ identities: [{ kind: 'email', value: 'dina@murad.example' }] })).customer).toBeNull();

      const db = testDb.conn.db;
      for (const table of ['identities', 'interactions', 'tickets', 'notes', 'orders'] as const) {
        expect(await db.selectFrom(table).select('id').where('customer_id', '=', c.id).execute()).toEqual([]);
      }
      expect(await db.selectFrom('merges').select('id').where('survivor_id', '=', c.id).execute()).toEqual([]);
      const everything = JSON.stringify(await db.selectFrom('audit_log').selectAll().execute());
      expect(everything).not.toMatch(/Dina|Murad|peanuts|dina@|dina_m|refund/);
      const entry = await db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.erase').executeTakeFirstOrThrow();
      expect(entry.entity_id).toBe(c.id);
      expect(JSON.parse(entry.after!)).toMatchObject({ erased: { identities: 2 } });
      await expect(admin.customers.erase({ id: c.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    test('GET /export/customers.csv streams every customer (admin only) in the import format', async () => {
      const app = createApp({ db: testDb.conn, now: () => clock });
      expect((await app.request('/export/customers.csv')).status).toBe(401);
      expect((await app.request('/export/customers.csv', { headers: { authorization: `Bearer ${agentToken}` } })).status).toBe(403);
      const response = await app.request('/export/customers.csv', { headers: { authorization: `Bearer ${adminToken}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // A UTF-8 byte-order mark first: spreadsheets then read Arabic and Persian names right.
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes);
      const lines = text.trim().split('\r\n');
      expect(lines[0]).toBe('id,name,company,locale,tags,email,phone,x,trustpilot,yelp,google,g2,amazon,sikayetvar,eshtki,web,created_at,updated_at');
      const count = await testDb.conn.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(lines.length - 1).toBe(Number(count.n));
      expect(text).toContain('Layla Haddad,haddad-tea.com');
    });
  });
});

async function collectDuplicates(agent: Caller) {
  const pairs = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const result: Awaited<ReturnType<Caller['customers']['duplicates']>> = await agent.customers.duplicates({ limit: 5, cursor });
    pairs.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return pairs;
}
