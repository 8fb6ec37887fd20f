import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { createApp } from '../../../api/app';
import { seedDemoIfEmpty } from '../../../api/demo/seed';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { callProcedure, errorMessage, routerProcedures, seedAuth, type AuthFixture, type ProcedureEntry } from '../trpc-http';
import { storedTextViolations } from '../stored-text';

/**
 * Issue 8, test 3: fast-check throws random and adversarial inputs at EVERY procedure of the
 * router (read at run time, so new procedures are fuzzed without touching this file), over HTTP
 * with a valid admin token. Whatever comes in, the answer is never a 5xx, every 4xx says what is
 * wrong, and the database is consistent afterwards.
 *
 * Inputs are derived from each procedure's own zod input at run time: faithful values (past
 * validation, into repositories and SQL, where 5xx live) with adversarial leaves, hostile values
 * of the right shape with junk anywhere, and plain junk (random JSON, wrong types, broken JSON,
 * nesting 100,000 deep).
 */

// Per procedure and database; ~30 procedures × 2 databases stay well under a minute.
const RUNS_PER_PROCEDURE = Number(process.env.FUZZ_RUNS ?? 80);
/** Fixed and printed (issue 18: no seed is "unlucky"); FUZZ_SEED=<n> runs another sequence. */
const SEED = Number(process.env.FUZZ_SEED ?? 18_0018);
console.log(`[fuzz] seed ${SEED} (FUZZ_SEED=${SEED} replays this run), ${RUNS_PER_PROCEDURE} runs per procedure`);
/** A report query (or any call) that takes longer than this is a hang, not a slow answer. */
const CALL_BOUND_MS = 15_000;
const t0 = Date.parse('2026-11-23T10:00:00Z');

// ---------- adversarial leaves ----------

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 });
const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202Eevil\u202C.exe', // right-to-left override
  '\u2066isolate\u2069',
  'zero\u200Bwidth\u200D\uFEFF',
  '\uD800', // lone surrogate
  '\uDFFF\uD800',
  "' OR 1=1 --",
  "'; DROP TABLE customers; --",
  '"; select * from api_tokens; --',
  '%',
  '_',
  '\\',
  '%_\\%',
  '1; PRAGMA writable_schema=1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{customer.name}}',
  '{{constructor.constructor}}',
  '{{ __proto__ }}',
  '__proto__',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '0x1F',
  '9007199254740993',
  'null',
  'undefined',
  'true',
  '2026-02-30T25:61:61Z',
  '0000-00-00',
  '9999-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  'mailto:a@b.c',
  'http://',
  'https://[::1]/',
  'file:///etc/passwd',
  'ftp://x',
  'a@b',
  '@',
  '@@@',
  'ليلى حداد',
  'سارا احمدی',
  'Şikâyet İğdır',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '../../etc/passwd',
  'Europe/Nowhere',
  '+99:99',
  'rfq_' + 'A'.repeat(43),
);
const longString = fc.integer({ min: 1_000, max: 300_000 }).chain((n) => fc.constantFrom('x', 'ي', '\u200B', "'", '{{').map((unit) => unit.repeat(n)));
const plainString = fc.string({ maxLength: 40 });
const graphemes = fc.string({ unit: 'grapheme', maxLength: 30 });
const stringLeaf = fc.oneof(
  { weight: 3, arbitrary: plainString },
  { weight: 3, arbitrary: nastyStrings },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: graphemes },
  { weight: 1, arbitrary: longString },
);

/** Ids mostly hit seeded rows; the rest are the numbers that break integer columns and casts. */
const numberLeaf = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 25 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0,
      -1,
      -0,
      0.5,
      1e-300,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32,
      2 ** 53 - 1,
      2 ** 53 + 2,
      -(2 ** 53),
      1e21,
      1e308,
      -1e308,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
    ),
  },
  { weight: 1, arbitrary: fc.double() }, // NaN and ±Infinity become null in JSON
  { weight: 1, arbitrary: fc.integer() },
);

