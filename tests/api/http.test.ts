// One layer of HTTP tests through app.request: the status codes and headers a client sees,
// on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import { createAgent, createToken } from '../../api/modules/agents/agents.repository';
import { createTestDb, dbKinds, type TestDb } from './metrics-test-db';

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const layla = { identities: [{ kind: 'email', value: 'layla.haddad@example.com' }] };

describe.each(dbKinds)('HTTP on %s', (kind) => {
  let t: TestDb;
  let app: Hono;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDb(kind);
    app = createApp({ db: t.conn });
    const sara = await createAgent(t.conn.db, { name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin' }, Date.now());
    auth = { authorization: `Bearer ${(await createToken(t.conn.db, sara.id, Date.now())).token}` };
    const created = await app.request('/trpc/customers.create', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Layla Haddad', identities: [{ kind: 'email', value: 'Layla.Haddad@example.com' }, { kind: 'x', value: 'layla_haddad' }] }),
    });
    expect(created.status).toBe(200);
  }, 60_000);
  afterAll(async () => t?.cleanup(), 30_000);

  test('GET /healthz → 200 {ok, db, version}', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: kind, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  test('customers.lookup with a token returns the customer with all identities', async () => {
    const res = await app.request(`/trpc/customers.lookup?${input(layla)}`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { customer: { displayName: string; identities: { kind: string }[] } } } };
    expect(body.result.data.customer.displayName).toBe('Layla Haddad');
    expect(body.result.data.customer.identities.map((i) => i.kind)).toEqual(['email', 'x']);
  });

  test('without a token → 401', async () => {
    const res = await app.request(`/trpc/customers.lookup?${input(layla)}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Authorization: Bearer/);
  });

  test('bad input → 400 with field errors naming the field', async () => {
    const res = await app.request(`/trpc/customers.lookup?${input({ identities: [{ kind: 'fax', value: '1' }] })}`, { headers: auth });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { fieldErrors: Record<string, string[]> } } };
    expect(Object.keys(body.error.data.fieldErrors)).toEqual(['identities.0.kind']);
  });

  test('unknown customer → 404; a clash → 409 naming the owner', async () => {
    expect((await app.request(`/trpc/customers.get?${input({ id: 424242 })}`, { headers: auth })).status).toBe(404);
    const res = await app.request('/trpc/customers.create', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Someone', identities: [{ kind: 'x', value: '@LAYLA_HADDAD' }] }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/already belongs to customer \d+/);
  });

  test('a body over 1 MB → 413', async () => {
    const res = await app.request('/trpc/notes.add', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'content-length': String(1024 * 1024 + 10) },
      body: JSON.stringify({ customerId: 1, body: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });

  test('batching: two calls, one request, answers in order', async () => {
    const res = await app.request(`/trpc/agents.me,customers.lookup?batch=1&${input({ 0: {}, 1: layla })}`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as [{ result: { data: { name: string } } }, { result: { data: { customer: { displayName: string } } } }];
    expect(body[0].result.data.name).toBe('Sara Ahmed');
    expect(body[1].result.data.customer.displayName).toBe('Layla Haddad');
  });

  test('CORS: extension origins allowed, web pages not; configured origins only when set', async () => {
    const preflight = (origin: string, a: Hono = app) =>
      a.request('/trpc/customers.lookup', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect((await preflight('chrome-extension://abcdefghijklmnopabcdefghijklmnop')).headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect((await preflight('moz-extension://0b1c2d3e-aaaa-bbbb-cccc-1234567890ab')).headers.get('access-control-allow-origin')).toBe('moz-extension://0b1c2d3e-aaaa-bbbb-cccc-1234567890ab');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const strict = createApp({ db: t.conn, allowedOrigins: ['chrome-extension://ours'] });
    expect((await preflight('chrome-extension://ours', strict)).headers.get('access-control-allow-origin')).toBe('chrome-extension://ours');
    expect((await preflight('chrome-extension://theirs', strict)).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('security headers on every answer', async () => {
    for (const res of [await app.request('/healthz'), await app.request('/nope'), await app.request(`/trpc/customers.lookup?${input(layla)}`)]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBeTruthy();
    }
  });
});
