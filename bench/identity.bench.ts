// Identity benchmark (issue 7): import of an N-row CSV, then search p99 and suggestion-lookup p99
// at N customers, on SQLite and PostgreSQL, with a raw indexed point lookup as the baseline of the
// same run (speed on a shared 2-core machine only means something as a ratio).
//
//   npm run bench:identity -- [--customers 1000000] [--queries 2000] [--db sqlite,postgres]
//
// Prints a table (also saved to /tmp/bench-identity.txt) and writes bench/results/identity.json.
// Never fails on time: goals are reported, not asserted.
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { connect, type Db, type DbKind } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { findCustomersByIds, lookupCustomers, normalizeIdentities, searchCustomers } from '../api/modules/customers/customers.repository';
import { importCustomersCsv } from '../api/modules/customers/import';
import { scoreSuggestions } from '../api/modules/customers/matching';
import { createPgBenchDatabase } from './seed-bulk';
import { FIRST_NAMES, LAST_NAMES, DOMAINS } from './dataset';
import { formatNumber, prng, renderTable, round, Samples, type LatencySummary } from './stats';

export interface IdentityBenchResult {
  db: DbKind;
  customers: number;
  importMs: number;
  importRowsPerSecond: number;
  csvBytes: number;
  reimportMs: number;
  search: LatencySummary;
  suggestions: LatencySummary;
  baseline: LatencySummary;
  goals: { searchP99Ms: number; suggestionP99Ms: number; importMs: number };
  met: { search: boolean; suggestions: boolean; import: boolean };
}

const GOALS = { searchP99Ms: 20, suggestionP99Ms: 10, importMs: 60_000 };

const F = FIRST_NAMES.length;
const L = LAST_NAMES.length;
/** Customer i of the CSV (1-based): a name in one of four scripts, an email, a handle for every third, one order. */
const firstOf = (i: number) => FIRST_NAMES[i % F]!;
const lastOf = (i: number) => LAST_NAMES[(i * 7 + Math.floor(i / F)) % L]!;
const nameOf = (i: number) => `${firstOf(i)[0]} ${lastOf(i)[0]}`;
const emailOf = (i: number) => `${firstOf(i)[1]}.${lastOf(i)[1]}.${i}@${DOMAINS[i % DOMAINS.length]}`;
const handleOf = (i: number) => (i % 3 === 0 ? `@${firstOf(i)[1].slice(0, 6)}_${i.toString(36)}` : '');
const orderOf = (i: number) => `ORD-${String(i).padStart(7, '0')}`;

