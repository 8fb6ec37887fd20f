import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { connect } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { createAgent, createToken } from '../api/modules/agents/agents.repository';
import { createCustomer, normalizeIdentities } from '../api/modules/customers/customers.repository';
import { createPostgresDatabase } from '../tests/api/test-db';
import { startApiProcess, exited, startTeam } from '../scripts/team-lib';

/**
 * `npm run bench:team` (issue 20): 3 API processes behind nginx on one PostgreSQL, 200 simulated
 * agents (one token each) in a closed loop mixing customer lookups (50 %), timeline reads (30 %)
 * and notes written with an Idempotency-Key (20 %, retried with the same key on any failure, as
 * the outbox does). Halfway through one process is SIGKILLed. Then every acknowledged write must
 * be in the database exactly once, no retried write twice, and nginx must have kept answering.
 * The baseline of the same run: the same load against ONE API process directly (no nginx, no
 * kill), reported as ratios. Loopback only, bounded by --seconds.
 *
 *   npm run bench:team -- --seconds 60 --agents 200 --processes 3
 */

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    agents: { type: 'string', default: '200' },
    processes: { type: 'string', default: '3' },
    customers: { type: 'string', default: '2000' },
    'baseline-seconds': { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const AGENTS = Number(values.agents);
const PROCESSES = Number(values.processes);
const CUSTOMERS = Number(values.customers);
const BASELINE_SECONDS = Number(values['baseline-seconds'] ?? Math.max(3, Math.round(SECONDS / 3)));
if (![SECONDS, AGENTS, PROCESSES, CUSTOMERS, BASELINE_SECONDS].every((n) => Number.isFinite(n) && n > 0)) throw new Error('every flag must be a positive number');


function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = 2020;
console.log(`[team bench] seed ${SEED}, ${PROCESSES} processes, ${AGENTS} agents, ${SECONDS} s (+ ${BASELINE_SECONDS} s baseline)`);

interface Fixture {
  tokens: string[];
  customers: { id: number; email: string }[];
}

async function seed(databaseUrl: string): Promise<Fixture> {
  const db = connect({ databaseUrl });
  try {
    await migrateToLatest(db.db);
    const now = Date.now();
    const tokens: string[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const agent = await createAgent(db.db, { name: `Agent ${i}`, email: `agent-${i}@team.test`, role: 'agent' }, now);
      tokens.push((await createToken(db.db, agent.id, now)).token);
    }
    const customers: Fixture['customers'] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const email = `customer-${i}@example.com`;
      const c = await createCustomer(db.db, { displayName: `Customer ${i}`, identities: normalizeIdentities([{ kind: 'email', value: email }]), linkedBy: 'seed', agentId: null }, now);
      customers.push({ id: c.id, email });
    }
    return { tokens, customers };
  } finally {
    await db.close();
  }
}

interface RunResult {
  requests: number;
  errors: number;
  errorKinds: Record<string, number>;
  latenciesMs: number[];
  /** Note bodies the API acknowledged (200). */
  acked: string[];
  /** Every note body sent, acknowledged or not. */
  sent: string[];
  retries: number;
  seconds: number;
  /** Requests answered before the mid-run kill (only for a run with one). */
  requestsBeforeKill?: number;
}