/** Deep nesting built directly (fast-check's own depth is bounded for speed); deeper still as raw JSON below. */
const deepValue = fc
  .tuple(fc.integer({ min: 20, max: 300 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
    return value;
  });

const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: stringLeaf },
  { weight: 2, arbitrary: numberLeaf },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [[]], [{}], { __proto__: { admin: true } }) },
  { weight: 1, arbitrary: deepValue },
);

// ---------- shaped like the procedure's zod input ----------

interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string } };
}
const isZod = (value: unknown): value is ZodLike =>
  typeof value === 'object' && value !== null && '_zod' in value && typeof (value as ZodLike)._zod?.def?.type === 'string';

const validFormats: Record<string, fc.Arbitrary<string>> = {
  email: fc.constantFrom('layla@example.com', 'OMAR+tag@Example.COM', 'a@b.co', "o'neil@example.org", 'x@xn--mgbh0fb.xn--kgbechtv'),
  url: fc.constantFrom('https://example.com/', 'https://www.trustpilot.com/reviews/abc', 'http://127.0.0.1:1/x?y=%00', 'https://x.com/layla/status/1'),
  datetime: fc.constantFrom('2026-11-23T10:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-11-23T10:00:00+03:30', '0001-01-01T00:00:00Z'),
  date: fc.constantFrom('2026-11-01', '2026-11-30', '1970-01-01', '9999-12-31', '0001-01-01', '2024-02-29'),
};

/** Strings that pass most field rules (non-empty, short, slug-like), so a faithful input gets through zod. */
const word = fc.stringMatching(/^[a-z][a-z0-9-]{1,12}$/);
/**
 * Issue 18: control, bidi and zero-width characters inside otherwise valid text, in every text
 * field (a NUL in a subject once hung metrics.summary on SQLite). They must be stripped at the
 * boundary and never stored; the report pass below reads everything back.
 */
const invisible = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f', '\r', '\u202e', '\u2066', '\u200b', '\u200e', '\ufeff', '\u2060');
const lacedWord = fc.tuple(word, fc.array(fc.tuple(invisible, word), { minLength: 1, maxLength: 3 })).map(([first, rest]) => first + rest.map(([c, w]) => c + w).join(''));
const faithfulString = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 3, arbitrary: lacedWord },
  { weight: 2, arbitrary: nastyStrings },
  { weight: 1, arbitrary: graphemes },
);
const faithfulNumber = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 25 }) }, { weight: 1, arbitrary: numberLeaf });

/**
 * Arbitrary for a zod schema. `faithful`: every field of the right type, leaves mostly valid,
 * some adversarial (gets past zod into repositories and SQL). `hostile`: the right shape with
 * adversarial leaves, and any value may be swapped for junk (wrong types, arrays for objects).
 */
function shaped(schema: unknown, mode: 'faithful' | 'hostile', depth = 0): fc.Arbitrary<unknown> {
  if (!isZod(schema) || depth > 8) return junk;
  const def = schema._zod.def;
  const faithful = mode === 'faithful';
  const inner = (key: string) => shaped(def[key], mode, depth + 1);
  let typed: fc.Arbitrary<unknown>;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, shaped(value, mode, depth + 1)]));
      const extraKey = fc.oneof(plainString, fc.constantFrom('__proto__', 'constructor', 'id', 'role', 'agentId'));
      typed = fc
        .tuple(
          fc.record(fields, faithful ? {} : { requiredKeys: [] }),
          fc.option(fc.dictionary(extraKey, junk, { maxKeys: 3 }), { freq: faithful ? 10 : 4 }),
        )
        .map(([known, extra]) => ({ ...(extra ?? {}), ...known }));
      break;
    }
    case 'string': {
      const format = typeof def.format === 'string' ? validFormats[def.format] : undefined;
      const leaf = faithful ? faithfulString : stringLeaf;
      typed = format ? fc.oneof({ weight: faithful ? 6 : 3, arbitrary: format }, { weight: 2, arbitrary: leaf }) : leaf;
      break;
    }
    case 'number':
    case 'bigint':
      typed = faithful ? faithfulNumber : numberLeaf;
      break;
    case 'boolean':
      typed = fc.boolean();
      break;
    case 'enum':
      typed = fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
      break;
    case 'literal':
      typed = fc.constantFrom(...(def.values as unknown[]));
      break;
    case 'array':
      typed = fc.array(inner('element'), { minLength: faithful ? 1 : 0, maxLength: faithful ? 3 : 6 });
      break;
    case 'record':
      typed = fc.dictionary(faithful ? word : fc.oneof(plainString, nastyStrings), inner('valueType'), { maxKeys: 5 });
      break;
    case 'union':
      typed = fc.oneof(...(def.options as unknown[]).map((option) => shaped(option, mode, depth + 1)));
      break;
    case 'nullable':
      typed = fc.oneof({ weight: 3, arbitrary: inner('innerType') }, { weight: 1, arbitrary: fc.constant(null) });
      break;
    case 'optional':
    case 'default':
    case 'prefault':
      typed = fc.oneof({ weight: 3, arbitrary: inner('innerType') }, { weight: 1, arbitrary: fc.constant(undefined) });
      break;
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      typed = inner('innerType');
      break;
    case 'pipe':
      typed = inner('in');
      break;
    default:
      typed = junk;
  }
  return faithful ? typed : fc.oneof({ weight: 12, arbitrary: typed }, { weight: 1, arbitrary: junk });
}

