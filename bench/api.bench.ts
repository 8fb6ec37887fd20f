/**
 * `npm run bench:api -- [--customers N] [--db sqlite|postgres|both] [--duration S] [--quick]`
 *
 * Seeds N customers (1–2 identities, 10 interactions each), then measures customers.lookup and
 * timeline.list in-process (p50/p95/p99 over random customers) and over HTTP (autocannon, 32
 * connections) against the real app and against baselines over the same database: a raw
 * prepared statement, a bare Hono route and a bare tRPC procedure. Speed on a shared machine is
 * only meaningful relative to those baselines, so the report leads with ratios. Prints a table,
 * writes bench/results/api.json, and exits 0 whatever the numbers (see issue 11, "Benchmark").
 */
import { fork } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { connect, type Db } from '../api/db/connection';
import type { Database } from '../api/db/database';
import { createAgent, createToken } from '../api/modules/agents/agents.repository';
import { lookupCustomers, normalizeIdentities } from '../api/modules/customers/customers.repository';
import { listTimeline } from '../api/modules/timeline/timeline.repository';
import { pgRawLookup, sqliteRawLookup } from './baseline';
import { INTERACTIONS_PER_CUSTOMER, emailOf, nameFoldedOf, xHandleNormalizedOf, xHandleValueOf } from './dataset';
import type { ChildMessage, ServerConfig, ServerPorts } from './http-server';
import { createPgBenchDatabase, seedPostgres, seedSqlite, type PgBenchDatabase, type SeedReport } from './seed-bulk';
import { Samples, formatNumber, prng, renderTable, round, type LatencySummary } from './stats';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// ── configuration ────────────────────────────────────────────────────────────────────────────

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string' },
    db: { type: 'string' },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npm run bench:api -- [--customers N] [--db sqlite|postgres|both] [--duration S] [--quick]
  --customers N   customers to seed (default 100000; --quick: 10000); 1e6 and 1_000_000 work
  --db            sqlite, postgres or both (default: both when PostgreSQL at TEST_DATABASE_URL answers)
  --duration S    seconds per HTTP phase (default 10; --quick: 3)
  --quick         smoke run: 10k customers, 3 s phases`);
  process.exit(0);
}

const quick = args.quick;
const customers = Number((args.customers ?? (quick ? '10000' : '100000')).replaceAll('_', ''));
if (!Number.isInteger(customers) || customers < 100) throw new Error(`--customers must be an integer ≥ 100 (got ${args.customers})`);
const durationS = Number(args.duration ?? (quick ? 3 : 10));
if (!(durationS > 0)) throw new Error(`--duration must be a positive number of seconds (got ${args.duration})`);
const warmupS = quick ? 1 : 2;
const CONNECTIONS = 32;
const IN_PROCESS_ITERATIONS = 20_000;
const IN_PROCESS_WARMUP = 2_000;
const BATCH = 20;
const pgAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type DbKind = 'sqlite' | 'postgres';
const notes: string[] = [];

async function pgReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function chooseDatabases(): Promise<DbKind[]> {
  const wanted = args.db ?? null;
  if (wanted === 'sqlite') return ['sqlite'];
  if (wanted && wanted !== 'postgres' && wanted !== 'both') throw new Error(`--db must be sqlite, postgres or both (got ${wanted})`);
  const reachable = await pgReachable(pgAdminUrl);
  if (wanted) {
    if (!reachable) throw new Error(`--db ${wanted}: PostgreSQL at ${redact(pgAdminUrl)} does not answer (set TEST_DATABASE_URL)`);
    return wanted === 'both' ? ['sqlite', 'postgres'] : ['postgres'];
  }
  if (reachable) return ['sqlite', 'postgres'];
  notes.push(`PostgreSQL at ${redact(pgAdminUrl)} did not answer: SQLite only (set TEST_DATABASE_URL or start PostgreSQL to include it).`);
  return ['sqlite'];
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

// ── result shapes (bench/results/api.json) ───────────────────────────────────────────────────

interface InProcessMeasurement {
  db: DbKind;
  name: string;
  label: string;
  baseline: boolean;
  iterations: number;
  unit: 'µs';
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** CPU this process spent per call, in µs (on PostgreSQL the server's share is not in it). Unlike
   * wall-clock percentiles it does not grow when a busy neighbour preempts the benchmark. */
  cpuUsPerCall: number;
  /** Calls whose answer was not the expected customer / page (must be 0). */
  wrongAnswers: number;
}

interface HttpMeasurement {
  db: DbKind;
  name: string;
  label: string;
  baseline: boolean;
  connections: number;
  durationS: number;
  responses: number;
  reqPerSec: number;
  lookupsPerRequest: number;
  lookupsPerSec: number;
  latencyUnit: 'ms';
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU the server process spent per request, in µs: steadier than req/s on a shared machine. */
  serverCpuUsPerRequest: number;
}

interface Ratio {
  db: DbKind;
  name: string;
  description: string;
  value: number;
  unit: string;
  /** For goals: the bound and whether it was met. */
  goal?: { op: '≥' | '≤' | '<'; bound: number; unit: string; met: boolean; scaleNote?: string };
}

interface DbReport {
  kind: DbKind;
  seed: SeedReport & { sizeMb: number };
  inProcess: InProcessMeasurement[];
  http: HttpMeasurement[];
  queryPlans: Record<string, string>;
}

// ── cleanup on every exit path ───────────────────────────────────────────────────────────────

const cleanups: (() => Promise<void> | void)[] = [];
async function runCleanups() {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void runCleanups().then(() => process.exit(130));
  });
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

const log = (line: string) => console.log(line);
const rnd = prng(0x5eed);
const randomCustomer = () => 1 + Math.floor(rnd() * customers);
/** A random customer that has an X handle (ids divisible by 3). */
const randomXCustomer = () => 3 * (1 + Math.floor(rnd() * Math.floor(customers / 3)));

async function measureInProcess(
  db: DbKind,
  name: string,
  label: string,
  baseline: boolean,
  call: () => { run: () => unknown; check: (answer: unknown) => boolean },
  iterations = IN_PROCESS_ITERATIONS,
): Promise<InProcessMeasurement> {
  for (let i = 0; i < Math.min(IN_PROCESS_WARMUP, iterations); i++) await call().run();
  const samples = new Samples();
  let wrong = 0;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const { run, check } = call();
    const start = process.hrtime.bigint();
    let answer = run();
    if (answer instanceof Promise) answer = await answer;
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
    if (!check(answer)) wrong++;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const s = samples.summarize();
  const cpuUsPerCall = round((cpu.user + cpu.system) / iterations);
  const m: InProcessMeasurement = { db, name, label, baseline, iterations, unit: 'µs', ...roundSummary(s), cpuUsPerCall, wrongAnswers: wrong };
  log(`  ${label.padEnd(46)} p50 ${formatNumber(m.p50)} µs  p99 ${formatNumber(m.p99)} µs${wrong ? `  (${wrong} WRONG answers)` : ''}`);
  return m;
}

function roundSummary(s: LatencySummary) {
  return { p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), mean: round(s.mean), max: round(s.max) };
}

/** Records the SQL a repository call sends, through a Kysely instance with a query log. */
async function captureQueries(kind: DbKind, handle: Db, url: string | null, call: (db: Kysely<Database>) => Promise<unknown>): Promise<CompiledQuery[]> {
  const queries: CompiledQuery[] = [];
  const logQuery = (event: { level: string; query: CompiledQuery }) => {
    if (event.level === 'query') queries.push(event.query);
  };
  if (kind === 'sqlite') {
    // Shares the handle; never destroyed (that would close the handle the bench still uses).
    await call(new Kysely<Database>({ dialect: new SqliteDialect({ database: handle.sqlite! }), log: logQuery }));
  } else {
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url!, max: 1 }) }), log: logQuery });
    await call(db);
    await db.destroy();
  }
  return queries;
}

async function explain(kind: DbKind, handle: Db, client: pg.Client | null, query: CompiledQuery): Promise<string> {
  if (kind === 'sqlite') {
    const rows = handle.sqlite!.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[];
    return rows.map((r) => r.detail).join('; ');
  }
  const { rows } = await client!.query<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, query.parameters as unknown[]);
  return rows.map((r) => r['QUERY PLAN'].trim()).join('; ');
}

// ── HTTP phases ──────────────────────────────────────────────────────────────────────────────

interface Phase {
  name: string;
  label: string;
  baseline: boolean;
  server: keyof ServerPorts;
  auth: boolean;
  lookupsPerRequest: number;
  /** A request path and strings its 200 answer must contain. */
  next: () => { path: string; expect: string[] };
}

const q = (input: unknown) => encodeURIComponent(JSON.stringify(input));
const emailLookup = (id: number) => ({ identities: [{ kind: 'email', value: emailOf(id) }] });
const xLookup = (id: number) => ({ identities: [{ kind: 'x', value: xHandleValueOf(id) }] });

function lookupPhase(name: string, label: string, baseline: boolean, server: keyof ServerPorts, auth: boolean): Phase {
  return {
    name,
    label,
    baseline,
    server,
    auth,
    lookupsPerRequest: 1,
    next: () => {
      const id = randomCustomer();
      return { path: `/trpc/customers.lookup?input=${q(emailLookup(id))}`, expect: [`"${emailOf(id)}"`] };
    },
  };
}

/** Twenty separate customers.lookup calls in one tRPC batch request: the X authors of a timeline. */
function batchPhase(name: string, label: string, baseline: boolean, server: keyof ServerPorts, auth: boolean): Phase {
  const procedures = Array.from({ length: BATCH }, () => 'customers.lookup').join(',');
  return {
    name,
    label,
    baseline,
    server,
    auth,
    lookupsPerRequest: BATCH,
    next: () => {
      const ids = Array.from({ length: BATCH }, randomXCustomer);
      const input = Object.fromEntries(ids.map((id, i) => [String(i), xLookup(id)]));
      return { path: `/trpc/${procedures}?batch=1&input=${q(input)}`, expect: ids.map((id) => `"${xHandleNormalizedOf(id)}"`) };
    },
  };
}

const phases: Phase[] = [
  lookupPhase('bare-hono-lookup', 'BASELINE bare Hono route, raw statement', true, 'bareHono', false),
  lookupPhase('bare-trpc-lookup', 'BASELINE bare tRPC procedure, no auth', true, 'bareTrpc', false),
  batchPhase('bare-trpc-batch20', `BASELINE bare tRPC, ${BATCH} lookups batched`, true, 'bareTrpc', false),
  lookupPhase('lookup', 'customers.lookup (Bearer auth)', false, 'api', true),
  {
    name: 'lookupMany20',
    label: `customers.lookupMany, ${BATCH} authors`,
    baseline: false,
    server: 'api',
    auth: true,
    lookupsPerRequest: BATCH,
    next: () => {
      const ids = Array.from({ length: BATCH }, randomXCustomer);
      return {
        path: `/trpc/customers.lookupMany?input=${q({ lookups: ids.map(xLookup) })}`,
        expect: ids.map((id) => `"${xHandleNormalizedOf(id)}"`),
      };
    },
  },
  batchPhase('lookup-batch20', `customers.lookup ×${BATCH} in one tRPC batch`, false, 'api', true),
  {
    name: 'timeline',
    label: 'timeline.list (limit 30)',
    baseline: false,
    server: 'api',
    auth: true,
    lookupsPerRequest: 1,
    next: () => {
      const id = randomCustomer();
      return { path: `/trpc/timeline.list?input=${q({ customerId: id, limit: 30 })}`, expect: [`"customerId":${id}`] };
    },
  },
];

function startServer(config: ServerConfig): Promise<{ ports: ServerPorts; usage: () => Promise<number>; stop: () => Promise<void> }> {
  const child = fork(join(here, 'http-server.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, RAFIQ_BENCH_SERVER: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.send({ type: 'stop' });
    });
  cleanups.push(stop);
  const usage = () =>
    new Promise<number>((resolve) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== 'usage') return;
        child.off('message', onMessage);
        resolve(message.cpuMs);
      };
      child.on('message', onMessage);
      child.send({ type: 'usage' });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited early (code ${code})`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve({ ports: message.ports, usage, stop });
    });
  });
}