/** Writes the CSV with backpressure (never more than a buffer in memory). */
export async function writeBenchCsv(file: string, n: number): Promise<number> {
  const out = createWriteStream(file);
  out.write('name,email,x,order_number,order_status,order_total,order_currency,order_placed_at\r\n');
  let chunk = '';
  for (let i = 1; i <= n; i++) {
    chunk += `${nameOf(i)},${emailOf(i)},${handleOf(i)},${orderOf(i)},paid,${(i % 500) + 0.99},EUR,${1_760_000_000_000 + i * 1000}\r\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return statSync(file).size;
}

async function time<T>(samples: Samples, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await fn();
  samples.push(performance.now() - start);
  return result;
}

/** What an agent types: name prefixes in every script, full names, emails, handles, order numbers. */
function searchQuery(random: () => number, n: number): string {
  const i = 1 + Math.floor(random() * n);
  switch (Math.floor(random() * 6)) {
    case 0:
      return [...firstOf(i)[0]].slice(0, 3).join('');
    case 1:
      return `${firstOf(i)[0]} ${[...lastOf(i)[0]].slice(0, 3).join('')}`;
    case 2:
      return emailOf(i).slice(0, emailOf(i).indexOf('@') + 4);
    case 3:
      return orderOf(i);
    case 4:
      return orderOf(i).slice(0, 8);
    default:
      return `${lastOf(i)[0]} ${firstOf(i)[0]}`;
  }
}

/** An unknown person who resembles customer i: another word order, an initial, or just the name. */
function suggestionProbe(random: () => number, n: number, k: number) {
  const i = 1 + Math.floor(random() * n);
  const [first, last] = [firstOf(i)[0], lastOf(i)[0]];
  const names = [`${last} ${first}`, `${first} ${[...last][0]}.`, `${first} ${last}`];
  return { identities: normalizeIdentities([{ kind: 'x', value: `@nobody_${k.toString(36)}` }]), name: names[k % names.length]! };
}

async function runOne(kind: DbKind, n: number, queries: number, csv: string, csvBytes: number, log: (line: string) => void): Promise<IdentityBenchResult> {
  let db: Db;
  let cleanup: () => Promise<void>;
  let baselineQuery: (normalized: string) => Promise<unknown>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rafiq-identity-bench-'));
    db = connect({ sqliteFile: join(dir, 'bench.sqlite') });
    let statement: SQLite.Statement<[string, string]> | null = null;
    baselineQuery = async (normalized) => {
      statement ??= db.sqlite!.prepare<[string, string]>('select customer_id from identities where kind = ? and normalized = ?');
      return statement.get('email', normalized);
    };
    cleanup = async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const bench = await createPgBenchDatabase(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    db = connect({ databaseUrl: bench.url, statementTimeoutMs: 120_000 });
    const client = new pg.Client({ connectionString: bench.url });
    await client.connect();
    baselineQuery = (normalized) => client.query({ name: 'baseline', text: 'select customer_id from identities where kind = $1 and normalized = $2', values: ['email', normalized] });
    cleanup = async () => {
      await client.end();
      await db.close();
      await bench.drop();
    };
  }
  try {
    await migrateToLatest(db.db);
    log(`[${kind}] importing ${formatNumber(n)} rows (${formatNumber(Math.round(csvBytes / 1e6))} MB)…`);
    const importStart = performance.now();
    const summary = await importCustomersCsv(db, createReadStream(csv, { highWaterMark: 1 << 18 }), { dryRun: false, now: Date.now(), agentId: null, batchSize: 5000 });
    const importMs = performance.now() - importStart;
    if (summary.created !== n) throw new Error(`import created ${summary.created} of ${n}`);
    log(`[${kind}] imported in ${(importMs / 1000).toFixed(1)} s; re-importing the first 100k rows (must be unchanged)…`);
    // Planner statistics, as autovacuum would gather shortly after a bulk load.
    await sql`analyze`.execute(db.db);

    // Re-import a prefix: every row resolves to unchanged (idempotency at scale, and its cost).
    const prefixRows = Math.min(n, 100_000);
    const prefixFile = `${csv}.prefix`;
    await writeBenchCsv(prefixFile, prefixRows);
    const reStart = performance.now();
    const again = await importCustomersCsv(db, createReadStream(prefixFile), { dryRun: false, now: Date.now(), agentId: null, batchSize: 2000 });
    const reimportMs = performance.now() - reStart;
    rmSync(prefixFile, { force: true });
    if (again.unchanged !== prefixRows) throw new Error(`re-import changed rows: ${JSON.stringify(again)}`);

    const random = prng(7);
    const search = new Samples();
    const suggestions = new Samples();
    const baseline = new Samples();
    const warm = Math.min(200, queries);
    for (let k = 0; k < queries + warm; k++) {
      const query = searchQuery(random, n);
      const probe = suggestionProbe(random, n, k);
      const normalized = emailOf(1 + Math.floor(random() * n));
      const measure = k >= warm;
      const s = measure ? search : new Samples();
      const g = measure ? suggestions : new Samples();
      const b = measure ? baseline : new Samples();
      await time(b, () => baselineQuery(normalized));
      await time(s, () => searchCustomers(db.db, query, 20, null));
      // What customers.lookup does for an unknown person: the exact lookup, then suggestions.
      await time(g, async () => {
        await lookupCustomers(db.db, [probe.identities]);
        const scored = await scoreSuggestions(db.db, probe);
        return findCustomersByIds(db.db, scored.map((x) => x.customerId));
      });
    }
    const result: IdentityBenchResult = {
      db: kind,
      customers: n,
      importMs: round(importMs),
      importRowsPerSecond: Math.round(n / (importMs / 1000)),
      csvBytes,
      reimportMs: round(reimportMs),
      search: search.summarize(),
      suggestions: suggestions.summarize(),
      baseline: baseline.summarize(),
      goals: GOALS,
      met: { search: false, suggestions: false, import: importMs < GOALS.importMs },
    };
    result.met.search = result.search.p99 < GOALS.searchP99Ms;
    result.met.suggestions = result.suggestions.p99 < GOALS.suggestionP99Ms;
    return result;
  } finally {
    await cleanup();
  }
}

export async function runIdentityBench(options: { customers: number; queries: number; dbs: DbKind[]; log?: (line: string) => void }): Promise<{ results: IdentityBenchResult[]; table: string }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-identity-csv-'));
  const csv = join(dir, 'customers.csv');
  try {
    const csvBytes = await writeBenchCsv(csv, options.customers);
    const results: IdentityBenchResult[] = [];
    for (const kind of options.dbs) results.push(await runOne(kind, options.customers, options.queries, csv, csvBytes, log));
    const ms = (v: number) => v.toFixed(v < 1 ? 3 : 2);
    const rows = [
      ['db', 'customers', 'import (s)', 'rows/s', 're-import 100k (s)', 'search p50/p95/p99 (ms)', 'suggest p50/p95/p99 (ms)', 'baseline p50/p99 (ms)', 'goals met'],
      ...results.map((r) => [
        r.db,
        formatNumber(r.customers),
        (r.importMs / 1000).toFixed(1),
        formatNumber(r.importRowsPerSecond),
        (r.reimportMs / 1000).toFixed(1),
        `${ms(r.search.p50)} / ${ms(r.search.p95)} / ${ms(r.search.p99)}`,
        `${ms(r.suggestions.p50)} / ${ms(r.suggestions.p95)} / ${ms(r.suggestions.p99)}`,
        `${ms(r.baseline.p50)} / ${ms(r.baseline.p99)}`,
        `search ${r.met.search ? 'yes' : 'NO'}, suggest ${r.met.suggestions ? 'yes' : 'NO'}, import ${r.met.import ? 'yes' : 'NO'}`,
      ]),
    ];
    const table = `${renderTable(rows)}\nGoals: search p99 < ${GOALS.searchP99Ms} ms, suggestion p99 < ${GOALS.suggestionP99Ms} ms, import < ${GOALS.importMs / 1000} s. Baseline: raw prepared point lookup of an email identity (better-sqlite3 / pg) in the same run.`;
    return { results, table };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { customers: { type: 'string', default: '1000000' }, queries: { type: 'string', default: '2000' }, db: { type: 'string', default: 'sqlite,postgres' } },
  });
  const customers = Number(values.customers);
  const { results, table } = await runIdentityBench({ customers, queries: Number(values.queries), dbs: values.db.split(',') as DbKind[] });
  console.log(table);
  const here = dirname(fileURLToPath(import.meta.url));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'identity.json'), `${JSON.stringify({ at: new Date().toISOString(), cores: (await import('node:os')).cpus().length, results }, null, 2)}\n`);
  writeFileSync('/tmp/bench-identity.txt', `${table}\n`);
}
