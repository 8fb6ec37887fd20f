import SQLite from 'better-sqlite3';
import pg from 'pg';
import { connect } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { SLOT_MS } from '../api/db/migrations/2026_12_03_150000_create_zone_activity_rollups';
import {
  CHANNELS,
  DIRECTIONS,
  DOMAINS,
  EXCERPT,
  FIRST_FOLDED,
  FIRST_NAMES,
  LAST_FOLDED,
  LAST_NAMES,
  LOCALES,
  SUMMARIES,
  DAY_MS,
  assertDatasetMatchesNormalization,
  customerCreatedAt,
  displayNameOf,
  emailOf,
  hasXHandle,
  interactionPlan,
  nameFoldedOf,
  xHandleNormalizedOf,
  xHandleValueOf,
} from './dataset';

export interface SeedReport {
  customers: number;
  identities: number;
  interactions: number;
  /** Wall time of each step in ms, in order. */
  steps: Record<string, number>;
  totalMs: number;
}

/** Tables the bulk load writes; their plain secondary indexes are dropped and rebuilt around it. */
const BULK_TABLES = ['customers', 'identities', 'interactions'];

/**
 * Indexes whose keys arrive in ascending order during the load (interactions are inserted in time
 * order and have no ticket), so appending to them is cheaper than sorting ten million keys after.
 * Every other plain index is dropped and rebuilt. (SQLite only: PostgreSQL's sorted index builds
 * are fast enough that it rebuilds everything.)
 */
const KEPT_DURING_LOAD = new Set(['interactions_time', 'interactions_ticket']);

function timer() {
  const steps: Record<string, number> = {};
  const start = performance.now();
  let last = start;
  return {
    steps,
    lap(name: string) {
      const now = performance.now();
      steps[name] = Math.round(now - last);
      last = now;
    },
    total: () => Math.round(performance.now() - start),
  };
}

/**
 * SQLite: migrations through the real `migrateToLatest`, then raw prepared better-sqlite3
 * inserts in big transactions with the journal and fsync off (a benchmark file needs no crash
 * safety while loading). Plain secondary indexes whose keys would arrive in random order are
 * dropped before the load and recreated from their own `CREATE INDEX` text afterwards (a sorted
 * build is much faster than millions of random B-tree inserts); unique constraints stay in place
 * throughout. The file is left in WAL mode, as the API opens it.
 */