async function load(url: string, fixture: Fixture, seconds: number, label: string, midway?: () => Promise<void>): Promise<RunResult> {
  const random = mulberry32(SEED);
  const result: RunResult = { requests: 0, errors: 0, errorKinds: {}, latenciesMs: [], acked: [], sent: [], retries: 0, seconds };
  const deadline = Date.now() + seconds * 1000;
  const error = (kind: string) => {
    result.errors++;
    result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
  };
  let killed = false;
  const midTimer = midway
    ? setTimeout(() => {
        result.requestsBeforeKill = result.requests;
        void midway().then(() => (killed = true));
      }, (seconds * 1000) / 2)
    : null;
  const call = async (token: string, path: string, init: RequestInit = {}): Promise<Response | null> => {
    const start = performance.now();
    try {
      const response = await fetch(`${url}/trpc/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) }, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      result.latenciesMs.push(performance.now() - start);
      result.requests++;
      return response;
    } catch (e) {
      result.requests++;
      error(`network: ${(e as Error).name}`);
      return null;
    }
  };
  const agentLoop = async (index: number) => {
    const token = fixture.tokens[index]!;
    let n = 0;
    while (Date.now() < deadline) {
      const roll = random();
      const customer = fixture.customers[Math.floor(random() * fixture.customers.length)]!;
      if (roll < 0.5) {
        const input = encodeURIComponent(JSON.stringify({ identities: [{ kind: 'email', value: customer.email }] }));
        const r = await call(token, `customers.lookup?input=${input}`);
        if (r && r.status !== 200) error(`lookup ${r.status}`);
      } else if (roll < 0.8) {
        const input = encodeURIComponent(JSON.stringify({ customerId: customer.id, limit: 30 }));
        const r = await call(token, `timeline.list?input=${input}`);
        if (r && r.status !== 200) error(`timeline ${r.status}`);
      } else {
        const body = `${label}-a${index}-n${n++}`;
        result.sent.push(body);
        // The outbox's way: the same key until it is answered (or 10 tries).
        for (let attempt = 0; attempt < 10; attempt++) {
          if (attempt) result.retries++;
          const r = await call(token, 'notes.add', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `key-${body}` },
            body: JSON.stringify({ customerId: customer.id, body }),
          });
          if (r?.status === 200) {
            result.acked.push(body);
            break;
          }
          if (r) error(`write ${r.status}`);
          await new Promise((wait) => setTimeout(wait, 100 * (attempt + 1)));
        }
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: AGENTS }, (_, i) => agentLoop(i)));
  if (midTimer) clearTimeout(midTimer);
  if (midway && !killed) throw new Error('the mid-run kill did not happen');
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
function summarize(r: RunResult) {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return {
    seconds: Number(r.seconds.toFixed(1)),
    requests: r.requests,
    requestsPerSecond: Math.round(r.requests / r.seconds),
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
    errors: r.errors,
    errorKinds: r.errorKinds,
    writesSent: r.sent.length,
    writesAcknowledged: r.acked.length,
    writeRetries: r.retries,
    // Each half of a run with a kill: all processes, then one fewer.
    ...(r.requestsBeforeKill === undefined
      ? {}
      : {
          requestsPerSecondBeforeKill: Math.round(r.requestsBeforeKill / (r.seconds / 2)),
          requestsPerSecondAfterKill: Math.round((r.requests - r.requestsBeforeKill) / (r.seconds / 2)),
        }),
  };
}

async function noteCounts(databaseUrl: string, bodies: string[]): Promise<Map<string, number>> {
  const db = connect({ databaseUrl });
  try {
    const counts = new Map<string, number>();
    for (let i = 0; i < bodies.length; i += 5000) {
      const part = bodies.slice(i, i + 5000);
      const { rows } = await sql<{ body: string; n: number }>`select body, count(*) as n from notes where body in (${sql.join(part)}) group by body`.execute(db.db);
      for (const row of rows) counts.set(row.body, Number(row.n));
    }
    return counts;
  } finally {
    await db.close();
  }
}

const database = await createPostgresDatabase('rafiq_bench_team');
const env = { RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'silent' };
let failed = false;
try {
  const fixture = await seed(database.url);

  // Baseline: one process, directly; run before AND after the team (this machine is shared: if the
  // two differ much, the neighbours moved during the run and the ratios say little).
  const baselineRun = async (label: string) => {
    const single = await startApiProcess({ DATABASE_URL: database.url, ...env });
    try {
      return await load(single.url, fixture, BASELINE_SECONDS, label);
    } finally {
      single.child.kill('SIGTERM');
      await exited(single.child);
    }
  };
  const baseline = await baselineRun('baseline');

  const team = await startTeam({ processes: PROCESSES, databaseUrl: database.url, env });
  let afterKill = { status: 0 };
  const run = await load(team.url, fixture, SECONDS, 'team', async () => {
    await team.kill(1);
    console.log(`[team bench] SIGKILLed process 2 (port ${team.processes[1]!.port}) mid-run`);
  });
  afterKill = { status: (await fetch(`${team.url}/healthz`)).status };
  await team.close();
  const baselineAfter = await baselineRun('baseline-after');

  const counts = await noteCounts(database.url, run.sent);
  const lost = run.acked.filter((b) => counts.get(b) !== 1);
  const duplicated = run.sent.filter((b) => (counts.get(b) ?? 0) > 1);
  const team3 = summarize(run);
  const one = summarize(baseline);
  const oneAfter = summarize(baselineAfter);
  const baselineRps = (one.requestsPerSecond + oneAfter.requestsPerSecond) / 2;
  const baselineP99 = (one.p99Ms + oneAfter.p99Ms) / 2;
  const report = {
    bench: 'team',
    date: new Date().toISOString(),
    seed: SEED,
    processes: PROCESSES,
    agents: AGENTS,
    customers: CUSTOMERS,
    mix: { lookups: 0.5, timelineReads: 0.3, idempotentWrites: 0.2 },
    team: team3,
    baselineOneProcessDirect: one,
    baselineOneProcessDirectAfter: oneAfter,
    // Against the mean of the two baselines.
    ratios: { requestsPerSecond: Number((team3.requestsPerSecond / baselineRps).toFixed(2)), p99: Number((team3.p99Ms / baselineP99).toFixed(2)) },
    kill: { processKilled: 2, healthzAfterKill: afterKill.status },
    correctness: { acknowledgedWritesMissingOrDuplicated: lost.length, retriedWritesDuplicated: duplicated.length, examples: [...lost, ...duplicated].slice(0, 10) },
  };
  const out = resolve(import.meta.dirname, 'results/team.json');
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  console.log(`[team bench] wrote ${out}`);
  failed = lost.length > 0 || duplicated.length > 0 || afterKill.status !== 200;
  if (failed) console.error('[team bench] FAILED: see correctness above');
} finally {
  await database.drop();
}
process.exit(failed ? 1 : 0);
