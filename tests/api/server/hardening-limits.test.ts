import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createApp } from '../../../api/app';
import { connect } from '../../../api/db/connection';
import { migrateToLatest } from '../../../api/db/migrate';
import { parseEnv } from '../../../api/env';
import { IDEMPOTENCY_TTL_MS } from '../../../api/idempotency';
import { MAX_BATCH_CALLS, memoryRateLimitStore, bucketShape } from '../../../api/rate-limit';
import { startServer } from '../../../api/server';
import { createCustomer } from '../../../api/modules/customers/customers.repository';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { callProcedure, errorMessage, seedAuth, type AuthFixture } from '../trpc-http';

/**
 * Issue 18 items 2–6, 10 and 11, each pinned by the reproducer the adversarial run used; every
 * one of these failed on main before the fix. (Item 1 is tests/api/server/hardening.test.ts; the
 * outbox half of item 2 is tests/extension/outbox.test.ts; crash replay is crash.test.ts.)
 */

const t0 = Date.parse('2026-11-25T09:00:00Z');
type TrpcError = { error: { message: string; data: { code: string; httpStatus: number; details: Record<string, unknown> | null } } };
const me = { path: 'agents.me', type: 'query' } as const;
const addNote = { path: 'notes.add', type: 'mutation' } as const;

