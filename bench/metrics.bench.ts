/**
 * `metrics.summary` over the last 90 days at N customers / ~10·N interactions, on SQLite and
 * PostgreSQL, with a baseline on the same data: a bare `SELECT count(*)` of the interactions in the
 * same 90 days (the least any metric over the timeline must pay).
 *
 *   tsx bench/metrics.bench.ts --customers 1000000 --interactions 10000000 [--iterations 20] [--db sqlite,postgres]
 *
 * Customers, identities and interactions come from bench/seed-bulk.ts (the shared dataset: ~10
 * interactions per customer over 90 days). On top, in bulk SQL: 10 agents, N/10 tickets over the
 * 90 days (half resolved, one in ten of those reopened and resolved again), an agent reply on 4 in 5
 * tickets, the review behind each review ticket, survey answers on a third of resolved tickets and
 * N/2 orders. Prints a table, writes bench/results/metrics.json; never fails on time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { connect, type Db, type DbKind } from '../api/db/connection';
import { metricsSummary } from '../api/modules/metrics/metrics.service';
import { planBuckets } from '../api/modules/metrics/buckets';
import * as repo from '../api/modules/metrics/metrics.repository';
import { createPgBenchDatabase, seedPostgres, seedSqlite } from './seed-bulk';
import { rebuildActivityRollups } from '../api/db/migrations/2026_11_24_100000_create_metrics_rollups';
import { rebuildActivitySlots } from '../api/db/migrations/2026_12_03_150000_create_zone_activity_rollups';
import { customerRetentionFromZoneRollup, ensureZoneRollup } from '../api/modules/metrics/retention';

/** UTC, two zones off the hour (Tehran +03:30, Kathmandu +05:45) and one with daylight saving. */
export const BENCH_ZONES = ['UTC', 'Asia/Tehran', 'Asia/Kathmandu', 'America/New_York'] as const;

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface MetricsBenchOptions {
  customers: number;
  /** Informational: the shared dataset gives ~10 interactions per customer. */
  interactions?: number;
  iterations?: number;
  dbs?: DbKind[];
  pgAdminUrl?: string;
  log?: (line: string) => void;
}

interface Latency {
  runs: number;
  p50: number;
  p99: number;
  max: number;
}