export async function seedSqlite(file: string, n: number, t0: number, log: (line: string) => void): Promise<SeedReport> {
  assertDatasetMatchesNormalization();
  const t = timer();
  const migrated = connect({ sqliteFile: file });
  await migrateToLatest(migrated.db);
  await migrated.close();
  t.lap('migrate');

  const raw = new SQLite(file);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('locking_mode = EXCLUSIVE');
  raw.pragma('foreign_keys = OFF');
  raw.pragma('temp_store = MEMORY');
  raw.pragma('cache_size = -1048576'); // 1 GiB
  const indexes = raw
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${BULK_TABLES.map(() => '?').join(',')})`,
    )
    .all(...BULK_TABLES) as { name: string; sql: string }[];
  const dropped = indexes.filter((index) => !KEPT_DURING_LOAD.has(index.name));
  for (const index of dropped) raw.exec(`drop index "${index.name}"`);

  // One transaction per 50k customers; rows go in as multi-row VALUES statements (a better-sqlite3
  // call per row costs more than SQLite's own insert work).
  const BATCH = 50_000;
  const inBatches = (count: number, body: (from: number, to: number) => void) => {
    const run = raw.transaction(body);
    for (let from = 1; from <= count; from += BATCH) run(from, Math.min(count, from + BATCH - 1));
  };

  const customers = bulkInserter(raw, 'customers', ['id', 'display_name', 'name_folded', 'company', 'locale', 'tags', 'custom_fields', 'created_at', 'updated_at']);
  inBatches(n, (from, to) => {
    for (let i = from; i <= to; i++) {
      const created = customerCreatedAt(i, t0);
      customers.add(i, displayNameOf(i), nameFoldedOf(i), i % 4 === 0 ? `Company ${i % 997}` : null, LOCALES[i % 4], '[]', '{}', created, created);
    }
    customers.flush();
  });
  t.lap('customers');
  log(`  customers ${n.toLocaleString('en')} in ${t.steps.customers} ms`);

  const identityRows = bulkInserter(raw, 'identities', ['id', 'customer_id', 'kind', 'value', 'normalized', 'linked_by', 'created_at']);
  let identities = 0;
  inBatches(n, (from, to) => {
    for (let i = from; i <= to; i++) {
      const email = emailOf(i);
      identityRows.add(i, i, 'email', email, email, 'seed', customerCreatedAt(i, t0));
    }
    identityRows.flush();
    identities += to - from + 1;
  });
  inBatches(n, (from, to) => {
    for (let i = from; i <= to; i++) {
      if (!hasXHandle(i)) continue;
      identityRows.add(n + i / 3, i, 'x', xHandleValueOf(i), xHandleNormalizedOf(i), 'seed', customerCreatedAt(i, t0));
      identities++;
    }
    identityRows.flush();
  });
  t.lap('identities');
  log(`  identities ${identities.toLocaleString('en')} in ${t.steps.identities} ms`);

  // Interactions come from SQL (a recursive CTE over the slots, the same formulas as on
  // PostgreSQL), 500k rows per transaction, so no JS work per row.
  const plan = interactionPlan(n, t0);
  const channelOfSlot = `(c + j) % ${CHANNELS.length}`;
  const insertInteractions = raw.prepare(
    `with recursive slot(k) as (select @from union all select k + 1 from slot where k < @to)
     insert into interactions (customer_id, channel, direction, occurred_at, summary, excerpt, created_at)
     select c, ${caseOf(channelOfSlot, CHANNELS)}, ${caseOf(channelOfSlot, DIRECTIONS)}, at,
            ${caseOf(channelOfSlot, SUMMARIES)}, case when j % 2 = 0 then @excerpt end, at
     from (select ((k % @n) * @p) % @n + 1 as c, k / @n as j, @start + k * @step as at from slot)`,
  );
  // The 15-minute activity slots (migration 2026_12_03_150000) are rebuilt in one pass after the
  // load instead of a trigger upsert per inbound row (random B-tree inserts: several minutes at
  // 10M); the triggers are recreated from their own text, as the indexes are.
  const slotTriggers = raw
    .prepare(`select name, sql from sqlite_master where type = 'trigger' and name like 'interactions_slots_%'`)
    .all() as { name: string; sql: string }[];
  for (const trigger of slotTriggers) raw.exec(`drop trigger "${trigger.name}"`);
  const CHUNK = 500_000;
  const loadChunk = raw.transaction((from: number, to: number) =>
    insertInteractions.run({ from, to, n, p: plan.p, start: plan.start, step: plan.step, excerpt: EXCERPT }),
  );
  for (let from = 0; from < plan.total; from += CHUNK) loadChunk(from, Math.min(plan.total, from + CHUNK) - 1);
  const interactions = plan.total;
  if (slotTriggers.length) {
    raw.exec(`delete from customer_activity_slots;
      insert into customer_activity_slots (customer_id, slot, interactions)
        select customer_id, slot, count(*) from (
          select customer_id, (occurred_at - ((occurred_at % ${SLOT_MS}) + ${SLOT_MS}) % ${SLOT_MS}) / ${SLOT_MS} as slot
          from interactions where direction = 'inbound'
        ) x group by customer_id, slot`);
    for (const trigger of slotTriggers) raw.exec(trigger.sql);
  }
  t.lap('interactions');
  log(`  interactions ${interactions.toLocaleString('en')} in ${t.steps.interactions} ms`);

  for (const index of dropped) raw.exec(index.sql);
  t.lap('indexes');
  log(`  rebuilt ${dropped.length} indexes in ${t.steps.indexes} ms`);
  raw.pragma('locking_mode = NORMAL');
  raw.pragma('journal_mode = WAL');
  raw.close();
  t.lap('close');
  return { customers: n, identities, interactions, steps: t.steps, totalMs: t.total() };
}

/** `case <expr> when 0 then 'a' when 1 then 'b' ... end` over constant strings. */
function caseOf(expr: string, values: readonly string[]): string {
  return `case ${expr} ${values.map((v, i) => `when ${i} then '${v.replaceAll("'", "''")}'`).join(' ')} end`;
}

/** Buffers rows and inserts them ROWS at a time with one prepared multi-row statement. */
function bulkInserter(raw: SQLite.Database, table: string, columns: readonly string[], rows = 200) {
  const placeholders = `(${columns.map(() => '?').join(',')})`;
  const prefix = `insert into ${table} (${columns.join(', ')}) values `;
  const full = raw.prepare(prefix + Array.from({ length: rows }, () => placeholders).join(','));
  const one = raw.prepare(prefix + placeholders);
  const width = columns.length;
  const params: unknown[] = new Array(rows * width);
  let filled = 0;
  return {
    add(...values: unknown[]) {
      for (let k = 0; k < width; k++) params[filled * width + k] = values[k];
      if (++filled === rows) {
        full.run(params);
        filled = 0;
      }
    },
    /** Writes what is buffered (call inside the transaction that added it). */
    flush() {
      for (let r = 0; r < filled; r++) one.run(params.slice(r * width, (r + 1) * width));
      filled = 0;
    },
  };
}

export interface PgBenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database `rafiq_bench_<ts>` next to the one `adminUrl` names; `drop()` removes it. */
export async function createPgBenchDatabase(adminUrl: string): Promise<PgBenchDatabase> {
  const name = `rafiq_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * PostgreSQL: migrations through `migrateToLatest`, then one `INSERT ... SELECT FROM
 * generate_series` per table (no per-row round trips). The same formulas as bench/dataset.ts,
 * spelled in SQL. FK triggers are skipped for this session (`session_replication_role =
 * replica`; ids are consistent by construction), secondary indexes and the keys of unreferenced
 * tables are dropped and rebuilt after the load (sorted builds with parallel workers), interactions are loaded by two connections in parallel (one per core), and
 * the tables are ANALYZEd at the end, as autovacuum would do shortly after a bulk load.
 */
