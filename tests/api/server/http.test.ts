// One layer of HTTP tests through app.request: the status codes and headers a client sees,
// on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../api/app';
import { parseEnv } from '../../../api/env';
import { createAgent, createToken, revokeToken } from '../../../api/modules/agents/agents.repository';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const layla = { identities: [{ kind: 'email', value: 'layla.haddad@example.com' }] };

describe.each(dbKinds)('HTTP on %s', (kind) => {
  let t: TestDb;
  let app: Hono;
  let auth: Record<string, string>;
  let agentAuth: Record<string, string>;
  let laylaId: number;

  beforeAll(async () => {
    t = await createTestDb(kind);
    app = createApp({ db: t.conn });
    const sara = await createAgent(t.conn.db, { name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin' }, Date.now());
    auth = { authorization: `Bearer ${(await createToken(t.conn.db, sara.id, Date.now())).token}` };
    const emre = await createAgent(t.conn.db, { name: 'Emre Kaya', email: 'emre@rafiq.example', role: 'agent' }, Date.now());
    agentAuth = { authorization: `Bearer ${(await createToken(t.conn.db, emre.id, Date.now())).token}` };
    const created = await app.request('/trpc/customers.create', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Layla Haddad', identities: [{ kind: 'email', value: 'Layla.Haddad@example.com' }, { kind: 'x', value: 'layla_haddad' }] }),
    });
    expect(created.status).toBe(200);
    laylaId = ((await created.json()) as { result: { data: { id: number } } }).result.data.id;
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
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  type ErrorBody = { error: { message: string; data: { code: string; httpStatus: number; fieldErrors: Record<string, string[]> | null; details: { id?: number; field?: string } | null } } };
  const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
    app.request(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  test('400 names every wrong field, including values the schema accepts but normalization does not', async () => {
    const res = await app.request(`/trpc/customers.lookup?${input({ identities: [{ kind: 'fax', value: '1' }, { kind: 'email', value: '' }] })}`, { headers: auth });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(Object.keys(body.error.data.fieldErrors!).sort()).toEqual(['identities.0.kind', 'identities.1.value']);
    expect(body.error.data.fieldErrors!['identities.1.value']).toEqual(['must not be empty']);

    const phone = await app.request(`/trpc/customers.lookup?${input({ identities: [{ kind: 'phone', value: 'call me' }] })}`, { headers: auth });
    expect(phone.status).toBe(400);
    expect(((await phone.json()) as ErrorBody).error.data.fieldErrors).toEqual({ 'identities.0.value': ['identities.0.value "call me" is not a phone number'] });

    const create = await post('/trpc/customers.create', { displayName: '   ', identities: [] });
    expect(create.status).toBe(400);
    expect(Object.keys(((await create.json()) as ErrorBody).error.data.fieldErrors!)).toEqual(['displayName']);
    const broken = await post('/trpc/customers.create', '{"displayName": ');
    expect(broken.status).toBe(400);
  });

  test('409 carries the id of the customer the identity belongs to', async () => {
    const res = await post('/trpc/identities.link', { customerId: laylaId, identity: { kind: 'email', value: 'someone.else@example.com' } });
    expect(res.status).toBe(200);
    const other = ((await (await post('/trpc/customers.create', { displayName: 'Other Person' })).json()) as { result: { data: { id: number } } }).result.data.id;
    const clash = await post('/trpc/identities.link', { customerId: other, identity: { kind: 'email', value: 'Someone.Else@EXAMPLE.com' } });
    expect(clash.status).toBe(409);
    const body = (await clash.json()) as ErrorBody;
    expect(body.error.data.code).toBe('CONFLICT');
    expect(body.error.data.details?.id).toBe(laylaId);
    expect(body.error.message).toContain(`customer ${laylaId}`);
  });

  test('401 for revoked tokens, 403 for an agent calling admin work, 404 for an unknown procedure, 405 for GET on a mutation', async () => {
    const emre = (await t.conn.db.selectFrom('agents').select('id').where('email', '=', 'emre@rafiq.example').executeTakeFirstOrThrow()).id;
    const revoked = await createToken(t.conn.db, emre, Date.now());
    await revokeToken(t.conn.db, revoked.id, Date.now());
    expect((await app.request('/trpc/agents.me', { headers: { authorization: `Bearer ${revoked.token}` } })).status).toBe(401);
    expect((await app.request('/trpc/agents.me', { headers: { authorization: 'Bearer rfq_not_a_real_token' } })).status).toBe(401);
    expect((await app.request('/trpc/agents.me', { headers: agentAuth })).status).toBe(200);
    const forbidden = await post('/trpc/agents.create', { name: 'Nour', email: 'nour@rafiq.example', role: 'agent' }, agentAuth);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as ErrorBody).error.data.code).toBe('FORBIDDEN');
    expect((await post('/trpc/agents.create', { name: 'Nour', email: 'nour@rafiq.example', role: 'agent' })).status).toBe(200);
    expect((await app.request('/trpc/customers.nope', { headers: auth })).status).toBe(404);
    expect((await app.request('/nothing-here')).status).toBe(404);
    expect((await app.request(`/trpc/notes.add?${input({ customerId: laylaId, body: 'x' })}`, { headers: auth })).status).toBe(405);
  });

  test('413 for any body over 1 MB, with or without a Content-Length; just under 1 MB is read', async () => {
    const big = JSON.stringify({ customerId: laylaId, body: 'x'.repeat(1024 * 1024) });
    // No Content-Length header: the limit counts the bytes as they arrive.
    const plain = await post('/trpc/notes.add', big);
    expect(plain.status).toBe(413);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode(big.slice(0, 256 * 1024));
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const streamed = await app.request('/trpc/notes.add', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    // Under the limit the request reaches the procedure, whose own limit (10,000 characters) answers.
    const under = await post('/trpc/notes.add', { customerId: laylaId, body: 'x'.repeat(1024 * 1024 - 200) });
    expect(under.status).toBe(400);
    expect(Object.keys(((await under.json()) as ErrorBody).error.data.fieldErrors!)).toEqual(['body']);
  });

  test('batched mutations: each call answers in order with its own status (207 when mixed)', async () => {
    const ok = await post('/trpc/notes.add,tickets.create?batch=1', { 0: { customerId: laylaId, body: 'Batched note' }, 1: { customerId: laylaId, subject: 'Batched ticket', channel: 'email' } });
    expect(ok.status).toBe(200);
    const [note, ticket] = (await ok.json()) as [{ result: { data: { body: string } } }, { result: { data: { created: boolean; ticket: { subject: string } } } }];
    expect(note.result.data.body).toBe('Batched note');
    expect(ticket.result.data).toMatchObject({ created: true, ticket: { subject: 'Batched ticket' } });

    const mixed = await post('/trpc/notes.add,notes.add?batch=1', { 0: { customerId: 987_654, body: 'nobody' }, 1: { customerId: laylaId, body: 'somebody' } });
    expect(mixed.status).toBe(207);
    const [missing, added] = (await mixed.json()) as [ErrorBody, { result: { data: { body: string } } }];
    expect(missing.error.data.httpStatus).toBe(404);
    expect(added.result.data.body).toBe('somebody');

    const lookups = await app.request(`/trpc/customers.lookup,customers.lookup,customers.lookup?batch=1&${input({ 0: layla, 1: { identities: [{ kind: 'x', value: 'nobody_at_all' }] }, 2: { identities: [{ kind: 'x', value: '@Layla_Haddad' }] } })}`, { headers: auth });
    expect(lookups.status).toBe(200);
    const answers = (await lookups.json()) as { result: { data: { customer: { id: number } | null } } }[];
    expect(answers.map((a) => a.result.data.customer?.id ?? null)).toEqual([laylaId, null, laylaId]);
  });

  test('CORS on real requests: the extension origin gets the header, a web page does not (and ALLOWED_ORIGINS narrows it)', async () => {
    const get = (origin: string, a: Hono = app) => a.request(`/trpc/customers.lookup?${input(layla)}`, { headers: { ...auth, origin } });
    const extension = await get('chrome-extension://abcdefghijklmnop');
    expect(extension.status).toBe(200);
    expect(extension.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect(extension.headers.get('vary')).toMatch(/Origin/);
    const evil = await get('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect((await get('https://chrome-extension.evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await get('null')).headers.get('access-control-allow-origin')).toBeNull();

    const configured = createApp({ db: t.conn, allowedOrigins: parseEnv({ ALLOWED_ORIGINS: 'chrome-extension://abcdefghijklmnop, moz-extension://0b1c2d3e-aaaa-bbbb-cccc-1234567890ab' }).ALLOWED_ORIGINS });
    expect((await get('chrome-extension://abcdefghijklmnop', configured)).headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect((await get('moz-extension://0b1c2d3e-aaaa-bbbb-cccc-1234567890ab', configured)).headers.get('access-control-allow-origin')).toBe('moz-extension://0b1c2d3e-aaaa-bbbb-cccc-1234567890ab');
    expect((await get('chrome-extension://ponmlkjihgfedcba', configured)).headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await configured.request('/trpc/customers.create', { method: 'OPTIONS', headers: { origin: 'chrome-extension://abcdefghijklmnop', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  test('security headers on success, 400, 401 and 413 answers', async () => {
    const answers = [
      await app.request(`/trpc/customers.lookup?${input(layla)}`, { headers: auth }),
      await app.request(`/trpc/customers.lookup?${input({ identities: [] })}`, { headers: auth }),
      await app.request(`/trpc/customers.lookup?${input(layla)}`),
      await post('/trpc/notes.add', JSON.stringify({ customerId: 1, body: 'x'.repeat(1024 * 1024 + 1) })),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 400, 401, 413]);
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-site');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});
