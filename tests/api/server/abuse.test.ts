import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createApp, MAX_BODY_BYTES } from '../../../api/app';
import { createCustomer } from '../../../api/modules/customers/customers.repository';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { callProcedure, errorMessage, seedAuth, type AuthFixture } from '../trpc-http';

/**
 * Issue 8, limits and abuse over HTTP: the per-token rate limit (429 + Retry-After), exactly-once
 * writes with Idempotency-Key (the extension's outbox relies on it), and security headers on
 * every answer, error answers included.
 */

const t0 = Date.parse('2026-11-23T10:00:00Z');

describe.each(dbKinds)('abuse limits (%s)', (kind) => {
  let testDb: TestDb;
  let auth: AuthFixture;
  let customerId: number;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    auth = await seedAuth(testDb.conn.db, t0);
    const customer = await createCustomer(testDb.conn.db, { displayName: 'Omar Farouk', identities: [], linkedBy: 'seed', agentId: null }, t0);
    customerId = customer.id;
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  test('a token over its per-minute budget gets 429 with Retry-After; other tokens are unaffected; time heals it', async () => {
    let now = t0;
    // 60 a minute → a burst of 10 (api/rate-limit.ts), refilled at one a second.
    const app = createApp({ db: testDb.conn, rateLimitPerMinute: 60, now: () => now });
    const me = { path: 'agents.me', type: 'query' } as const;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await callProcedure(app, me, undefined, { token: auth.agent })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);

    const limited = await callProcedure(app, me, undefined, { token: auth.agent });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(errorMessage(limited.body)).toMatch(/rate limit/);

    // Per token: the admin's budget is its own.
    expect((await callProcedure(app, me, undefined, { token: auth.admin })).status).toBe(200);

    // Waiting as long as Retry-After says is enough.
    now += retryAfter * 1000;
    expect((await callProcedure(app, me, undefined, { token: auth.agent })).status).toBe(200);
    expect((await callProcedure(app, me, undefined, { token: auth.agent })).status).toBe(429);
  });

  test('requests without a token are limited too (by client address)', async () => {
    const app = createApp({ db: testDb.conn, rateLimitPerMinute: 6, now: () => t0 });
    const me = { path: 'agents.me', type: 'query' } as const;
    expect((await callProcedure(app, me, undefined)).status).toBe(401);
    const second = await callProcedure(app, me, undefined);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  test('a repeated POST with the same Idempotency-Key returns the first answer and writes once', async () => {
    const app = createApp({ db: testDb.conn, now: () => t0 });
    const create = { path: 'tickets.create', type: 'mutation' } as const;
    const subject = `Idempotent ${kind} ${Math.random()}`;
    const input = { customerId, subject, channel: 'email' };
    const headers = { 'idempotency-key': 'outbox-0001-ticket' };

    const first = await callProcedure(app, create, input, { token: auth.agent, headers });
    expect(first.status).toBe(200);
    const ticketId = (first.body as { result: { data: { ticket: { id: number } } } }).result.data.ticket.id;
    expect(ticketId).toBeGreaterThan(0);

    const again = await callProcedure(app, create, input, { token: auth.agent, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);

    const rows = await testDb.conn.db.selectFrom('tickets').select('id').where('subject', '=', subject).execute();
    expect(rows.map((r) => r.id)).toEqual([ticketId]);

    // Keys are per caller: the same key from another token is a different write.
    const other = await callProcedure(app, create, input, { token: auth.admin, headers });
    expect(other.status).toBe(200);
    expect(other.headers.get('idempotent-replayed')).toBeNull();

    // Without a key the same call is a new write (the key, not the content, is the identity).
    const notes = { path: 'notes.add', type: 'mutation' } as const;
    const body = `note ${Math.random()}`;
    const noteKey = { 'idempotency-key': 'outbox-0002-note' };
    for (let i = 0; i < 3; i++) expect((await callProcedure(app, notes, { customerId, body }, { token: auth.agent, headers: noteKey })).status).toBe(200);
    const count = await testDb.conn.db.selectFrom('notes').select(sql<number>`count(*)`.as('n')).where('body', '=', body).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  test('the same key on a different procedure is 409; a malformed key or a batched call with a key is 400', async () => {
    const app = createApp({ db: testDb.conn, now: () => t0 });
    const headers = { 'idempotency-key': 'outbox-0003-reused' };
    const note = await callProcedure(app, { path: 'notes.add', type: 'mutation' }, { customerId, body: 'first' }, { token: auth.agent, headers });
    expect(note.status).toBe(200);

    const reused = await callProcedure(
      app,
      { path: 'interactions.log', type: 'mutation' },
      { customerId, channel: 'email', direction: 'inbound', summary: 'x' },
      { token: auth.agent, headers },
    );
    expect(reused.status).toBe(409);
    expect(errorMessage(reused.body)).toMatch(/already used for \/trpc\/notes\.add/);

    const malformed = await callProcedure(app, { path: 'notes.add', type: 'mutation' }, { customerId, body: 'x' }, { token: auth.agent, headers: { 'idempotency-key': 'no spaces allowed' } });
    expect(malformed.status).toBe(400);
    expect(errorMessage(malformed.body)).toMatch(/Idempotency-Key/);

    const batched = await app.request('http://127.0.0.1/trpc/notes.add?batch=1', {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.agent}`, 'content-type': 'application/json', 'idempotency-key': 'outbox-0004-batch' },
      body: JSON.stringify({ 0: { customerId, body: 'batched' } }),
    });
    expect(batched.status).toBe(400);
    // A batch is answered as tRPC answers batches: one error per call.
    expect(errorMessage(((await batched.json()) as unknown[])[0])).toMatch(/non-batched/);
    const written = await testDb.conn.db.selectFrom('notes').select('id').where('body', '=', 'batched').execute();
    expect(written).toEqual([]);
  });

  test('a 500 says only that something went wrong: no database message, table or value reaches the client', async () => {
    const broken = await createTestDb(kind);
    const brokenAuth = await seedAuth(broken.conn.db, t0);
    const app = createApp({ db: broken.conn, now: () => t0 });
    await broken.conn.close(); // every query now fails inside the driver
    try {
      const answer = await callProcedure(app, { path: 'customers.get', type: 'query' }, { id: 1 }, { token: brokenAuth.admin });
      expect(answer.status).toBe(500);
      expect(errorMessage(answer.body)).toBe('unexpected error (logged on the server)');
      expect(answer.text).not.toMatch(/destroyed|driver|sqlite|postgres|select |from |api_tokens|stack|\.ts\b/i);
    } finally {
      await broken.cleanup().catch(() => undefined);
    }
  });

  test('security headers are on every answer: 200, 401, 404, 413 and 429', async () => {
    let now = t0;
    const app = createApp({ db: testDb.conn, rateLimitPerMinute: 6, now: () => now });
    const answers: Record<string, Response> = {};
    answers.healthz = await app.request('http://127.0.0.1/healthz');
    answers.ok = await app.request('http://127.0.0.1/trpc/agents.me', { headers: { authorization: `Bearer ${auth.admin}` } });
    now += 60_000;
    answers.unauthorized = await app.request('http://127.0.0.1/trpc/agents.me');
    answers.notFound = await app.request('http://127.0.0.1/nothing-here');
    answers.tooLarge = await app.request('http://127.0.0.1/trpc/notes.add', {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId, body: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    answers.tooMany = await app.request('http://127.0.0.1/trpc/agents.me');

    expect(Object.fromEntries(Object.entries(answers).map(([name, r]) => [name, r.status]))).toEqual({
      healthz: 200,
      ok: 200,
      unauthorized: 401,
      notFound: 404,
      tooLarge: 413,
      tooMany: 429,
    });
    for (const [name, response] of Object.entries(answers)) {
      const h = response.headers;
      expect({ name, nosniff: h.get('x-content-type-options') }).toEqual({ name, nosniff: 'nosniff' });
      expect({ name, frame: h.get('x-frame-options') }).toEqual({ name, frame: 'SAMEORIGIN' });
      expect({ name, referrer: h.get('referrer-policy') }).toEqual({ name, referrer: 'no-referrer' });
      expect({ name, corp: h.get('cross-origin-resource-policy') }).toEqual({ name, corp: 'same-site' });
      expect({ name, hsts: h.get('strict-transport-security') }).toEqual({ name, hsts: expect.stringMatching(/max-age=\d+/) });
      if (response.status >= 400) {
        const body: unknown = await response.json();
        expect({ name, message: errorMessage(body) }).toEqual({ name, message: expect.stringMatching(/\S/) });
      }
    }
    const notes = await testDb.conn.db.selectFrom('notes').select('id').where(sql`length(body)`, '>=', MAX_BODY_BYTES).execute();
    expect(notes).toEqual([]);
  });
});
