import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../api/app';
import { openSqlite } from '../../../api/db/connection';
import { isQueryTimeout, QueryTimeoutError } from '../../../api/db/query-guard';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { callProcedure, seedAuth, type AuthFixture } from '../trpc-http';
import { storedTextViolations } from '../stored-text';

/**
 * Issue 18, item 1: one NUL byte stopped the SQLite API. Each case here failed (hung) on the
 * main branch before the fix; each is bounded so a regression fails instead of hanging.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

/** Runs a fixture script in its own process and kills it after `ms`: a synchronous hang cannot be stopped in-process. */
function runBounded(script: string, ms: number): Promise<{ timedOut: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done({ timedOut, stdout, stderr });
    });
  });
}

describe('item 1: a NUL byte in a stored subject', () => {
  test('metrics.summary on SQLite answers, and counts the words before the NUL', { timeout: 40_000 }, async () => {
    const run = await runBounded('tests/api/fixtures/nul-summary.ts', 30_000);
    expect(run.timedOut, `metrics.summary hung on a NUL subject\n${run.stderr.slice(-2000)}`).toBe(false);
    const answer = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
      ok: boolean;
      error?: string;
      summary?: { topics: { words: { top: { topic: string; current: number }[] } } };
    };
    expect(answer.error ?? null).toBeNull();
    expect(answer.summary!.topics.words.top).toEqual(
      expect.arrayContaining([expect.objectContaining({ topic: 'refund', current: 2 }), expect.objectContaining({ topic: 'late', current: 1 })]),
    );
  });

  test('rafiq_guard stops a recursive query that never ends, with a timeout error', () => {
    const sqlite = openSqlite(':memory:');
    try {
      const endless = sqlite.prepare('with recursive r(x) as (select 1 union all select x + 1 from r where rafiq_guard(?)) select count(*) from r');
      let caught: unknown;
      try {
        endless.get(Date.now() + 200);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(QueryTimeoutError);
      expect(isQueryTimeout(caught)).toBe(true);
      // The connection is still usable afterwards.
      expect(sqlite.prepare('select 1 as one').get()).toEqual({ one: 1 });
    } finally {
      sqlite.close();
    }
  });
});