/** Fails the call that has not settled after CALL_BOUND_MS instead of waiting for the test timeout. */
async function bounded<T>(call: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${CALL_BOUND_MS} ms`)), CALL_BOUND_MS);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface FuzzCase {
  input: unknown;
  /** Sent instead of the JSON encoding of `input` (broken JSON, empty body). */
  raw?: string;
}

/** Short, JSON-shaped counterexamples: a 5,000-deep or 300 kB input would drown the report. */
function describeCase(fuzz: FuzzCase): string {
  let text: string;
  try {
    text = fuzz.raw !== undefined ? `raw ${JSON.stringify(fuzz.raw.slice(0, 200))}` : (JSON.stringify(fuzz.input) ?? 'undefined');
  } catch {
    text = '(input too deep to print)';
  }
  return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : text;
}

function casesFor(procedure: ProcedureEntry): fc.Arbitrary<FuzzCase> {
  const schema = procedure.inputs[0];
  return fc
    .oneof(
    { weight: 5, arbitrary: shaped(schema, 'faithful').map((input) => ({ input })) },
    { weight: 4, arbitrary: shaped(schema, 'hostile').map((input) => ({ input })) },
    { weight: 2, arbitrary: junk.map((input) => ({ input })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom('', '{', '{"a":', 'undefined', 'NaN', '[1,]', '\u0000', '{"customerId":1e999}', '{"id":-0}', '"\\ud800"', '{"__proto__":{"x":1}}', '%%%', '['.repeat(10_000)),
          // Nesting far deeper than any client would send: the parser must not take the server down.
          fc.integer({ min: 1_000, max: 100_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
          fc.integer({ min: 1_000, max: 50_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
        )
        .map((raw) => ({ input: undefined, raw })),
    },
  )
    .map((fuzz: FuzzCase) => Object.assign(fuzz, { [fc.toStringMethod]: () => describeCase(fuzz) }));
}

// ---------- the run ----------

describe.each(dbKinds)('fuzzing every procedure over HTTP (%s)', (kind) => {
  let testDb: TestDb;
  let app: Hono;
  let auth: AuthFixture;
  let tokenDir: string;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    tokenDir = mkdtempSync(join(tmpdir(), 'rafiq-fuzz-'));
    // Real rows for ids to hit: customers with identities, tickets in every state, orders,
    // templates, surveys (the demo workspace, small).
    await seedDemoIfEmpty(testDb.conn.db, { log: false, tokenFile: join(tokenDir, 'token.txt'), now: t0, customers: 20 });
    auth = await seedAuth(testDb.conn.db, t0);
    app = createApp({ db: testDb.conn, now: () => t0 });
  });
  afterAll(async () => {
    await testDb?.cleanup();
    if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
  });

  // Destructive procedures last, so the others keep hitting seeded rows.
  const destructive = /(erase|merge|unlink|revoke|delete|remove)/i;
  const procedures = routerProcedures().sort((a, b) => Number(destructive.test(a.path)) - Number(destructive.test(b.path)));
  test('the router has procedures to fuzz', () => {
    expect(procedures.length).toBeGreaterThan(20);
  });

  test.each(procedures.map((p) => [p.path, p] as const))('%s: never a 5xx, every 4xx says why', async (_path, procedure) => {
    let calls = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(casesFor(procedure), async (fuzz) => {
        calls++;
        const answer = await bounded(callProcedure(app, procedure, fuzz.input, { token: auth.admin, raw: fuzz.raw }), procedure.path);
        if (procedure.path === 'agents.revokeToken') {
          // The fuzzer may revoke the token it is using; give it back so later calls still test procedures, not auth.
          await testDb.conn.db.updateTable('api_tokens').set({ revoked_at: null }).where('id', '=', auth.adminTokenId).execute();
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const shown = `${answer.status} ${answer.text.slice(0, 300)}`;
        expect(answer.status, shown).toBeLessThan(500);
        expect(answer.status, `a valid admin token was refused: ${shown}`).not.toBe(401);
        expect(typeof answer.body, `not JSON: ${shown}`).toBe('object');
        if (answer.status >= 400) expect(errorMessage(answer.body), `no error.message: ${shown}`).toMatch(/\S/);
      }),
      { seed: SEED, numRuns: RUNS_PER_PROCEDURE, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false, skipAllAfterTimeLimit: 20_000 },
    );
    expect(calls).toBeGreaterThan(0);
    if (process.env.FUZZ_STATS) console.log(procedure.path, kind, JSON.stringify(Object.fromEntries(statuses)));
  });

  // Each bug the fuzzer found, pinned by its counterexample so it can never come back unseen.
  test('regressions found by the fuzzer answer 4xx/200, not 500', async () => {
    const call = (path: string, type: 'query' | 'mutation', input: unknown) => callProcedure(app, { path, type }, input, { token: auth.admin });
    const db = testDb.conn.db;
    const customer = await db.selectFrom('customers').select('id').orderBy('id').executeTakeFirstOrThrow();
    const ticket = await db.selectFrom('tickets').select('id').orderBy('id').executeTakeFirstOrThrow();

    // An assignee that is not an agent: a foreign-key violation was a 500 on both databases.
    const assignee = await call('tickets.update', 'mutation', { id: ticket.id, assigneeId: 999_999 });
    expect([assignee.status, errorMessage(assignee.body)]).toEqual([400, expect.stringMatching(/does not exist/)]);
    const created = await call('tickets.create', 'mutation', { customerId: customer.id, subject: 'x', channel: 'email', assigneeId: 999_999 });
    expect(created.status).toBe(400);

    // Ids past PostgreSQL's integer range were a 500 there ("value out of range for type integer").
    for (const id of [2 ** 31, 2 ** 32, 2 ** 53 - 1]) {
      const got = await call('customers.get', 'query', { id });
      expect({ id, status: got.status }).toEqual({ id, status: expect.toSatisfy((s: number) => s >= 400 && s < 500) });
    }

    // NUL in text was a 500 on PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00").
    const nul = await call('notes.add', 'mutation', { customerId: customer.id, body: 'a\u0000b' });
    expect(nul.status).toBeLessThan(500);
    expect(nul.status === 200 || errorMessage(nul.body)?.includes('cannot be stored')).toBe(true);

    // A complaint carrying a lone surrogate or a NUL was stored as JSON PostgreSQL cannot parse,
    // and then every metrics.summary failed: one hostile review broke the dashboard.
    const review = {
      site: 'trustpilot',
      reviewId: `lone-surrogate-${kind}`,
      permalink: null,
      reviewerName: 'Mallory \ud800',
      reviewerProfileUrl: null,
      rating: { value: 1, best: 5, worst: 1 },
      title: '\udfff',
      text: 'broken \ud800 text',
      date: { iso: null, raw: 'nul \u0000 inside', yearKnown: false },
      status: null,
      business: { name: '\ud800', url: null },
      tags: ['\ud800', 'a\u0000b', 'delivery'],
      language: null,
    };
    const logged = await call('complaints.log', 'mutation', { review, pageUrl: 'https://www.trustpilot.com/review/example.com' });
    expect(logged.status, logged.text.slice(0, 300)).toBe(200);
    const summary = await call('metrics.summary', 'query', { from: '2026-11-01', to: '2026-11-30' });
    expect(summary.status, summary.text.slice(0, 300)).toBe(200);
  });

  // Issue 18: whatever the fuzzer stored, every query (every report included) still answers,
  // each call within its bound. On SQLite a query that never ends would block the event loop, so
  // the in-database guard (rafiq_guard, api/db/query-guard.ts) is what makes that bound hold;
  // the race below catches everything asynchronous (PostgreSQL, a handler that never settles).
  test('every query answers within its bound over the fuzzed data', { timeout: 240_000 }, async () => {
    const queries = procedures.filter((p) => p.type === 'query');
    expect(queries.map((p) => p.path)).toEqual(expect.arrayContaining(['metrics.summary', 'metrics.customer', 'timeline.list']));
    const customers = await testDb.conn.db.selectFrom('customers').select('id').orderBy('id').limit(5).execute();
    const ranges = ['UTC', 'Asia/Tehran', 'Asia/Kathmandu', 'America/St_Johns'].flatMap((tz) => [
      { from: '2026-11-01', to: '2026-11-30', tz },
      { from: '2026-01-01', to: '2026-12-31', tz, groupBy: 'week' },
    ]);
    for (const procedure of queries) {
      const inputs: unknown[] =
        procedure.path === 'metrics.summary'
          ? ranges
          : [
              ...customers.map((c) => ({ customerId: c.id, id: c.id, limit: 50 })),
              ...fc.sample(shaped(procedure.inputs[0], 'faithful'), { seed: SEED, numRuns: 5 }),
            ];
      for (const input of inputs) {
        const answer = await bounded(callProcedure(app, procedure, input, { token: auth.admin }), `${procedure.path} ${JSON.stringify(input).slice(0, 200)}`);
        expect(answer.status, `${procedure.path}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
      }
    }
  });

  test('no control, bidi or zero-width character was stored (strip or refuse, never store)', async () => {
    expect(await storedTextViolations(testDb.conn)).toEqual([]);
  });

  test('the database is consistent after the fuzzing', async () => {
    const db = testDb.conn.db;
    if (testDb.conn.sqlite) {
      expect(testDb.conn.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(testDb.conn.sqlite.pragma('foreign_key_check')).toEqual([]);
    }
    // Every row that points at a customer or ticket points at one that exists (on both databases).
    const orphans = await sql<{ what: string; n: number }>`
      select 'identities' as what, count(*) as n from identities where customer_id not in (select id from customers)
      union all select 'interactions', count(*) from interactions where customer_id not in (select id from customers)
      union all select 'interactions.ticket', count(*) from interactions where ticket_id is not null and ticket_id not in (select id from tickets)
      union all select 'tickets', count(*) from tickets where customer_id not in (select id from customers)
      union all select 'notes', count(*) from notes where customer_id not in (select id from customers)
      union all select 'orders', count(*) from orders where customer_id not in (select id from customers)
      union all select 'surveys', count(*) from surveys where ticket_id not in (select id from tickets)
      union all select 'api_tokens', count(*) from api_tokens where agent_id not in (select id from agents)
      union all select 'pending idempotency keys', count(*) from idempotency_keys where status is null
    `.execute(db);
    expect(orphans.rows.filter((row) => Number(row.n) > 0)).toEqual([]);
    // JSON columns still hold JSON the API can read back.
    const customers = await db.selectFrom('customers').select(['id', 'tags', 'custom_fields']).execute();
    for (const c of customers) {
      expect(Array.isArray(JSON.parse(c.tags)), `customer ${c.id} tags`).toBe(true);
      expect(typeof JSON.parse(c.custom_fields), `customer ${c.id} custom_fields`).toBe('object');
    }
    const tickets = await db.selectFrom('tickets').select(['id', 'details', 'status']).execute();
    for (const t of tickets) expect(typeof JSON.parse(t.details), `ticket ${t.id} details`).toBe('object');
    // And the API still answers.
    const me = await callProcedure(app, { path: 'agents.me', type: 'query' }, undefined, { token: auth.admin });
    expect(me.status).toBe(200);
  });
});