async function load(url: string, headers: Record<string, string>, phase: Phase, seconds: number) {
  const samples = new Samples();
  let non2xx = 0;
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: phase.next().path }) }],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    else non2xx++;
  });
  const result = await instance;
  return { result, samples, non2xx };
}

async function runHttp(kind: DbKind, config: ServerConfig, token: string): Promise<HttpMeasurement[]> {
  const { ports, usage, stop } = await startServer(config);
  const out: HttpMeasurement[] = [];
  try {
    for (const phase of phases) out.push(await runPhase(kind, phase, ports, usage, token));
  } finally {
    await stop();
    cleanups.splice(cleanups.indexOf(stop), 1);
  }
  return out;
}

async function runPhase(kind: DbKind, phase: Phase, ports: ServerPorts, usage: () => Promise<number>, token: string): Promise<HttpMeasurement> {
  const base = `http://127.0.0.1:${ports[phase.server]}`;
  const headers: Record<string, string> = phase.auth ? { authorization: `Bearer ${token}` } : {};
  // One request by hand first: a phase that answers errors would otherwise measure error pages.
  const probe = phase.next();
  const response = await fetch(base + probe.path, { headers });
  const body = await response.text();
  const missing = probe.expect.filter((s) => !body.includes(s));
  if (response.status !== 200 || missing.length) {
    throw new Error(`${kind} ${phase.name}: probe answered ${response.status} without ${missing.join(', ')}: ${body.slice(0, 300)}`);
  }
  await load(base, headers, phase, warmupS);
  await usage();
  const { result, samples, non2xx } = await load(base, headers, phase, durationS);
  const cpuMs = await usage();
  const s = samples.summarize();
  const reqPerSec = s.count / result.duration;
  const m: HttpMeasurement = {
    db: kind,
    name: phase.name,
    label: phase.label,
    baseline: phase.baseline,
    connections: CONNECTIONS,
    durationS: round(result.duration),
    responses: s.count,
    reqPerSec: Math.round(reqPerSec),
    lookupsPerRequest: phase.lookupsPerRequest,
    lookupsPerSec: Math.round(reqPerSec * phase.lookupsPerRequest),
    latencyUnit: 'ms',
    p50: round(s.p50),
    p95: round(s.p95),
    p99: round(s.p99),
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuUsPerRequest: round(s.count ? (cpuMs * 1000) / (s.count + non2xx) : Number.NaN),
  };
  log(
    `  ${phase.label.padEnd(46)} ${formatNumber(m.reqPerSec).padStart(7)} req/s` +
      (phase.lookupsPerRequest > 1 ? ` (${formatNumber(m.lookupsPerSec)} lookups/s)` : '') +
      `  p50 ${formatNumber(m.p50)} ms  p99 ${formatNumber(m.p99)} ms` +
      (non2xx || result.errors ? `  non-2xx ${non2xx}, errors ${result.errors}` : ''),
  );
  return m;
}