describe.each(dbKinds)('hardening (%s)', (kind) => {
  let testDb: TestDb;
  let auth: AuthFixture;
  let customerId: number;
  beforeAll(async () => {
    testDb = await createTestDb(kind);
    auth = await seedAuth(testDb.conn.db, t0);
    customerId = (await createCustomer(testDb.conn.db, { displayName: 'Hard Hana', identities: [], linkedBy: 'seed', agentId: null }, t0)).id;
  });
  afterAll(() => testDb?.cleanup());

  const noteCount = async (body: string) =>
    Number((await testDb.conn.db.selectFrom('notes').select(sql<number>`count(*)`.as('n')).where('body', '=', body).executeTakeFirstOrThrow()).n);

  // ---------- item 2: idempotency keys stuck after a crash ----------

  test('item 2: a key whose holder died is taken over by the next attempt; one still held answers 409 in tRPC shape', async () => {
    let now = t0;
    const app = createApp({ db: testDb.conn, now: () => now, idempotencyLeaseMs: 5_000 });
    const agentId = auth.agentId;
    // What a SIGKILL leaves behind: the key row, no answer. (Main: 409 "still running" forever.)
    await testDb.conn.db
      .insertInto('idempotency_keys')
      .values({ scope: `agent:${agentId}`, key: 'crashed-key-0001', path: '/trpc/notes.add', status: null, body: null, created_at: now - 60_000, locked_until: now - 1 })
      .execute();
    const body = `after crash ${kind}`;
    const headers = { 'idempotency-key': 'crashed-key-0001' };
    const first = await callProcedure(app, addNote, { customerId, body }, { token: auth.agent, headers });
    expect(first.status, first.text).toBe(200);
    const replay = await callProcedure(app, addNote, { customerId, body }, { token: auth.agent, headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await noteCount(body)).toBe(1);

    // A key whose holder is alive (lease in the future): 409, shaped so the extension retries it.
    await testDb.conn.db
      .insertInto('idempotency_keys')
      .values({ scope: `agent:${agentId}`, key: 'running-key-0001', path: '/trpc/notes.add', status: null, body: null, created_at: now, locked_until: now + 3_000 })
      .execute();
    const busy = await callProcedure(app, addNote, { customerId, body: 'busy' }, { token: auth.agent, headers: { 'idempotency-key': 'running-key-0001' } });
    expect(busy.status).toBe(409);
    expect((busy.body as TrpcError).error.data).toMatchObject({ code: 'CONFLICT_IN_PROGRESS', httpStatus: 409 });
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // ...and once its lease has run out without a renewal, it is taken over.
    now += 3_001;
    const later = await callProcedure(app, addNote, { customerId, body: 'busy' }, { token: auth.agent, headers: { 'idempotency-key': 'running-key-0001' } });
    expect(later.status, later.text).toBe(200);
  });

  // Issue 20: on PostgreSQL the write and its key's answer commit in one transaction. A holder
  // that stalls past its lease while another process takes the key over must keep nothing (else
  // the note would be written by both); `bench:team` found the same window through SIGKILL.
  // Registered on PostgreSQL only: SQLite has no row lock to pause a write on, and keeps autocommit writes.
  if (kind === 'postgres')
    test('item 2: a holder whose key was taken over while it ran keeps no write and answers 409; the retry writes once', async () => {
    const now = t0;
    const app = createApp({ db: testDb.conn, now: () => now, idempotencyLeaseMs: 5_000 });
    const key = 'stolen-key-0001';
    const body = 'stolen lease note';
    const keyRow = () => testDb.conn.db.selectFrom('idempotency_keys').select(['status', 'locked_until']).where('key', '=', key).executeTakeFirst();
    // Hold the customer's row so the note's insert (its foreign key) waits mid-request.
    const lock = await testDb.conn.db.startTransaction().execute();
    await sql`select id from customers where id = ${customerId} for update`.execute(lock);
    const first = callProcedure(app, addNote, { customerId, body }, { token: auth.agent, headers: { 'idempotency-key': key } });
    for (let i = 0; i < 200 && !(await keyRow()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await keyRow(), 'the request holds its key').toMatchObject({ status: null, locked_until: now + 5_000 });
    // Another process takes the key over (as after this holder's lease ran out), then this one goes on.
    await testDb.conn.db.updateTable('idempotency_keys').set({ locked_until: now + 60_000 }).where('key', '=', key).execute();
    await lock.rollback().execute();
    const stalled = await first;
    expect(stalled.status, stalled.text).toBe(409);
    expect((stalled.body as TrpcError).error.data.code).toBe('CONFLICT_IN_PROGRESS');
    expect(await noteCount(body), 'the stalled holder rolled its note back').toBe(0);
    // The taker died too: the next attempt takes the key over and writes the note once.
    await testDb.conn.db.updateTable('idempotency_keys').set({ locked_until: now - 1 }).where('key', '=', key).execute();
    const retry = await callProcedure(app, addNote, { customerId, body }, { token: auth.agent, headers: { 'idempotency-key': key } });
    expect(retry.status, retry.text).toBe(200);
    const replay = await callProcedure(app, addNote, { customerId, body }, { token: auth.agent, headers: { 'idempotency-key': key } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await noteCount(body)).toBe(1);
    expect(await keyRow()).toMatchObject({ status: 200, locked_until: null });
  });

  test('item 2: a refused write (4xx) leaves nothing behind and is answered the same on retry', async () => {
    const app = createApp({ db: testDb.conn, now: () => t0 });
    const headers = { 'idempotency-key': 'failing-key-0001' };
    // A ticket for a customer that does not exist: refused, and nothing is left half-written.
    const failed = await callProcedure(app, { path: 'tickets.create', type: 'mutation' }, { customerId: 987_654_321, subject: 'nobody' }, { token: auth.agent, headers });
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(failed.status).toBeLessThan(500);
    const again = await callProcedure(app, { path: 'tickets.create', type: 'mutation' }, { customerId: 987_654_321, subject: 'nobody' }, { token: auth.agent, headers });
    expect(again.status).toBe(failed.status);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const tickets = await testDb.conn.db.selectFrom('tickets').select('id').where('subject', '=', 'nobody').execute();
    expect(tickets).toEqual([]);
  });

  test('item 2: the tRPC client reads the middleware errors as tRPC errors (code, not "unreachable")', async () => {
    const { TRPCClientError } = await import('@trpc/client');
    const app = createApp({ db: testDb.conn, now: () => t0 });
    const reused = { 'idempotency-key': 'reused-key-0001' };
    await callProcedure(app, addNote, { customerId, body: 'reuse 1' }, { token: auth.agent, headers: reused });
    const conflict = await callProcedure(app, { path: 'interactions.log', type: 'mutation' }, { customerId, channel: 'email', direction: 'inbound', summary: 'x' }, { token: auth.agent, headers: reused });
    const error = TRPCClientError.from(conflict.body as never);
    expect((error.data as { code?: string }).code).toBe('CONFLICT');
    expect(error.message).toMatch(/already used/);
  });

  // ---------- item 3: the rate limit ----------

  test('item 3: every spelling of one token shares one bucket', async () => {
    const app = createApp({ db: testDb.conn, rateLimitPerMinute: 60, now: () => t0 }); // burst 10
    const token = auth.agent;
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `Bearer  ${token}`, `BEARER\t${token}`, ` Bearer ${token} `];
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await callProcedure(app, me, undefined, { headers: { authorization: spellings[i % spellings.length]! } });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
  });

  test('item 3: bad tokens are limited per client address, and X-Forwarded-For is trusted only when configured', async () => {
    const unknown = () => `rfq_${Math.random().toString(36).slice(2)}${'x'.repeat(30)}`;
    const untrusting = createApp({ db: testDb.conn, rateLimitPerMinute: 60, authFailuresPerMinute: 12, now: () => t0 }); // burst 2
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // A fresh forged address each time: ignored, all come from the same socket.
      statuses.push((await callProcedure(untrusting, me, undefined, { token: unknown(), headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status);
    }
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
    const limited = await callProcedure(untrusting, me, undefined, { token: unknown() });
    expect((limited.body as TrpcError).error.data.code).toBe('TOO_MANY_REQUESTS');
    // A token verified before (cached) still works from that address: the limit is on failures.
    // (The admin token was verified by earlier tests of this file through the same database.)
    await callProcedure(createApp({ db: testDb.conn, now: () => t0 }), me, undefined, { token: auth.admin });
    expect((await callProcedure(untrusting, me, undefined, { token: auth.admin })).status).toBe(200);

    // Behind our own proxy, the last X-Forwarded-For entry (what the proxy appended) is the client.
    const proxied = createApp({ db: testDb.conn, authFailuresPerMinute: 12, trustProxy: true, now: () => t0 });
    const from = (address: string) => callProcedure(proxied, me, undefined, { token: unknown(), headers: { 'x-forwarded-for': `6.6.6.6, ${address}` } });
    expect([(await from('192.0.2.1')).status, (await from('192.0.2.1')).status, (await from('192.0.2.1')).status]).toEqual([401, 401, 429]);
    expect((await from('192.0.2.2')).status).toBe(401);
  });

  test('item 3: each call of a batch counts, and a batch over the cap is refused with a clear 413', async () => {
    const app = createApp({ db: testDb.conn, rateLimitPerMinute: 60, now: () => t0 }); // burst 10
    const batch = (n: number, token: string) =>
      app.request(`http://127.0.0.1/trpc/${Array(n).fill('agents.me').join(',')}?batch=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await batch(6, auth.admin)).status).toBe(200);
    const second = await batch(6, auth.admin); // 12 calls > burst 10
    expect(second.status).toBe(429);
    const body = (await second.json()) as TrpcError[];
    expect(body).toHaveLength(6);
    expect(body[0]!.error.data.code).toBe('TOO_MANY_REQUESTS');

    const huge = await app.request(`http://127.0.0.1/trpc/${Array(MAX_BATCH_CALLS + 1).fill('notes.add').join(',')}?batch=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.agent}`, 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(Array.from({ length: MAX_BATCH_CALLS + 1 }, (_, i) => [i, { customerId, body: `batch flood ${kind}` }]))),
    });
    expect(huge.status).toBe(413);
    expect(errorMessage(((await huge.json()) as unknown[])[0])).toMatch(new RegExp(`at most ${MAX_BATCH_CALLS} calls`));
    expect(await noteCount(`batch flood ${kind}`)).toBe(0);
  });

  test('item 3: the CSV export and import sit behind the same authentication: bad tokens are limited per address, an admin has one bucket', async () => {
    // Later than the other tests of this file, so every bucket (kept in PostgreSQL there) is full.
    const later = t0 + 3_600_000;
    const app = createApp({ db: testDb.conn, rateLimitPerMinute: 60, authFailuresPerMinute: 12, now: () => later }); // bursts 10 and 2
    const exportWith = (authorization: string) => app.request('http://127.0.0.1/export/customers.csv', { headers: { authorization } });
    const bad = (i: number) => `Bearer rfq_badexport${i}${'z'.repeat(30)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await exportWith(bad(i))).status);
    // Main: 401 forever, each one a token lookup.
    expect(statuses).toEqual([401, 401, 429, 429]);
    // The address's budget is one: the import is refused too, before its body is read.
    const imported = await app.request('http://127.0.0.1/import/customers.csv?dryRun=1', { method: 'POST', headers: { authorization: bad(9) }, body: 'display_name\nMallory\n' });
    expect(imported.status).toBe(429);
    expect(Number(imported.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // An admin's exports count against their own bucket; an agent is still refused.
    const fresh = createApp({ db: testDb.conn, rateLimitPerMinute: 60, now: () => later + 3_600_000 }); // burst 10
    const exports: number[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await fresh.request('http://127.0.0.1/export/customers.csv', { headers: { authorization: `Bearer ${auth.admin}` } });
      await r.text();
      exports.push(r.status);
    }
    expect(exports).toEqual([...Array(10).fill(200), 429]);
    const asAgent = await createApp({ db: testDb.conn, now: () => later }).request('http://127.0.0.1/export/customers.csv', { headers: { authorization: `Bearer ${auth.agent}` } });
    expect(asAgent.status).toBe(403);
    const anonymous = await createApp({ db: testDb.conn, now: () => later }).request('http://127.0.0.1/export/customers.csv');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/Authorization: Bearer <admin token>/);
  });

  // ---------- item 4: unauthenticated requests write nothing ----------

  test('item 4: POSTs with random tokens and Idempotency-Keys store no row', async () => {
    const app = createApp({ db: testDb.conn, now: () => t0 });
    const before = await testDb.conn.db.selectFrom('idempotency_keys').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    for (let i = 0; i < 40; i++) {
      const r = await callProcedure(app, addNote, { customerId, body: 'forged' }, { token: `rfq_forged${i}${'y'.repeat(36)}`, headers: { 'idempotency-key': `forged-key-${i}-abc` } });
      expect(r.status).toBe(401);
    }
    const after = await testDb.conn.db.selectFrom('idempotency_keys').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  // ---------- items 5 and 6: agents.create ----------

  test('item 5: a replay of agents.create never returns (nor stores) the token; item 6: TOKEN_TTL_DAYS applies', async () => {
    const app = createApp({ db: testDb.conn, now: () => t0, tokenTtlDays: 30 });
    const create = { path: 'agents.create', type: 'mutation' } as const;
    const input = { name: 'Nova Agent', email: `nova-${kind}@rafiq.test`, role: 'agent' };
    const headers = { 'idempotency-key': 'create-agent-0001' };
    const first = await callProcedure(app, create, input, { token: auth.admin, headers });
    expect(first.status, first.text).toBe(200);
    const data = (first.body as { result: { data: { agent: { id: number }; token: string; expiresAt: string } } }).result.data;
    expect(data.token).toMatch(/^rfq_/);
    expect(data.expiresAt).toBe(new Date(t0 + 30 * 86_400_000).toISOString());
    const row = await testDb.conn.db.selectFrom('api_tokens').select('expires_at').where('agent_id', '=', data.agent.id).executeTakeFirstOrThrow();
    expect(Number(row.expires_at)).toBe(t0 + 30 * 86_400_000);

    const replay = await callProcedure(app, create, input, { token: auth.admin, headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((replay.body as { result: { data: { agent: { id: number }; token: string | null } } }).result.data).toMatchObject({ agent: { id: data.agent.id }, token: null });
    const stored = await testDb.conn.db.selectFrom('idempotency_keys').select('body').where('key', '=', 'create-agent-0001').executeTakeFirstOrThrow();
    expect(stored.body).not.toContain(data.token);
    expect(stored.body).not.toMatch(/rfq_/);
  });

  // ---------- item 10: /healthz ----------

  test('item 10: /healthz on a dead database says only "database unavailable"', async () => {
    const broken = await createTestDb(kind);
    const app = createApp({ db: broken.conn, now: () => t0 });
    await broken.conn.close();
    try {
      const r = await app.request('http://127.0.0.1/healthz');
      expect(r.status).toBe(503);
      const text = await r.text();
      expect(JSON.parse(text)).toEqual({ ok: false, db: kind, version: expect.any(String), error: 'database unavailable' });
      expect(text).not.toMatch(/destroyed|driver|ECONN|sqlite_|password|\//i);
    } finally {
      await broken.cleanup().catch(() => undefined);
    }
  });

  // ---------- item 11: bidi controls on the survey page ----------

  test('item 11: a stored bidi override never reaches the survey page; the name is isolated', async () => {
    const app = createApp({ db: testDb.conn, now: () => t0 });
    // Written around the API (an older row, a tool): the page must neutralize it itself.
    const customer = await createCustomer(testDb.conn.db, { displayName: 'Evil \u202egnp.exe\u202c Eve', identities: [], linkedBy: 'seed', agentId: null }, t0);
    const ticket = await callProcedure(app, { path: 'tickets.create', type: 'mutation' }, { customerId: customer.id, subject: 'Order late', channel: 'email' }, { token: auth.agent });
    const ticketId = (ticket.body as { result: { data: { ticket: { id: number } } } }).result.data.ticket.id;
    const survey = await callProcedure(app, { path: 'surveys.create', type: 'mutation' }, { ticketId }, { token: auth.agent });
    const url = new URL((survey.body as { result: { data: { url: string } } }).result.data.url);
    const page = await (await app.request(`http://127.0.0.1${url.pathname}`)).text();
    expect(page).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
    expect(page).toContain('<bdi>Evil gnp.exe Eve</bdi>');
  });
});

describe('item 2: keys are pruned on a schedule; item 3: the bucket map is pruned', () => {
  test('the server prunes week-old keys when it starts (and hourly)', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rafiq-prune-'));
    const file = join(dir, 'rafiq.sqlite');
    const setup = connect({ sqliteFile: file });
    await migrateToLatest(setup.db);
    const old = Date.now() - IDEMPOTENCY_TTL_MS - 60_000;
    await setup.db.insertInto('idempotency_keys').values({ scope: 'agent:1', key: 'ancient-key-01', path: '/trpc/notes.add', status: 200, body: '{}', created_at: old, locked_until: null }).execute();
    await setup.db.insertInto('idempotency_keys').values({ scope: 'agent:1', key: 'recent-key-01', path: '/trpc/notes.add', status: 200, body: '{}', created_at: Date.now(), locked_until: null }).execute();
    await setup.close();
    const server = await startServer(parseEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' }), { sqliteFile: file, quiet: true });
    try {
      let keys: string[] = [];
      for (let i = 0; i < 50; i++) {
        keys = (await server.db.db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key);
        if (!keys.includes('ancient-key-01')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(keys).toEqual(['recent-key-01']);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('30,000 junk keys do not grow the in-memory bucket map without bound', async () => {
    const store = memoryRateLimitStore(() => bucketShape(60), 10_000);
    for (let i = 0; i < 30_000; i++) await store.take(`fail:junk-${i}`, 1, t0 + i);
    expect(store.size()).toBeLessThanOrEqual(10_000);
    await store.prune(t0 + 30_000 + 60_000);
    expect(store.size()).toBe(0);
  });
});
