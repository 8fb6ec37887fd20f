import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, MAX_BODY_BYTES } from '../../../api/app';
import { IMPORT_BATCH_SIZE, importCustomersCsv, type ImportRowReport } from '../../../api/modules/customers/import';
import { REPORT_ROWS_PER_ACTION } from '../../../api/modules/customers/transfer.routes';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, snapshot, type Caller } from '../identity-helpers';

/** CSV import (dry run, real run, re-run), the streamed HTTP endpoint and its body-limit exception. */

const HEADER = 'name,company,locale,tags,email,phone,x,trustpilot,order_number,order_status,order_total,order_currency,order_placed_at';
const FILE = [
  HEADER,
  'Layla Haddad,Haddad Tea,ar,vip;tea,layla@haddad.example,+971501234567,@layla_h,,ORD-1001,paid,42.50,AED,2026-10-01T10:00:00Z',
  // The same customer again (by email) with a second order and another handle: an update of row 2's customer.
  'Layla Haddad,,,,LAYLA@haddad.example,,@layla_tea,,ORD-1002,shipped,10,AED,2026-10-02',
  '"Kaya, Ali",,tr,,ali@kaya.example;ali.kaya@work.example,,,,,,,,',
  // Order only, of a customer created above: found by the order number.
  ',,,,,,,,ORD-1001,delivered,,,',
  'No Keys,,,,,,,,,,,,',
  'Bad Email,,,,not-an-email,,,,,,,,',
  ',,,,newbie@example.net,,,,,,,,',
  'Too,Few,Fields',
  '"محمد العلي",,ar,,,,@mo_ali,https://www.trustpilot.com/users/5f1e?utm_source=x,,,,,',
  'Bad Order,,,,bad@order.example,,,,ORD-BAD,lost,,,',
].join('\r\n');

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