// ── one database, end to end ─────────────────────────────────────────────────────────────────

async function runDatabase(kind: DbKind): Promise<DbReport> {
  const t0 = Date.now();
  let sqliteFile: string | null = null;
  let pgDb: PgBenchDatabase | null = null;
  let seed: SeedReport;
  let sizeMb: number;
  log(`\n[${kind}] seeding ${customers.toLocaleString('en')} customers…`);
  if (kind === 'sqlite') {
    const file = join(os.tmpdir(), `rafiq-bench-${t0}.sqlite`);
    sqliteFile = file;
    cleanups.push(() => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
    });
    seed = await seedSqlite(file, customers, t0, log);
    sizeMb = statSync(file).size / 1e6;
  } else {
    const created = await createPgBenchDatabase(pgAdminUrl);
    pgDb = created;
    cleanups.push(() => created.drop());
    seed = await seedPostgres(created.url, customers, t0, log);
    sizeMb = 0;
  }
  log(`  seeded in ${(seed.totalMs / 1000).toFixed(1)} s`);

  const db = connect(kind === 'sqlite' ? { sqliteFile: sqliteFile! } : { databaseUrl: pgDb!.url });
  cleanups.push(() => db.close());
  const rawClient = kind === 'postgres' ? new pg.Client({ connectionString: pgDb!.url }) : null;
  if (rawClient) {
    await rawClient.connect();
    cleanups.push(() => rawClient.end());
    const { rows } = await rawClient.query<{ mb: number }>(`select pg_database_size(current_database()) / 1e6 as mb`);
    sizeMb = rows[0]!.mb;
  }
  const raw = kind === 'sqlite' ? sqliteRawLookup(db.sqlite!) : pgRawLookup(rawClient!);

  // The load generators trust bench/dataset.ts about who exists: check a sample first.
  for (let k = 0; k < 200; k++) {
    const id = k === 0 ? customers : randomCustomer();
    const rows = await raw.lookup('email', emailOf(id));
    const timeline = await raw.timeline(id, 100);
    if (rows[0]?.id !== id || rows[0].name_folded !== nameFoldedOf(id) || timeline.length !== INTERACTIONS_PER_CUSTOMER) {
      throw new Error(`[${kind}] seeded data does not match bench/dataset.ts for customer ${id}`);
    }
  }

  log(`[${kind}] in-process, ${IN_PROCESS_ITERATIONS.toLocaleString('en')} random customers each (µs)`);
  const inProcess: InProcessMeasurement[] = [];
  const lookupCheck = (id: number) => (answer: unknown) => (answer as { customer: { id: number } | null }[])[0]?.customer?.id === id;
  const rawCheck = (id: number) => (answer: unknown) => (answer as { id: number }[])[0]?.id === id;
  const pageCheck = (answer: unknown) => {
    const items = Array.isArray(answer) ? answer : (answer as { items: unknown[] }).items;
    return items.length === INTERACTIONS_PER_CUSTOMER;
  };
  const rawLabel = kind === 'sqlite' ? 'prepared better-sqlite3 statement' : 'pg named statement, 1 connection';
  inProcess.push(
    await measureInProcess(kind, 'raw-lookup', `BASELINE lookup, raw ${rawLabel}`, true, () => {
      const id = randomCustomer();
      return { run: () => raw.lookup('email', emailOf(id)), check: rawCheck(id) };
    }),
  );
  if ('lookupUnnamed' in raw) {
    const unnamed = raw.lookupUnnamed;
    inProcess.push(
      await measureInProcess(kind, 'raw-lookup-unnamed', 'BASELINE lookup, raw pg unnamed (planned per call)', true, () => {
        const id = randomCustomer();
        return { run: () => unnamed('email', emailOf(id)), check: rawCheck(id) };
      }),
    );
  }
  inProcess.push(
    await measureInProcess(kind, 'kysely-lookup', 'lookupCustomers (Kysely, the API path)', false, () => {
      const id = randomCustomer();
      return {
        run: () => lookupCustomers(db.db, [normalizeIdentities([{ kind: 'email', value: emailOf(id) }])]),
        check: lookupCheck(id),
      };
    }),
    await measureInProcess(
      kind,
      'kysely-lookup-many20',
      `lookupCustomers, ${BATCH} X handles in one call`,
      false,
      () => {
        const ids = Array.from({ length: BATCH }, randomXCustomer);
        return {
          run: () => lookupCustomers(db.db, ids.map((id) => normalizeIdentities([{ kind: 'x', value: xHandleValueOf(id) }]))),
          check: (answer) => (answer as { customer: { id: number } | null }[]).every((r, i) => r.customer?.id === ids[i]),
        };
      },
      IN_PROCESS_ITERATIONS / 10,
    ),
    await measureInProcess(kind, 'raw-timeline', `BASELINE timeline, raw ${rawLabel}`, true, () => {
      const id = randomCustomer();
      return { run: () => raw.timeline(id, 31), check: pageCheck };
    }),
    await measureInProcess(kind, 'kysely-timeline', 'listTimeline limit 30 (Kysely, the API path)', false, () => {
      const id = randomCustomer();
      return { run: () => listTimeline(db.db, { customerId: id, limit: 30 }), check: pageCheck };
    }),
  );

  const queryPlans: Record<string, string> = {};
  const sample = randomCustomer();
  const lookupSql = await captureQueries(kind, db, pgDb?.url ?? null, (k) =>
    lookupCustomers(k, [normalizeIdentities([{ kind: 'email', value: emailOf(sample) }])]),
  );
  const timelineSql = await captureQueries(kind, db, pgDb?.url ?? null, (k) => listTimeline(k, { customerId: sample, limit: 30 }));
  for (const [name, query] of [['lookupCustomers', lookupSql[0]], ['listTimeline', timelineSql[0]]] as const) {
    if (query) queryPlans[name] = `${query.sql}\n  PLAN: ${await explain(kind, db, rawClient, query)}`;
  }

  const agent = await createAgent(db.db, { name: 'Bench Agent', email: `bench-${t0}@rafiq.example`, role: 'agent' }, Date.now());
  const { token } = await createToken(db.db, agent.id, Date.now(), { label: 'bench' });

  log(`[${kind}] HTTP, ${CONNECTIONS} connections, ${durationS} s per phase after ${warmupS} s warm-up (server in a child process)`);
  const http = await runHttp(kind, kind === 'sqlite' ? { kind, sqliteFile: sqliteFile! } : { kind, databaseUrl: pgDb!.url }, token);

  await runCleanups();
  return { kind, seed: { ...seed, sizeMb: Math.round(sizeMb) }, inProcess, http, queryPlans };
}

