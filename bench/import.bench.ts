// Import benchmark (issues 18 and 20): a CSV of N new customers imported on SQLite and
// PostgreSQL, against a bare bulk load of the same rows into the same three tables in the same
// run (csv-parse → prepared inserts / unnest, no matching, no search index, no checks), then a
// re-import of a prefix (must be all "unchanged") and a dry run of a ~50 MB file of other new
// customers with RSS sampled every 50 ms (growth must stay bounded: the scratch store is on
// disk), against reading the same file through the parser alone.
//
//   npm run bench:import -- [--rows 1000000] [--db sqlite,postgres] [--dry-run-mb 50]
//
// Prints a table (also /tmp/bench-import.txt) and writes bench/results/import.json. Never fails
// on time: the goal (≤ 60 s at 1M rows) is reported, not asserted.
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import { connect, type Db, type DbKind } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { importCustomersCsv } from '../api/modules/customers/import';
import { DOMAINS, FIRST_NAMES, LAST_NAMES } from './dataset';
import { createPgBenchDatabase } from './seed-bulk';
import { formatNumber, renderTable, round } from './stats';

const GOAL_MS = 60_000;
const HEADER = 'name,email,x,order_number,order_status,order_total,order_currency,order_placed_at';

/** Customer i: a name in one of four scripts, an email, a handle for every third, one order (as bench/identity.bench.ts). */
function rowOf(i: number): string {
  const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length]!;
  const handle = i % 3 === 0 ? `@${first[1].slice(0, 6)}_${i.toString(36)}` : '';
  return `${first[0]} ${last[0]},${first[1]}.${last[1]}.${i}@${DOMAINS[i % DOMAINS.length]},${handle},ORD-${String(i).padStart(7, '0')},paid,${(i % 500) + 0.99},EUR,${1_760_000_000_000 + i * 1000}`;
}