describe.each(dbKinds)('customer import (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let adminToken = '';
  let agentToken = '';
  const clock = Date.parse('2026-11-24T12:00:00Z');

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent, adminToken, agentToken } = await identityCallers(testDb, () => clock));
    // An existing customer the file's identities and orders must not collide with.
    await agent.customers.create({ displayName: 'Existing Person', identities: [{ kind: 'email', value: 'existing@example.com' }] });
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  const run = async (dryRun: boolean, text = FILE, chunk = 7) => {
    const rows: ImportRowReport[] = [];
    const summary = await importCustomersCsv(testDb.conn, chunksOf(text, chunk), { dryRun, now: clock, agentId: null, batchSize: 3, onRow: (r) => rows.push(r) });
    return { summary, rows };
  };

  test('a dry run reports create / update / reject per row with reasons, and writes nothing', async () => {
    const before = await snapshot(testDb.conn.db);
    const { summary, rows } = await run(true);
    expect(await snapshot(testDb.conn.db)).toEqual(before);
    expect(summary).toMatchObject({ dryRun: true, rows: 10, created: 3, updated: 2, unchanged: 0, rejected: 5 });
    const byLine = Object.fromEntries(rows.map((r) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ action: 'create', customerId: null });
    expect(byLine[3]).toMatchObject({ action: 'update' });
    expect(byLine[3]!.reason).toContain('x @layla_tea');
    expect(byLine[3]!.reason).toContain('order ORD-1002');
    expect(byLine[4]).toMatchObject({ action: 'create' });
    expect(byLine[5]).toMatchObject({ action: 'update', reason: 'order ORD-1001 delivered' });
    expect(byLine[6]!.reason).toMatch(/nothing to match the row by/);
    expect(byLine[7]!.reason).toMatch(/^email "not-an-email" is not an email address/);
    expect(byLine[8]!.reason).toMatch(/no name for a new customer/);
    expect(byLine[9]!.reason).toBe('has 3 fields, the header has 13');
    expect(byLine[10]).toMatchObject({ action: 'create' });
    expect(byLine[11]!.reason).toMatch(/order_status "lost"/);
  });

  test('the real run does what the dry run said; re-running the file changes nothing', async () => {
    const dry = await run(true);
    const real = await run(false, FILE, 64);
    expect(real.rows.map((r) => [r.line, r.action, r.reason])).toEqual(dry.rows.map((r) => [r.line, r.action, r.reason]));
    expect(real.rows.filter((r) => r.action === 'create').every((r) => typeof r.customerId === 'number')).toBe(true);

    const layla = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@layla_tea' }] });
    expect(layla.customer).toMatchObject({ displayName: 'Layla Haddad', company: 'Haddad Tea', locale: 'ar', tags: ['vip', 'tea'] });
    expect(layla.customer!.identities.map((i) => `${i.kind}:${i.normalized}:${i.linkedBy}`).sort()).toEqual([
      'email:layla@haddad.example:import',
      'phone:+971501234567:import',
      'x:layla_h:import',
      'x:layla_tea:import',
    ]);
    const orders = await agent.orders.list({ customerId: layla.customer!.id });
    expect(orders.items.map((o) => [o.number, o.status, o.totalCents, o.currency]).sort()).toEqual([
      ['ORD-1001', 'delivered', 4250, 'AED'],
      ['ORD-1002', 'shipped', 1000, 'AED'],
    ]);
    const ali = await agent.customers.lookup({ identities: [{ kind: 'email', value: 'ali.kaya@work.example' }] });
    expect(ali.customer?.displayName).toBe('Kaya, Ali');
    expect((await agent.customers.search({ query: 'ORD-1002' })).items.map((c) => c.id)).toEqual([layla.customer!.id]);
    expect((await agent.customers.search({ query: 'العلي' })).items.map((c) => c.displayName)).toEqual(['محمد العلي']);

    const before = await snapshot(testDb.conn.db);
    const again = await run(false, FILE, 5);
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 5 });
    expect(await snapshot(testDb.conn.db)).toEqual(before);
    const audit = await testDb.conn.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'customer.import').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).not.toMatch(/Layla|haddad/i);
  });

  test('rows whose keys belong to two customers are rejected (the import never merges)', async () => {
    const text = `email,x\r\nlayla@haddad.example,@mo_ali\r\n`;
    const { rows } = await run(false, text);
    expect(rows[0]).toMatchObject({ action: 'reject' });
    expect(rows[0]!.reason).toMatch(/belong to different customers \(customer \d+, customer \d+\): merge them first/);
  });

  test('export → import round-trips as unchanged', async () => {
    const app = createApp({ db: testDb.conn, now: () => clock });
    const exported = await (await app.request('/export/customers.csv', { headers: { authorization: `Bearer ${adminToken}` } })).text();
    const { summary } = await run(false, exported, 4096);
    const count = await testDb.conn.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(summary).toMatchObject({ rows: Number(count.n), created: 0, updated: 0, rejected: 0 });
  });

  test('a broken file is one clear error, not a half-import', async () => {
    await expect(run(false, 'email,nickname\r\na@b.example,x\r\n')).rejects.toThrow(/unknown column\(s\) "nickname"/);
    await expect(run(false, 'name,company\r\nA,B\r\n')).rejects.toThrow(/at least one identity column/);
    await expect(run(false, 'email\r\n"unclosed@x.example\r\n')).rejects.toThrow(/never closed/);
    await expect(run(false, '')).rejects.toThrow(/empty/);
  });

  test('POST /import/customers.csv streams NDJSON, needs an admin, and is the only route past the 1 MB limit', async () => {
    const app = createApp({ db: testDb.conn, now: () => clock });
    const post = (body: BodyInit, token: string | null, query = '') =>
      app.request(`/import/customers.csv${query}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
    expect((await post(FILE, null)).status).toBe(401);
    expect((await post(FILE, agentToken)).status).toBe(403);

    // Over 1 MB: 20,000 new customers (streamed in, never buffered).
    const rows = Array.from({ length: 20_000 }, (_, i) => `Bulk Person ${i},bulk${i}@bulk-import.example,BULK-${i},paid,${i}.99,EUR,2026-01-01`);
    const big = `name,email,order_number,order_status,order_total,order_currency,order_placed_at\r\n${rows.join('\r\n')}\r\n`;
    expect(big.length).toBeGreaterThan(MAX_BODY_BYTES);
    const dry = await post(big, adminToken, '?dryRun=1');
    expect(dry.status).toBe(200);
    expect(dry.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await dry.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ summary: { dryRun: true, rows: 20_000, created: 20_000, omitted: { create: 20_000 - REPORT_ROWS_PER_ACTION, update: 0, reject: 0 } } });
    expect(lines.filter((l) => 'progress' in l)).toHaveLength(Math.ceil(20_000 / IMPORT_BATCH_SIZE));
    // The first rows of each action are listed with their lines; the summary counts the rest.
    const created = lines.filter((l) => l.action === 'create');
    expect(created).toHaveLength(REPORT_ROWS_PER_ACTION);
    expect(created.map((l) => l.line)).toEqual(Array.from({ length: REPORT_ROWS_PER_ACTION }, (_, i) => i + 2));
    expect(await agent.customers.search({ query: 'bulk' })).toMatchObject({ items: [] });

    const real = await post(big, adminToken);
    const summary = (await real.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).at(-1);
    expect(summary).toMatchObject({ summary: { dryRun: false, created: 20_000 } });
    // A prefix: BULK-1999 and BULK-19990…19999, in id (= file) order.
    const found = (await agent.customers.search({ query: 'BULK-1999', limit: 50 })).items.map((c) => c.displayName);
    expect(found).toEqual(['Bulk Person 1999', ...Array.from({ length: 10 }, (_, i) => `Bulk Person 1999${i}`)]);

    // Every other route still refuses a body over 1 MB.
    const other = await app.request('/trpc/customers.create', { method: 'POST', body: big, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' } });
    expect(other.status).toBe(413);
    const bad = await post('nickname\r\nx\r\n', adminToken);
    expect((await bad.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).at(-1)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  }, 120_000);
});