// ── ratios, goals, report ────────────────────────────────────────────────────────────────────

function ratiosFor(report: DbReport): Ratio[] {
  const { kind } = report;
  const ip = (name: string) => report.inProcess.find((m) => m.name === name);
  const h = (name: string) => report.http.find((m) => m.name === name);
  const atScale = customers >= 1_000_000 ? undefined : `goal is stated at 1M customers; this run has ${customers.toLocaleString('en')}`;
  const out: Ratio[] = [];
  const ratio = (name: string, description: string, value: number | undefined, goal?: Ratio['goal']) => {
    if (value === undefined || !Number.isFinite(value)) return;
    const unit = goal?.unit ?? '×';
    out.push({ db: kind, name, description, value: round(value), unit, ...(goal && { goal }) });
  };
  const goal = (op: '≥' | '≤' | '<', bound: number, unit: string, value: number | undefined, scaleNote?: string): Ratio['goal'] =>
    value === undefined ? undefined : { op, bound, unit, met: op === '≥' ? value >= bound : op === '≤' ? value <= bound : value < bound, ...(scaleNote && { scaleNote }) };

  ratio('seed-seconds', `seed ${customers.toLocaleString('en')} customers (s)`, report.seed.totalMs / 1000, goal('<', 60, 's', report.seed.totalMs / 1000, atScale));
  const kyselyP99 = ip('kysely-lookup')?.p99;
  ratio('lookup-p99-us', 'in-process lookup p99 (µs)', kyselyP99, goal('≤', kind === 'sqlite' ? 150 : 1000, 'µs', kyselyP99, atScale));
  ratio('lookup-p99-vs-raw', 'in-process lookup p99 ÷ raw statement p99', div(kyselyP99, ip('raw-lookup')?.p99));
  ratio('lookup-p50-vs-raw-unnamed', 'in-process lookup p50 ÷ unnamed raw query p50 (planning included in both)', div(ip('kysely-lookup')?.p50, ip('raw-lookup-unnamed')?.p50));
  ratio('lookup-cpu-vs-raw', 'in-process lookup CPU per call ÷ raw statement CPU per call', div(ip('kysely-lookup')?.cpuUsPerCall, ip('raw-lookup')?.cpuUsPerCall));
  ratio('timeline-p99-vs-raw', 'in-process timeline p99 ÷ raw statement p99', div(ip('kysely-timeline')?.p99, ip('raw-timeline')?.p99));
  const lookupVsTrpc = div(h('lookup')?.reqPerSec, h('bare-trpc-lookup')?.reqPerSec);
  ratio('http-lookup-vs-bare-trpc', 'HTTP lookup req/s ÷ bare tRPC req/s', lookupVsTrpc, goal('≥', 0.8, '×', lookupVsTrpc));
  ratio(
    'http-lookup-vs-bare-trpc-cpu',
    'same, by server CPU per request (bare ÷ lookup; less sensitive to neighbours)',
    div(h('bare-trpc-lookup')?.serverCpuUsPerRequest, h('lookup')?.serverCpuUsPerRequest),
  );
  ratio('http-lookup-vs-bare-hono', 'HTTP lookup req/s ÷ bare Hono req/s', div(h('lookup')?.reqPerSec, h('bare-hono-lookup')?.reqPerSec));
  ratio('http-bare-trpc-vs-bare-hono', 'bare tRPC req/s ÷ bare Hono req/s (tRPC adapter cost)', div(h('bare-trpc-lookup')?.reqPerSec, h('bare-hono-lookup')?.reqPerSec));
  const many = h('lookupMany20')?.lookupsPerSec;
  ratio('http-lookupMany-lookups-per-s', `lookupMany, ${BATCH} authors per request: lookups/s`, many, goal('≥', 30_000, 'lookups/s', many));
  ratio('http-lookupMany-vs-bare-trpc', 'lookupMany lookups/s ÷ bare tRPC lookups/s', div(many, h('bare-trpc-lookup')?.lookupsPerSec));
  ratio('http-batch20-vs-bare-trpc-batch20', `lookup ×${BATCH} batch lookups/s ÷ bare tRPC batch lookups/s`, div(h('lookup-batch20')?.lookupsPerSec, h('bare-trpc-batch20')?.lookupsPerSec));
  ratio('http-lookupMany-vs-batch20', `lookupMany ÷ ${BATCH} batched lookup calls (lookups/s)`, div(many, h('lookup-batch20')?.lookupsPerSec));
  return out;
}