async function writeCsv(file: string, from: number, count: number): Promise<number> {
  const out = createWriteStream(file);
  out.write(`${HEADER}\r\n`);
  let chunk = '';
  for (let i = from; i < from + count; i++) {
    chunk += `${rowOf(i)}\r\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return statSync(file).size;
}

const read = (file: string) => createReadStream(file, { highWaterMark: 1 << 18 });

async function open(kind: DbKind): Promise<{ db: Db; cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rafiq-import-bench-'));
    const db = connect({ sqliteFile: join(dir, 'bench.sqlite') });
    await migrateToLatest(db.db);
    return { db, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const bench = await createPgBenchDatabase(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const db = connect({ databaseUrl: bench.url, statementTimeoutMs: 120_000 });
  await migrateToLatest(db.db);
  return { db, cleanup: async () => (await db.close(), await bench.drop()) };
}

/** The baseline: the same rows into customers, identities and orders, 5000 a transaction, nothing else. */
async function bareLoad(db: Db, file: string): Promise<number> {
  let id = 0;
  let batch: string[][] = [];
  const now = Date.now();
  const flush = async () => {
    const rows = batch;
    batch = [];
    const first = id + 1;
    id += rows.length;
    const ids = rows.map((_, k) => first + k);
    const emails = rows.map((r) => r[1]!.toLowerCase());
    if (db.sqlite) {
      const s = db.sqlite;
      const c = s.prepare(`insert into customers (id, display_name, name_folded, tags, custom_fields, created_at, updated_at) values (?, ?, ?, '[]', '{}', ?, ?)`);
      const i = s.prepare(`insert into identities (customer_id, kind, value, normalized, linked_by, created_at) values (?, 'email', ?, ?, 'import', ?)`);
      const o = s.prepare(`insert into orders (customer_id, number, status, total_cents, currency, placed_at) values (?, ?, 'paid', ?, 'EUR', ?)`);
      s.transaction(() => {
        rows.forEach((r, k) => {
          c.run(ids[k], r[0], r[0]!.toLowerCase(), now, now);
          i.run(ids[k], r[1], emails[k], now);
          o.run(ids[k], r[3], Math.round(Number(r[5]) * 100), Number(r[7]));
        });
      })();
    } else {
      await db.db.transaction().execute(async (trx) => {
        await sql`insert into customers (id, display_name, name_folded, tags, custom_fields, created_at, updated_at)
          select id, n, lower(n), '[]', '{}', ${now}::bigint, ${now}::bigint from unnest(${ids}::int[], ${rows.map((r) => r[0])}::text[]) as u(id, n)`.execute(trx);
        await sql`insert into identities (customer_id, kind, value, normalized, linked_by, created_at)
          select id, 'email', v, n, 'import', ${now}::bigint from unnest(${ids}::int[], ${rows.map((r) => r[1])}::text[], ${emails}::text[]) as u(id, v, n)`.execute(trx);
        await sql`insert into orders (customer_id, number, status, total_cents, currency, placed_at)
          select id, n, 'paid', t, 'EUR', p from unnest(${ids}::int[], ${rows.map((r) => r[3])}::text[], ${rows.map((r) => Math.round(Number(r[5]) * 100))}::bigint[],
            ${rows.map((r) => Number(r[7]))}::bigint[]) as u(id, n, t, p)`.execute(trx);
      });
    }
  };
  const start = performance.now();
  let header = true;
  for await (const record of read(file).pipe(parse({ bom: true, relax_column_count: true })) as AsyncIterable<string[]>) {
    if (header) {
      header = false;
      continue;
    }
    batch.push(record);
    if (batch.length >= 5000) await flush();
  }
  if (batch.length) await flush();
  return performance.now() - start;
}

/** Peak and final RSS above the start while `work` runs, sampled every 50 ms. */
async function rssDuring(work: () => Promise<unknown>): Promise<{ ms: number; peakMb: number; endMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const start = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - start;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakMb: round((peak - before) / 1e6), endMb: round((process.memoryUsage().rss - before) / 1e6) };
}

export interface ImportBenchResult {
  db: DbKind;
  rows: number;
  csvBytes: number;
  importMs: number;
  rowsPerSecond: number;
  baselineMs: number;
  ratio: number;
  reimportRows: number;
  reimportMs: number;
  dryRun: { bytes: number; rows: number; ms: number; rssPeakMb: number; rssEndMb: number; parseOnlyRssPeakMb: number };
  goalMs: number;
  met: boolean;
}

async function runOne(kind: DbKind, rows: number, dryRunMb: number, dir: string, csv: string, csvBytes: number, log: (line: string) => void): Promise<ImportBenchResult> {
  log(`[${kind}] baseline: bare load of ${formatNumber(rows)} rows…`);
  const bare = await open(kind);
  let baselineMs: number;
  try {
    baselineMs = await bareLoad(bare.db, csv);
  } finally {
    await bare.cleanup();
  }
  log(`[${kind}] baseline ${(baselineMs / 1000).toFixed(1)} s; importing…`);
  const { db, cleanup } = await open(kind);
  try {
    const start = performance.now();
    const summary = await importCustomersCsv(db, read(csv), { dryRun: false, now: Date.now(), agentId: null });
    const importMs = performance.now() - start;
    if (summary.created !== rows) throw new Error(`import created ${summary.created} of ${rows}`);
    log(`[${kind}] imported in ${(importMs / 1000).toFixed(1)} s (${(importMs / baselineMs).toFixed(2)}× the bare load); re-importing a prefix…`);
    await sql`analyze`.execute(db.db);

    const reimportRows = Math.min(rows, 100_000);
    const prefix = join(dir, 'prefix.csv');
    await writeCsv(prefix, 1, reimportRows);
    const reStart = performance.now();
    const again = await importCustomersCsv(db, read(prefix), { dryRun: false, now: Date.now(), agentId: null });
    const reimportMs = performance.now() - reStart;
    if (again.unchanged !== reimportRows) throw new Error(`re-import changed rows: ${JSON.stringify(again)}`);

    // ~95 bytes a row: new customers (ids after the imported ones), so the dry run "creates" them all.
    const dryRows = Math.round((dryRunMb * 1e6) / 95);
    const dryFile = join(dir, 'dry-run.csv');
    const dryBytes = await writeCsv(dryFile, rows + 1, dryRows);
    log(`[${kind}] dry run of ${formatNumber(Math.round(dryBytes / 1e6))} MB (${formatNumber(dryRows)} rows)…`);
    const parseOnly = await rssDuring(async () => {
      for await (const _ of read(dryFile).pipe(parse({ bom: true, relax_column_count: true }))) void _;
    });
    let dry = { created: 0 };
    const dryRun = await rssDuring(async () => (dry = await importCustomersCsv(db, read(dryFile), { dryRun: true, now: Date.now(), agentId: null, onRow: () => undefined })));
    if (dry.created !== dryRows) throw new Error(`dry run would create ${dry.created} of ${dryRows}`);
    rmSync(dryFile, { force: true });
    return {
      db: kind,
      rows,
      csvBytes,
      importMs: round(importMs),
      rowsPerSecond: Math.round(rows / (importMs / 1000)),
      baselineMs: round(baselineMs),
      ratio: round(importMs / baselineMs),
      reimportRows,
      reimportMs: round(reimportMs),
      dryRun: { bytes: dryBytes, rows: dryRows, ms: round(dryRun.ms), rssPeakMb: dryRun.peakMb, rssEndMb: dryRun.endMb, parseOnlyRssPeakMb: parseOnly.peakMb },
      goalMs: GOAL_MS,
      met: importMs <= GOAL_MS,
    };
  } finally {
    await cleanup();
  }
}

export async function runImportBench(options: { rows: number; dbs: DbKind[]; dryRunMb: number; log?: (line: string) => void }) {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-import-csv-'));
  try {
    const csv = join(dir, 'customers.csv');
    const csvBytes = await writeCsv(csv, 1, options.rows);
    const results: ImportBenchResult[] = [];
    for (const kind of options.dbs) results.push(await runOne(kind, options.rows, options.dryRunMb, dir, csv, csvBytes, log));
    const table = renderTable([
      ['db', 'rows', 'import (s)', 'rows/s', 'bare load (s)', 'import ÷ bare', 're-import unchanged (s)', 'dry run MB / s', 'dry run RSS peak / end (MB)', 'parse-only RSS peak (MB)', 'goal ≤ 60 s'],
      ...results.map((r) => [
        r.db,
        formatNumber(r.rows),
        (r.importMs / 1000).toFixed(1),
        formatNumber(r.rowsPerSecond),
        (r.baselineMs / 1000).toFixed(1),
        `${r.ratio.toFixed(2)}×`,
        `${(r.reimportMs / 1000).toFixed(1)} (${formatNumber(r.reimportRows)})`,
        `${Math.round(r.dryRun.bytes / 1e6)} / ${(r.dryRun.ms / 1000).toFixed(1)}`,
        `+${r.dryRun.rssPeakMb} / +${r.dryRun.rssEndMb}`,
        `+${r.dryRun.parseOnlyRssPeakMb}`,
        r.met ? 'yes' : 'NO',
      ]),
    ]);
    return { results, table };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, db: { type: 'string', default: 'sqlite,postgres' }, 'dry-run-mb': { type: 'string', default: '50' } } });
  const { results, table } = await runImportBench({ rows: Number(values.rows), dbs: values.db.split(',') as DbKind[], dryRunMb: Number(values['dry-run-mb']) });
  console.log(table);
  const here = dirname(fileURLToPath(import.meta.url));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'import.json'), `${JSON.stringify({ at: new Date().toISOString(), cores: cpus().length, results }, null, 2)}\n`);
  writeFileSync('/tmp/bench-import.txt', `${table}\n`);
}
