// Structured request logs (issue 23): one JSON line per request with a request id, method, route,
// status and duration; never a token, an email address, message text or a query string.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../api/app';
import { createLogger } from '../../../api/log';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { createTestDb, type TestDb } from '../test-db';

/** Lines pino writes, parsed. */
function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw, destination };
}

describe('request log', () => {
  let t: TestDb;
  let app: Hono;
  let token: string;
  const log = memoryLog();

  beforeAll(async () => {
    t = await createTestDb('sqlite');
    app = createApp({ db: t.conn, log: createLogger('info', { destination: log.destination }) });
    const sara = await createAgent(t.conn.db, { name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin' }, Date.now());
    token = (await createToken(t.conn.db, sara.id, Date.now())).token;
  }, 60_000);
  afterAll(async () => t?.cleanup(), 30_000);

  test('one JSON line per request, with id, method, route, status and duration; nothing the request carried', async () => {
    const before = log.lines.length;
    const secretText = 'Wants the invoice corrected before Friday';
    const created = await app.request('/trpc/customers.create', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Layla Haddad', identities: [{ kind: 'email', value: 'layla.haddad@example.com' }] }),
    });
    expect(created.status).toBe(200);
    const input = encodeURIComponent(JSON.stringify({ identities: [{ kind: 'email', value: 'layla.haddad@example.com' }], note: secretText }));
    const lookup = await app.request(`/trpc/customers.lookup?input=${input}`, { headers: { authorization: `Bearer ${token}` } });
    const unauthorized = await app.request('/trpc/customers.lookup', { headers: { authorization: 'Bearer rfq_not-a-real-token' } });
    const survey = await app.request('/s/secret-survey-token-123');

    const lines = log.lines.slice(before);
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/trpc/customers.create', 200],
      ['GET', '/trpc/customers.lookup', lookup.status],
      ['GET', '/trpc/customers.lookup', unauthorized.status],
      ['GET', '/s/:token', survey.status],
    ]);
    for (const line of lines) {
      expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof line.durationMs).toBe('number');
      expect(line.level).toBe(30);
    }
    expect(new Set(lines.map((l) => l.requestId)).size).toBe(4);
    expect(created.headers.get('x-request-id')).toBe(lines[0]!.requestId);
    const text = log.raw.slice(before).join('\n');
    for (const secret of [token, 'rfq_not-a-real-token', 'layla.haddad@example.com', 'Layla Haddad', secretText, 'secret-survey-token-123', 'input=']) {
      expect(text).not.toContain(secret);
    }
  });

  test("a client's request id is kept when it is plain, replaced when it is not", async () => {
    const before = log.lines.length;
    const kept = await app.request('/healthz', { headers: { 'x-request-id': 'agent-report-42' } });
    const replaced = await app.request('/healthz', { headers: { 'x-request-id': 'layla@example.com <script>' } });
    expect(kept.headers.get('x-request-id')).toBe('agent-report-42');
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(log.lines.slice(before).map((l) => [l.route, l.requestId])).toEqual([
      ['/healthz', 'agent-report-42'],
      ['/healthz', replaced.headers.get('x-request-id')],
    ]);
  });

  test('LOG_LEVEL silent writes nothing', async () => {
    const quiet = memoryLog();
    const silentApp = createApp({ db: t.conn, log: createLogger('silent', { destination: quiet.destination }) });
    expect((await silentApp.request('/healthz')).status).toBe(200);
    expect(quiet.raw).toEqual([]);
  });
});