export interface MetricsBenchResult {
  db: DbKind;
  customers: number;
  interactions: number;
  tickets: number;
  seedMs: number;
  /** UTC (as in earlier runs). */
  summary: Latency;
  baselineCount: Latency;
  /** One run of each metric query alone (ms), to show where the time goes; UTC. */
  perMetricMs: Record<string, number>;
  /** Every zone of BENCH_ZONES: summary latency, per-metric times, the zone rollup's one-time build. */
  zones: Record<string, { summary: Latency; perMetricMs: Record<string, number>; rollupBuildMs: number | null }>;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const r = (v: number) => Math.round(v * 10) / 10;
  return { runs: sorted.length, p50: r(at(0.5)), p99: r(at(0.99)), max: r(sorted.at(-1)!) };
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Agents, tickets (status history through the triggers), replies, reviews, surveys, orders. */
export async function seedServiceData(conn: Db, n: number, t0: number): Promise<number> {
  const db = conn.db;
  const tickets = Math.max(100, Math.floor(n / 10));
  const agents = 10;
  const pg = conn.kind === 'postgres';
  const series = (count: number) =>
    pg ? sql`generate_series(1, ${count}::bigint) as s(i)` : sql`(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${count}) select i from s) s`;

  await sql`insert into agents (name, email, role, locale, created_at)
    select 'Agent ' || i, 'agent' || i || '@bench.example', 'agent', 'en', ${t0 - 400 * DAY}
    from ${series(agents)}`.execute(db);
  const firstAgent = Number((await sql<{ id: number }>`select min(id) as id from agents`.execute(db)).rows[0]!.id);

  // Ticket i: customer (i·7919 mod N)+1, created within the last 90 days, one of four channels and
  // statuses, a subject and tags from small lists.
  await sql`insert into tickets (customer_id, subject, status, reopen_count, priority, channel, assignee_id, first_response_at, resolved_at, source_url, source_key, details, created_at, updated_at)
    select (i * 7919) % ${n} + 1,
      case i % 6 when 0 then 'Where is my refund?' when 1 then 'Order arrived damaged' when 2 then 'Delivery is late'
        when 3 then 'Payment charged twice' when 4 then 'Wrong size delivered' else 'Cannot log in to my account' end,
      case i % 4 when 0 then 'open' when 1 then 'pending' when 2 then 'resolved' else 'closed' end,
      0, 'normal',
      case i % 4 when 0 then 'email' when 1 then 'x' when 2 then 'review' else 'email' end,
      ${firstAgent} + i % ${agents},
      null,
      case when i % 4 >= 2 then ${t0} - (i * 104729) % ${90 * DAY} + ${HOUR} + (i % 72) * ${HOUR} end,
      null, null,
      case i % 3 when 0 then '{"tags":["refund"]}' when 1 then '{"tags":["delivery","damage"]}' else '{}' end,
      ${t0} - (i * 104729) % ${90 * DAY}, ${t0} - (i * 104729) % ${90 * DAY}
    from ${series(tickets)}`.execute(db);

  // An agent reply on 4 tickets in 5, 30 min to 12 h after creation; the review behind review tickets.
  await sql`insert into interactions (customer_id, channel, direction, occurred_at, summary, excerpt, url, external_id, agent_id, ticket_id, created_at)
    select customer_id, channel, 'outbound', created_at + (1 + id % 24) * ${HOUR / 2}, 'Re: ' || subject, null, null, null, assignee_id, id, created_at
    from tickets where id % 5 <> 0`.execute(db);
  await sql`insert into interactions (customer_id, channel, direction, occurred_at, summary, excerpt, url, external_id, agent_id, ticket_id, created_at)
    select customer_id, 'review', 'inbound', created_at - 2 * ${HOUR}, subject, null, null, null, null, id, created_at
    from tickets where channel = 'review'`.execute(db);

  // One resolved ticket in ten bounced: reopened a day after resolution, resolved again a day later.
  await sql`update tickets set status = 'open', reopen_count = 1, updated_at = resolved_at + ${DAY}, resolved_at = null
    where status in ('resolved', 'closed') and id % 10 = 2`.execute(db);
  await sql`update tickets set status = 'resolved', updated_at = updated_at + ${DAY}, resolved_at = updated_at + ${DAY}
    where reopen_count = 1 and status = 'open'`.execute(db);

  // Survey answers on a third of the resolved tickets, CSAT and NPS alternating.
  await sql`insert into surveys (token, ticket_id, customer_id, scale, score, comment, locale, created_by_agent_id, created_at, answered_at)
    select 'bench' || id, id, customer_id, case when id % 2 = 0 then 'csat' else 'nps' end,
      case when id % 2 = 0 then 1 + id % 5 else id % 11 end, case when id % 7 = 0 then 'slow answer' end, 'en', null, resolved_at, resolved_at + ${HOUR}
    from tickets where status in ('resolved', 'closed') and id % 3 = 0`.execute(db);

  // N/2 orders over the last 180 days.
  const orders = Math.max(50, Math.floor(n / 2));
  await sql`insert into orders (customer_id, number, status, total_cents, currency, placed_at, items)
    select (i * 31) % ${n} + 1, 'B-' || i, case when i % 20 = 0 then 'cancelled' else 'delivered' end, 1000 + i % 20000, 'USD',
      ${t0} - (i * 7127) % ${180 * DAY}, '[]'
    from ${series(orders)}`.execute(db);

  await sql`analyze`.execute(db);
  return tickets;
}

async function measureZone(conn: Db, t0: number, tz: string, iterations: number, log: (line: string) => void) {
  const input = { from: isoDate(t0 - 89 * DAY), to: isoDate(t0), groupBy: 'day' as const, tz, reopenWindowDays: 7 };
  const plan = planBuckets(input);

  // A zone's first request registers and builds its rollup: timed apart, outside the samples.
  let rollupBuildMs: number | null = null;
  if (!repo.dayAligned(plan)) {
    const buildStart = performance.now();
    const ready = await ensureZoneRollup(conn, plan);
    rollupBuildMs = Math.round(performance.now() - buildStart);
    log(`  ${tz}: zone rollup ${ready ? `ready in ${rollupBuildMs} ms` : 'NOT available (raw query)'}`);
  }
  // The rollup must give the raw query's answer on this data too (the raw query is the slow one).
  const fromRollup = repo.dayAligned(plan) ? await repo.customerRetentionFromRollup(conn, plan) : await customerRetentionFromZoneRollup(conn, plan);
  const rawStart = performance.now();
  const fromInteractions = await repo.customerRetentionFromInteractions(conn, plan);
  const rawMs = Math.round(performance.now() - rawStart);
  const same = JSON.stringify(fromRollup) === JSON.stringify(fromInteractions);
  log(`  ${tz}: retention from the rollup equals the raw query (${rawMs} ms): ${same ? 'yes' : 'NO'} (${fromRollup.previousActive} / ${fromRollup.retained} / ${fromRollup.buckets.length} buckets)`);
  if (!same) throw new Error(`retention rollup differs from the raw query in ${tz}`);

  const perMetricMs: Record<string, number> = { retentionRaw: rawMs };
  const metrics: Record<string, () => Promise<unknown>> = {
    volume: () => repo.ticketVolume(conn, plan),
    firstResponse: () => repo.firstResponseTimes(conn, plan),
    resolution: () => repo.resolutionTimes(conn, plan),
    reviewResponse: () => repo.reviewResponseTimes(conn, plan),
    reopen: () => repo.reopenRates(conn, plan, 7 * DAY),
    fcr: () => repo.firstContactResolution(conn, plan),
    backlog: () => repo.backlog(conn, plan),
    csat: () => repo.csatScores(conn, plan),
    nps: () => repo.npsScores(conn, plan),
    retention: () => repo.customerRetention(conn, plan),
    repeatPurchase: () => repo.repeatPurchase(conn, plan),
    topTags: () => repo.topTags(conn, plan),
    topWords: () => repo.topSubjectWords(conn, plan),
  };
  for (const [name, fn] of Object.entries(metrics)) {
    await fn();
    perMetricMs[name] = Math.round(await timeIt(fn));
  }
  log(`  ${tz}: per metric (ms): ${Object.entries(perMetricMs).map(([k, v]) => `${k} ${v}`).join(', ')}`);

  await metricsSummary(conn, input); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push(await timeIt(() => metricsSummary(conn, input)));
  const summary = latency(samples);
  log(`  ${tz}: metrics.summary p50 ${summary.p50} ms, p99 ${summary.p99} ms`);
  return { summary, perMetricMs, rollupBuildMs };
}

async function measure(conn: Db, t0: number, iterations: number, log: (line: string) => void) {
  const start = planBuckets({ from: isoDate(t0 - 89 * DAY), to: isoDate(t0), groupBy: 'day', tz: 'UTC' });
  const baseline = () =>
    sql`select count(*) as n from interactions where occurred_at >= ${start.start} and occurred_at < ${start.end}`.execute(conn.db);
  await baseline();
  const baselineSamples: number[] = [];
  for (let i = 0; i < iterations; i++) baselineSamples.push(await timeIt(baseline));

  const zones: MetricsBenchResult['zones'] = {};
  for (const tz of BENCH_ZONES) zones[tz] = await measureZone(conn, t0, tz, iterations, log);
  const utc = zones.UTC!;
  return { summary: utc.summary, baselineCount: latency(baselineSamples), perMetricMs: utc.perMetricMs, zones };
}

export async function benchMetrics(options: MetricsBenchOptions): Promise<MetricsBenchResult[]> {
  const log = options.log ?? console.log;
  const n = options.customers;
  const iterations = options.iterations ?? 20;
  const t0 = Date.now();
  const results: MetricsBenchResult[] = [];
  if (options.interactions !== undefined && Math.abs(options.interactions - 10 * n) > n) {
    log(`note: the shared dataset seeds ~10 interactions per customer (${(10 * n).toLocaleString('en')}), not ${options.interactions.toLocaleString('en')}`);
  }

  for (const kind of options.dbs ?? ['sqlite', 'postgres']) {
    log(`${kind}: seeding ${n.toLocaleString('en')} customers`);
    let conn: Db;
    let cleanup: () => Promise<void>;
    const seedStart = performance.now();
    let interactions: number;
    if (kind === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'rafiq-metrics-bench-'));
      const file = join(dir, 'bench.sqlite');
      interactions = (await seedSqlite(file, n, t0, log)).interactions;
      conn = connect({ sqliteFile: file });
      cleanup = async () => {
        await conn.close();
        rmSync(dir, { recursive: true, force: true });
      };
    } else {
      const database = await createPgBenchDatabase(options.pgAdminUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
      interactions = (await seedPostgres(database.url, n, t0, log)).interactions;
      conn = connect({ databaseUrl: database.url, statementTimeoutMs: 600_000 });
      // The bulk load runs with session_replication_role = replica, which skips every trigger:
      // rebuild the activity rollups from the loaded interactions, as the migration's backfill does.
      const rebuildStart = performance.now();
      await rebuildActivityRollups(conn.db);
      await rebuildActivitySlots(conn.db);
      log(`  activity rollups rebuilt in ${Math.round(performance.now() - rebuildStart)} ms`);
      cleanup = async () => {
        await conn.close();
        await database.drop();
      };
    }
    try {
      const tickets = await seedServiceData(conn, n, t0);
      const seedMs = Math.round(performance.now() - seedStart);
      log(`  service data: ${tickets.toLocaleString('en')} tickets; seeded in ${(seedMs / 1000).toFixed(1)} s`);
      const measured = await measure(conn, t0, iterations, log);
      results.push({ db: kind, customers: n, interactions, tickets, seedMs, ...measured });
      log(`  count(*) baseline p50 ${measured.baselineCount.p50} ms, p99 ${measured.baselineCount.p99} ms`);
    } finally {
      await cleanup();
    }
  }
  return results;
}

