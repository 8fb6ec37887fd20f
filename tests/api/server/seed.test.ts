// The demo workspace `npm start` seeds on an empty database (issue 11, item 8), on both databases.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { seedDemoIfEmpty, DEMO_AGENT } from '../../../api/demo/seed';
import { indexMissingCustomers } from '../../../api/modules/customers/search-index';
import { appRouter } from '../../../api/router';
import { createCallerFactory } from '../../../api/trpc';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

const createCaller = createCallerFactory(appRouter);
const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

const scripts = {
  arabicScript: /[\u0600-\u06ff]/,
  // Letters Persian has and Arabic does not: peh, tcheh, jeh, gaf, keheh, Farsi yeh.
  persianOnly: /[\u067e\u0686\u0698\u06af\u06a9\u06cc]/,
  turkishOnly: /[çğıİöşüÇĞÖŞÜ]/,
  latinOnly: /^[A-Za-z .'-]+$/,
};

describe.each(dbKinds)('demo seed on %s', (kind) => {
  let t: TestDb;
  let dir: string;
  let token: string;
  const tokenFile = () => join(dir, 'demo-token.txt');

  beforeAll(async () => {
    t = await createTestDb(kind);
    dir = mkdtempSync(join(tmpdir(), 'rafiq-seed-'));
    token = await seedDemoIfEmpty(t.conn.db, { tokenFile: tokenFile(), now: NOW });
    // What `npm start` does next (api/server.ts): index customers written around the module.
    await indexMissingCustomers(t.conn.db);
  }, 90_000);
  afterAll(async () => {
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const caller = (authorization: string) => createCaller({ conn: t.conn, authorization: `Bearer ${authorization}`, now: () => NOW, baseUrl: 'http://127.0.0.1:8787' });

  test('about 200 customers with English, Arabic, Persian and Turkish names', async () => {
    const customers = await t.conn.db.selectFrom('customers').select(['display_name', 'locale']).execute();
    expect(customers.length).toBeGreaterThanOrEqual(180);
    expect(customers.length).toBeLessThanOrEqual(220);
    const names = customers.map((c) => c.display_name);
    const count = (test: (name: string) => boolean) => names.filter(test).length;
    const arabicScript = count((n) => scripts.arabicScript.test(n));
    const persian = customers.filter((c) => c.locale === 'fa');
    expect(persian.length).toBeGreaterThanOrEqual(30);
    expect(persian.every((c) => scripts.arabicScript.test(c.display_name))).toBe(true);
    expect(persian.filter((c) => scripts.persianOnly.test(c.display_name)).length).toBeGreaterThanOrEqual(10);
    const arabic = customers.filter((c) => c.locale === 'ar' && scripts.arabicScript.test(c.display_name));
    expect(arabic.length).toBeGreaterThanOrEqual(30);
    expect(arabicScript).toBe(arabic.length + persian.length);
    expect(count((n) => scripts.turkishOnly.test(n))).toBeGreaterThanOrEqual(20);
    expect(count((n) => scripts.latinOnly.test(n))).toBeGreaterThanOrEqual(40);
    // The people on the saved demo pages are there under their names.
    expect(names).toEqual(expect.arrayContaining(['Layla Haddad', 'Mehmet Yılmaz', 'نور السيد', 'Elisa Pacchioni', 'Marcus C.']));
  });

  test('identities across email, X and review sites; every one normalized and unique', async () => {
    const rows = await t.conn.db
      .selectFrom('identities')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('customer_id').distinct().as('customers')])
      .groupBy('kind')
      .execute();
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    expect(byKind.email).toBeGreaterThanOrEqual(180);
    expect(byKind.x).toBeGreaterThanOrEqual(50);
    expect((byKind.trustpilot ?? 0) + (byKind.yelp ?? 0) + (byKind.google ?? 0)).toBeGreaterThanOrEqual(20);
    expect(byKind.yelp).toBeGreaterThanOrEqual(1);
    expect(byKind.phone).toBeGreaterThanOrEqual(20);
    const withoutIdentity = await t.conn.db
      .selectFrom('customers')
      .select('id')
      .where('id', 'not in', t.conn.db.selectFrom('identities').select('customer_id'))
      .execute();
    expect(withoutIdentity).toEqual([]);
  });

  test('the demo token is the demo admin’s; demo people are found by email, handle, review profile and order number', async () => {
    const sara = caller(token);
    expect(await sara.agents.me()).toMatchObject({ name: DEMO_AGENT.name, email: DEMO_AGENT.email, role: 'admin' });
    expect(readFileSync(tokenFile(), 'utf8').trim()).toBe(token);
    const lookup = await sara.customers.lookup({ identities: [{ kind: 'email', value: 'Layla.Haddad@example.com' }] });
    expect(lookup.customer?.displayName).toBe('Layla Haddad');
    expect(lookup.customer?.identities.map((i) => i.kind)).toEqual(['email', 'email', 'x']);
    expect((await sara.customers.lookup({ identities: [{ kind: 'x', value: '@Nour_AlSayed' }] })).customer?.displayName).toBe('نور السيد');
    expect((await sara.customers.lookup({ identities: [{ kind: 'trustpilot', value: 'https://it.trustpilot.com/users/683605448a537581ff52c0fe?utm_source=x' }] })).customer?.displayName).toBe('Elisa Pacchioni');
    expect((await sara.customers.search({ query: 'R-10042' })).items.map((c) => c.displayName)).toEqual(['Layla Haddad']);
    expect((await sara.customers.search({ query: 'yilmaz' })).items.map((c) => c.displayName)).toContain('Mehmet Yılmaz');
    // Templates render for a demo customer with the demo agent's real name.
    const rendered = await sara.replies.render({ shortcut: 'refund', customerId: lookup.customer!.id });
    expect(rendered.text).toContain('Hi Layla,');
    expect(rendered.text).toContain('R-10042');
    expect(rendered.text).toMatch(/Sara$/);
  });

  test('orders and tickets in all four states', async () => {
    const orders = await t.conn.db.selectFrom('orders').select(['customer_id', 'placed_at']).execute();
    expect(orders.length).toBeGreaterThanOrEqual(150);
    expect(new Set(orders.map((o) => o.customer_id)).size).toBeGreaterThanOrEqual(100);
    const statuses = await t.conn.db.selectFrom('tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
    for (const status of ['open', 'pending', 'resolved', 'closed']) expect(byStatus[status], status).toBeGreaterThanOrEqual(10);
    const tickets = await t.conn.db.selectFrom('tickets').select(['status', 'resolved_at', 'first_response_at', 'created_at']).execute();
    for (const ticket of tickets) {
      expect(ticket.resolved_at !== null, `a ${ticket.status} ticket`).toBe(ticket.status === 'resolved' || ticket.status === 'closed');
      if (ticket.first_response_at !== null) expect(ticket.first_response_at).toBeGreaterThanOrEqual(ticket.created_at);
      // Nothing happened after "now": a demo ticket resolved tomorrow would skew every metric.
      expect(Math.max(ticket.created_at, ticket.first_response_at ?? 0, ticket.resolved_at ?? 0)).toBeLessThanOrEqual(NOW);
    }
  });

  test('interactions over the last 90 days, on every channel, none in the future', async () => {
    const span = await t.conn.db
      .selectFrom('interactions')
      .select([(eb) => eb.fn.min('occurred_at').as('first'), (eb) => eb.fn.max('occurred_at').as('last'), (eb) => eb.fn.countAll<number>().as('n')])
      .executeTakeFirstOrThrow();
    expect(Number(span.n)).toBeGreaterThanOrEqual(500);
    expect(NOW - Number(span.first)).toBeGreaterThanOrEqual(85 * DAY);
    expect(Number(span.last)).toBeLessThanOrEqual(NOW);
    expect(NOW - Number(span.last)).toBeLessThan(3 * DAY);
    const channels = await t.conn.db.selectFrom('interactions').select('channel').distinct().execute();
    expect(channels.map((c) => c.channel).sort()).toEqual(expect.arrayContaining(['email', 'note', 'order', 'review', 'ticket', 'x']));
    // Spread over the period, not bunched: activity in each of the last 12 weeks.
    const weeks = await t.conn.db
      .selectFrom('interactions')
      .select(sql<number>`floor((${NOW} - occurred_at) / ${7 * DAY})`.as('week'))
      .distinct()
      .execute();
    const recent = new Set(weeks.map((w) => Number(w.week)).filter((w) => w < 12));
    expect(recent.size).toBe(12);
  });

  test('running it again (a restart) does not seed twice and returns the same token', async () => {
    const count = async (table: 'customers' | 'identities' | 'orders' | 'tickets' | 'interactions' | 'agents' | 'reply_templates') =>
      Number((await t.conn.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const tables = ['customers', 'identities', 'orders', 'tickets', 'interactions', 'agents', 'reply_templates'] as const;
    const before = await Promise.all(tables.map(count));
    expect(await seedDemoIfEmpty(t.conn.db, { tokenFile: tokenFile(), now: NOW + DAY })).toBe(token);
    expect(await Promise.all(tables.map(count))).toEqual(before);
    // Without its token file (deleted data/demo-token.txt) a restart issues a new working token, still without seeding.
    rmSync(tokenFile());
    const reissued = await seedDemoIfEmpty(t.conn.db, { tokenFile: tokenFile(), now: NOW + DAY });
    expect(reissued).not.toBe(token);
    expect(readFileSync(tokenFile(), 'utf8').trim()).toBe(reissued);
    expect((await caller(reissued).agents.me()).email).toBe(DEMO_AGENT.email);
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });
});