describe.each(dbKinds)('item 1: the boundary strips control, bidi and zero-width characters (%s)', (kind) => {
  const t0 = Date.parse('2026-11-20T10:00:00Z');
  let testDb: TestDb;
  let app: Hono;
  let auth: AuthFixture;
  beforeAll(async () => {
    testDb = await createTestDb(kind);
    auth = await seedAuth(testDb.conn.db, t0);
    app = createApp({ db: testDb.conn, now: () => t0 });
  });
  afterAll(() => testDb?.cleanup());

  const mutate = (path: string, input: unknown) => callProcedure(app, { path, type: 'mutation' }, input, { token: auth.admin });
  const data = <T>(body: unknown) => (body as { result: { data: T } }).result.data;

  test('every kind of text field is stored clean; ZWNJ is kept', async () => {
    const created = await mutate('customers.create', {
      displayName: 'Lay\u0000la \u202eHaddad\u202c',
      company: 'Acme\u200b Inc\u0007',
      tags: ['vip\u0000', '\u2066gold\u2069'],
      customFields: { 'plan\u0000': 'pro\r\nyearly\u009f' },
      identities: [{ kind: 'email', value: 'lay\u200bla@example.com\u200e' }],
    });
    expect(created.status, created.text).toBe(200);
    const customer = data<{ id: number; displayName: string; company: string; tags: string[]; customFields: Record<string, unknown>; identities: { value: string }[] }>(created.body);
    expect(customer).toMatchObject({ displayName: 'Layla Haddad', company: 'Acme Inc', tags: ['vip', 'gold'], customFields: { plan: 'pro\nyearly' } });
    expect(customer.identities.map((i) => i.value)).toEqual(['layla@example.com']);

    // Persian names keep their zero-width non-joiner (U+200C): it is spelling, not an attack.
    const persian = await mutate('customers.create', { displayName: 'مهسا\u200cسادات\u200f' });
    expect(data<{ displayName: string }>(persian.body).displayName).toBe('مهسا\u200cسادات');

    const ticket = await mutate('tickets.create', {
      customerId: customer.id,
      subject: 'a a\u0000b',
      channel: 'email',
      excerpt: 'first\u0000 line\r\nsecond  line',
      details: { tags: ['de\u0000livery'], 'ke\u200by': { deep: ['x\u202ey'] } },
    });
    expect(ticket.status, ticket.text).toBe(200);
    expect(data<{ ticket: unknown }>(ticket.body).ticket).toMatchObject({ subject: 'a ab', details: { tags: ['delivery'], key: { deep: ['xy'] } } });

    const note = await mutate('notes.add', { customerId: customer.id, body: '  keep  my\tspacing\r\nline two\u0000 ' });
    expect(data<{ body: string }>(note.body).body).toBe('keep  my\tspacing\nline two');

    const logged = await mutate('interactions.log', { customerId: customer.id, channel: 'email', direction: 'inbound', summary: 'mail\u0000 in', externalId: 'ext\u200b-1' });
    expect(data<{ interaction: unknown }>(logged.body).interaction).toMatchObject({ summary: 'mail in', externalId: 'ext-1' });

    const complaint = await mutate('complaints.log', {
      review: {
        site: 'trustpilot',
        reviewId: 'r\u0000-1',
        permalink: null,
        reviewerName: 'Mallory \u202egnp.exe',
        reviewerProfileUrl: null,
        rating: { value: 1, best: 5, worst: 1 },
        title: 'bad\u0000',
        text: 'a NUL \u0000 and an override \u202e inside',
        date: { iso: null, raw: null, yearKnown: false },
        status: null,
        business: { name: 'Shop\u200b', url: null },
        tags: ['late\u0000'],
        language: null,
      },
      pageUrl: 'https://www.trustpilot.com/review/example.com',
    });
    expect(complaint.status, complaint.text).toBe(200);

    const template = await mutate('replies.create', { name: 'Thanks\u0000', shortcut: 'thanks', body: 'Hi {{customer.firstName}}\u202e,\r\nthanks' });
    expect(template.status, template.text).toBe(200);
    expect(data<{ name: string; body: string }>(template.body)).toMatchObject({ name: 'Thanks', body: 'Hi {{customer.firstName}},\nthanks' });

    const agent = await mutate('agents.create', { name: 'Eve\u202e\u0000 Agent', email: `eve-${kind}@rafiq.test`, role: 'agent' });
    expect(data<{ agent: { name: string } }>(agent.body).agent.name).toBe('Eve Agent');

    // A team's name is stored and written into the audit log: cleaned on create and on rename.
    const calendar = { timeZone: 'UTC', week: { sun: [], mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [] } };
    const team = await mutate('sla.createTeam', { name: 'Gulf\u0000 \u202eteam\u200b', calendar });
    expect(team.status, team.text).toBe(200);
    const teamId = data<{ id: number; name: string }>(team.body).id;
    expect(data<{ name: string }>(team.body).name).toBe('Gulf team');
    const renamed = await mutate('sla.updateTeam', { id: teamId, name: '\u2066Night\u2069\u0007 shift' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(data<{ name: string }>(renamed.body).name).toBe('Night shift');
    const emptyName = await mutate('sla.updateTeam', { id: teamId, name: '\u0000\u202e' });
    expect(emptyName.status).toBe(400);
    expect(emptyName.text).toMatch(/only control or invisible characters/);

    expect(await storedTextViolations(testDb.conn)).toEqual([]);
  });

  test('a field that is empty once cleaned is a clear field error', async () => {
    const empty = await mutate('customers.create', { displayName: '\u0000\u200b\u202e' });
    expect(empty.status).toBe(400);
    const fieldErrors = (empty.body as { error: { data: { fieldErrors: Record<string, string[]> } } }).error.data.fieldErrors;
    expect(fieldErrors.displayName).toEqual([expect.stringMatching(/only control or invisible characters/)]);
    const note = await mutate('notes.add', { customerId: 1, body: '\u0000' });
    expect((note.body as { error: { data: { fieldErrors: Record<string, string[]> } } }).error.data.fieldErrors.body).toBeDefined();
    // A URL is not prose: one holding a control character is refused, not rewritten.
    const url = await mutate('interactions.log', { customerId: 1, channel: 'email', direction: 'inbound', summary: 's', url: 'https://example.com/a\u202eb' });
    expect(url.status).toBe(400);
    expect(url.text).toMatch(/url/);
  });

  test('the stored-text check itself finds a NUL written around the API', async () => {
    await testDb.conn.db.updateTable('customers').set({ company: 'x\u202ey' }).where('id', '=', 1).execute();
    try {
      expect(await storedTextViolations(testDb.conn)).toEqual([expect.stringMatching(/^customers\.company/)]);
    } finally {
      await testDb.conn.db.updateTable('customers').set({ company: null }).where('id', '=', 1).execute();
    }
  });
});