export function renderMetricsTable(results: MetricsBenchResult[]): string {
  const rows = [
    ['db', 'zone', 'customers', 'interactions', 'tickets', 'summary p50 ms', 'summary p99 ms', 'count(*) p99 ms', 'p99 / baseline p99', 'goal p99 ≤ 300 ms'],
    ...results.flatMap((r) =>
      Object.entries(r.zones).map(([tz, z]) => [
        r.db,
        tz,
        r.customers.toLocaleString('en'),
        r.interactions.toLocaleString('en'),
        r.tickets.toLocaleString('en'),
        String(z.summary.p50),
        String(z.summary.p99),
        String(r.baselineCount.p99),
        (z.summary.p99 / Math.max(0.1, r.baselineCount.p99)).toFixed(1),
        z.summary.p99 <= 300 ? 'met' : 'missed',
      ]),
    ),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  const perMetric = results.flatMap((r) =>
    Object.entries(r.zones).map(([tz, z]) => `${r.db} ${tz} per metric (ms): ${Object.entries(z.perMetricMs).map(([k, v]) => `${k} ${v}`).join(', ')}`),
  );
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line), '', ...perMetric].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '100000' },
      interactions: { type: 'string' },
      iterations: { type: 'string', default: '20' },
      db: { type: 'string', default: 'sqlite,postgres' },
    },
  });
  const results = await benchMetrics({
    customers: Number(values.customers),
    interactions: values.interactions ? Number(values.interactions) : undefined,
    iterations: Number(values.iterations),
    dbs: values.db.split(',').map((d) => d.trim()) as DbKind[],
  });
  const table = renderMetricsTable(results);
  console.log(`\n${table}`);
  const out = resolve(fileURLToPath(new URL('.', import.meta.url)), 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'metrics.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: { cpus: (await import('node:os')).cpus().length }, results }, null, 2)}\n`);
  console.log(`wrote ${join(out, 'metrics.json')}`);
}