export async function seedPostgres(url: string, n: number, t0: number, log: (line: string) => void): Promise<SeedReport> {
  assertDatasetMatchesNormalization();
  const t = timer();
  const migrated = connect({ databaseUrl: url });
  await migrateToLatest(migrated.db);
  await migrated.close();
  t.lap('migrate');

  const open = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`set session_replication_role = replica`);
    await client.query(`set maintenance_work_mem = '512MB'`);
    await client.query(`set synchronous_commit = off`);
    return client;
  };
  const client = await open();
  try {
    const { rows: indexes } = await client.query<{ tablename: string; indexname: string; indexdef: string }>(
      `select i.tablename, i.indexname, i.indexdef from pg_indexes i
       where i.schemaname = current_schema() and i.tablename = any($1)
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [BULK_TABLES],
    );
    for (const index of indexes) await client.query(`drop index "${index.indexname}"`);
    // Primary keys and unique constraints of the tables nothing references are dropped too and
    // added back after the load with their own definitions, as pg_restore does.
    const { rows: constraints } = await client.query<{ table: string; name: string; def: string }>(
      `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def
       from pg_constraint c
       where c.conrelid = any($1::regclass[]) and c.contype in ('p', 'u')
         and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = c.conrelid)`,
      [BULK_TABLES],
    );
    for (const c of constraints) await client.query(`alter table "${c.table}" drop constraint "${c.name}"`);

    const first = FIRST_NAMES.map(([name]) => name);
    const firstAscii = FIRST_NAMES.map(([, ascii]) => ascii);
    const last = LAST_NAMES.map(([name]) => name);
    const lastAscii = LAST_NAMES.map(([, ascii]) => ascii);
    const F = first.length;
    const L = last.length;

    await client.query(
      `insert into customers (id, display_name, name_folded, company, locale, tags, custom_fields, created_at, updated_at)
       select i, ($1::text[])[1 + i % ${F}] || ' ' || ($2::text[])[1 + (i * 7) % ${L}],
              ($3::text[])[1 + i % ${F}] || ' ' || ($4::text[])[1 + (i * 7) % ${L}],
              case when i % 4 = 0 then 'Company ' || (i % 997) end,
              ($5::text[])[1 + i % 4], '[]', '{}',
              $6::bigint + i % $7::bigint, $6::bigint + i % $7::bigint
       from generate_series(1, $8::bigint) as i`,
      [first, last, FIRST_FOLDED, LAST_FOLDED, [...LOCALES], t0 - 365 * DAY_MS, 300 * DAY_MS, n],
    );
    t.lap('customers');
    log(`  customers ${n.toLocaleString('en')} in ${t.steps.customers} ms`);

    const emailSql = `($1::text[])[1 + i % ${F}] || '.' || ($2::text[])[1 + (i * 7) % ${L}] || i || '@' || ($3::text[])[1 + i % ${DOMAINS.length}]`;
    await client.query(
      `insert into identities (id, customer_id, kind, value, normalized, linked_by, linked_by_agent_id, created_at)
       select i, i, 'email', e, e, 'seed', null, $4::bigint + i % $5::bigint
       from generate_series(1, $6::bigint) as i, lateral (select ${emailSql} as e) as m`,
      [firstAscii, lastAscii, [...DOMAINS], t0 - 365 * DAY_MS, 300 * DAY_MS, n],
    );
    // X handle: '@' + capitalised first 6 letters of the ASCII first name + '_' + base-36 id
    // (six base-36 digits with leading zeros trimmed; ids stay below 36^6).
    const digit = (k: number) => `substr('0123456789abcdefghijklmnopqrstuvwxyz', ((i / ${36 ** k}) % 36)::int + 1, 1)`;
    const base36 = `ltrim(${[5, 4, 3, 2, 1, 0].map(digit).join(' || ')}, '0')`;
    await client.query(
      `insert into identities (id, customer_id, kind, value, normalized, linked_by, linked_by_agent_id, created_at)
       select $3::bigint + i / 3, i, 'x', '@' || upper(left(h, 1)) || substr(h, 2), lower(h), 'seed', null, $4::bigint + i % $5::bigint
       from generate_series(3, $6::bigint, 3) as i,
            lateral (select left(($1::text[])[1 + i % $2::int], 6) || '_' || ${base36} as h) as m`,
      [firstAscii, F, n, t0 - 365 * DAY_MS, 300 * DAY_MS, n],
    );
    t.lap('identities');
    const { rows: identityCount } = await client.query<{ count: number }>(`select count(*)::int as count from identities`);
    log(`  identities ${identityCount[0]!.count.toLocaleString('en')} in ${t.steps.identities} ms`);

    // Two connections, each loading half of the slots.
    const plan = interactionPlan(n, t0);
    const loadInteractions = async (from: number, to: number) => {
      const worker = await open();
      try {
        await worker.query(
          `insert into interactions (customer_id, channel, direction, occurred_at, summary, excerpt, url, external_id, agent_id, ticket_id, created_at)
           select c, ($1::text[])[1 + (c + j) % ${CHANNELS.length}], ($2::text[])[1 + (c + j) % ${CHANNELS.length}], at,
                  ($3::text[])[1 + (c + j) % ${CHANNELS.length}], case when j % 2 = 0 then $4 end, null, null, null, null, at
           from generate_series($5::bigint, $6::bigint) as k,
                lateral (select ((k % $7::bigint) * $8::bigint) % $7::bigint + 1 as c, k / $7::bigint as j,
                                $9::bigint + k * $10::bigint as at) as s
           order by k`,
          [[...CHANNELS], [...DIRECTIONS], [...SUMMARIES], EXCERPT, from, to, n, plan.p, plan.start, plan.step],
        );
      } finally {
        await worker.end();
      }
    };
    const mid = Math.floor(plan.total / 2);
    await Promise.all([loadInteractions(0, mid - 1), loadInteractions(mid, plan.total - 1)]);
    t.lap('interactions');
    const { rows: interactionCount } = await client.query<{ count: number }>(`select count(*)::int as count from interactions`);
    log(`  interactions ${interactionCount[0]!.count.toLocaleString('en')} in ${t.steps.interactions} ms`);

    // Two connections take the builds from one queue (the ten-million-row table first).
    const builds = [
      ...constraints.map((c) => ({ table: c.table, sql: `alter table "${c.table}" add constraint "${c.name}" ${c.def}` })),
      ...indexes.map((index) => ({ table: index.tablename, sql: index.indexdef })),
    ].sort((a, b) => Number(b.table === 'interactions') - Number(a.table === 'interactions'));
    const builder = async () => {
      const worker = await open();
      try {
        for (let next = builds.shift(); next; next = builds.shift()) await worker.query(next.sql);
      } finally {
        await worker.end();
      }
    };
    await Promise.all([builder(), builder()]);
    t.lap('indexes');
    log(`  rebuilt ${constraints.length} constraints and ${indexes.length} indexes in ${t.steps.indexes} ms`);

    await client.query(`select setval(pg_get_serial_sequence('customers', 'id'), (select max(id) from customers))`);
    await client.query(`select setval(pg_get_serial_sequence('identities', 'id'), (select max(id) from identities))`);
    await client.query(`analyze customers, identities, interactions`);
    t.lap('analyze');
    return {
      customers: n,
      identities: identityCount[0]!.count,
      interactions: interactionCount[0]!.count,
      steps: t.steps,
      totalMs: t.total(),
    };
  } finally {
    await client.end();
  }
}

/** Spot-checks that what was seeded is what the dataset functions say (the load generators rely on it). */
export function expectedIdentityOf(i: number): { email: string; x: string | null } {
  return { email: emailOf(i), x: hasXHandle(i) ? xHandleNormalizedOf(i) : null };
}