function div(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || !b ? undefined : a / b;
}

function printReport(reports: DbReport[], ratios: Ratio[]): string {
  const lines: string[] = [];
  const r0 = reports[0]!;
  lines.push(
    `Rafiq API benchmark — ${customers.toLocaleString('en')} customers, ${r0.seed.identities.toLocaleString('en')} identities, ` +
      `${r0.seed.interactions.toLocaleString('en')} interactions`,
    `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}` +
      `, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    ...notes.map((n) => `note: ${n}`),
    '',
  );
  lines.push(
    'SEED',
    renderTable([
      ['db', 'total', 'customers', 'identities', 'interactions', 'indexes', 'size'],
      ...reports.map((r) => [
        r.kind,
        `${(r.seed.totalMs / 1000).toFixed(1)} s`,
        `${((r.seed.steps.customers ?? 0) / 1000).toFixed(1)} s`,
        `${((r.seed.steps.identities ?? 0) / 1000).toFixed(1)} s`,
        `${((r.seed.steps.interactions ?? 0) / 1000).toFixed(1)} s`,
        `${((r.seed.steps.indexes ?? 0) / 1000).toFixed(1)} s`,
        `${formatNumber(r.seed.sizeMb)} MB`,
      ]),
    ]),
    '',
  );
  lines.push(
    `IN-PROCESS latency, µs (${IN_PROCESS_ITERATIONS.toLocaleString('en')} random customers each; ${BATCH}-handle lookups ${(IN_PROCESS_ITERATIONS / 10).toLocaleString('en')}). ` +
      'CPU/call: this process only (not the PostgreSQL server); steadier than wall time on a busy machine',
    renderTable([
      ['db', 'measurement', 'p50', 'p95', 'p99', 'mean', 'CPU/call'],
      ...reports.flatMap((r) =>
        r.inProcess.map((m) => [m.db, m.label, formatNumber(m.p50), formatNumber(m.p95), formatNumber(m.p99), formatNumber(m.mean), formatNumber(m.cpuUsPerCall)]),
      ),
    ]),
    '',
  );
  lines.push(
    `HTTP, autocannon ${CONNECTIONS} connections, ${durationS} s per phase, server in a child process`,
    renderTable([
      ['db', 'measurement', 'req/s', 'lookups/s', 'p50 ms', 'p99 ms', 'srv CPU µs/req', 'non-2xx'],
      ...reports.flatMap((r) =>
        r.http.map((m) => [
          m.db,
          m.label,
          formatNumber(m.reqPerSec),
          m.name === 'timeline' ? '–' : formatNumber(m.lookupsPerSec),
          formatNumber(m.p50),
          formatNumber(m.p99),
          formatNumber(m.serverCpuUsPerRequest),
          String(m.non2xx + m.errors),
        ]),
      ),
    ]),
    '',
  );
  lines.push(
    'RATIOS AND GOALS',
    renderTable([
      ['db', 'measure', 'value', 'goal', 'result'],
      ...ratios.map((r) => [
        r.db,
        r.description,
        formatNumber(r.value),
        r.goal ? `${r.goal.op} ${formatNumber(r.goal.bound)} ${r.goal.unit}` : '',
        r.goal ? (r.goal.met ? 'pass' : 'MISS') + (r.goal.scaleNote ? ' (not at 1M)' : '') : '',
      ]),
    ]),
  );
  const wrong = reports.flatMap((r) => r.inProcess.filter((m) => m.wrongAnswers > 0).map((m) => `${m.db} ${m.name}: ${m.wrongAnswers} wrong answers`));
  if (wrong.length) lines.push('', `WARNING: ${wrong.join('; ')}`);
  return lines.join('\n');
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────

const loadAtStart = os.loadavg();
const startedAt = new Date();
try {
  const kinds = await chooseDatabases();
  for (const note of notes) log(`note: ${note}`);
  log(
    `Rafiq API benchmark: ${customers.toLocaleString('en')} customers on ${kinds.join(' + ')}, ` +
      `HTTP phases ${durationS} s${quick ? ' (--quick)' : ''}`,
  );
  const reports: DbReport[] = [];
  for (const kind of kinds) reports.push(await runDatabase(kind));
  const ratios = reports.flatMap(ratiosFor);
  const table = printReport(reports, ratios);
  log(`\n${table}\n`);

  const out = join(here, 'results', 'api.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        benchmark: 'api',
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        config: {
          customers,
          databases: kinds,
          quick,
          httpDurationS: durationS,
          httpWarmupS: warmupS,
          connections: CONNECTIONS,
          inProcessIterations: IN_PROCESS_ITERATIONS,
          lookupsPerBatch: BATCH,
          interactionsPerCustomer: INTERACTIONS_PER_CUSTOMER,
          postgres: kinds.includes('postgres') ? redact(pgAdminUrl) : null,
        },
        environment: {
          node: process.version,
          platform: `${process.platform} ${os.release()} ${process.arch}`,
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model ?? null,
          totalMemoryMb: Math.round(os.totalmem() / 1e6),
          loadAverageAtStart: loadAtStart.map((l) => round(l)),
          loadAverageAtEnd: os.loadavg().map((l) => round(l)),
        },
        notes,
        seed: reports.map((r) => ({ db: r.kind, ...r.seed, unit: 'ms' })),
        inProcess: reports.flatMap((r) => r.inProcess),
        http: reports.flatMap((r) => r.http),
        ratios,
        goals: ratios
          .filter((r) => r.goal)
          .map((r) => ({ db: r.db, name: r.name, value: r.value, ...r.goal, result: r.goal!.met ? 'pass' : 'miss' })),
        queryPlans: Object.fromEntries(reports.map((r) => [r.kind, r.queryPlans])),
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${out}`);
} finally {
  await runCleanups();
}
