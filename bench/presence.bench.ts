/**
 * Presence read latency at team scale (issue 21): 200 agents × 5 tabs, each tab polling "who else
 * is on this conversation, and did a teammate reply since I opened it?" once a second (the
 * sidebar's PRESENCE_POLL_MS) and sending a heartbeat every 5 s, for a few seconds, open loop
 * (requests leave on schedule whether or not earlier ones have answered, as 1000 tabs would).
 *
 * Two ways through the API: one request per tab (how the extension polled until 2026-12-07), and
 * one batched request per browser carrying its tabs' reads (how it polls now: tabs poll on the
 * wall clock's second and the background batches them; extension/background/team-handlers.ts).
 *
 * Measured through the whole API in process (`app.request('/trpc/presence.read?...')`: Hono,
 * tRPC, token auth, the Kysely query, JSON) on SQLite and PostgreSQL, with a same-run baseline: the
 * same two reads as hand-written SQL on the raw driver, no API around them, on the same schedule.
 * Prints a table, writes bench/results/presence.json; never fails on time.
 *
 *   tsx bench/presence.bench.ts [--agents 200] [--tabs 5] [--seconds 4] [--db sqlite,postgres]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../api/app';
import { connect, type Db, type DbKind } from '../api/db/connection';
import { migrateToLatest } from '../api/db/migrate';
import { createAgent, createToken } from '../api/modules/agents/agents.repository';
import { PRESENCE_HEARTBEAT_MS, PRESENCE_POLL_MS, PRESENCE_TTL_MS } from '../shared/presence';
import { createPgBenchDatabase } from './seed-bulk';
import { startTeam } from '../scripts/team-lib';
import { prng, round, Samples, type LatencySummary } from './stats';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '200' },
    tabs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '4' },
    db: { type: 'string', default: 'sqlite,postgres' },
    // PostgreSQL only: N API processes behind nginx (scripts/team-lib.ts, `npm run team`), reached
    // over loopback HTTP instead of in process. Needs nginx (apt-get install nginx).
    team: { type: 'string', default: '0' },
  },
});
const AGENTS = Number(values.agents);
const TABS = Number(values.tabs);
const SECONDS = Math.min(30, Number(values.seconds));
const TEAM = Number(values.team);
/** Two to three tabs per conversation on average: agents overlap on threads, as in a real team. */
const CONVERSATIONS = Math.max(1, Math.round((AGENTS * TABS) / 2.5));

const READ_SQL = {
  viewers: `select p.agent_id, a.name, p.activity, p.opened_at from presence p join agents a on a.id = p.agent_id
    where p.conversation_key = $1 and p.seen_at >= $2 and p.agent_id != $3 order by p.opened_at limit 50`,
  activity: `select c.id, c.agent_id, a.name, c.kind, c.at from conversation_activity c join agents a on a.id = c.agent_id
    where c.conversation_key = $1 and c.at > $2 and c.agent_id != $3 order by c.at desc limit 20`,
};
const sqliteSql = (text: string) => text.replace(/\$\d/g, '?');

interface Tab {
  agent: number;
  token: string;
  tabId: string;
  key: string;
  openedAt: number;
}

async function setup(kind: DbKind): Promise<{ conn: Db; cleanup(): Promise<void>; pgUrl: string | null }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rafiq-presence-bench-'));
    const conn = connect({ sqliteFile: join(dir, 'rafiq.sqlite') });
    await migrateToLatest(conn.db);
    return { conn, pgUrl: null, cleanup: async () => (await conn.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const database = await createPgBenchDatabase(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const conn = connect({ databaseUrl: database.url });
  await migrateToLatest(conn.db);
  return { conn, pgUrl: database.url, cleanup: async () => (await conn.close(), await database.drop()) };
}

async function runOne(kind: DbKind) {
  const { conn, cleanup, pgUrl } = await setup(kind);
  let closeTeam = () => Promise.resolve();
  try {
    const now0 = Date.now();
    const random = prng(21);
    const tabs: Tab[] = [];
    for (let a = 0; a < AGENTS; a++) {
      const agent = await createAgent(conn.db, { name: `Agent ${a}`, email: `agent${a}@bench.example`, role: 'agent' }, now0);
      const { token } = await createToken(conn.db, agent.id, now0);
      for (let t = 0; t < TABS; t++) tabs.push({ agent: agent.id, token, tabId: `tab-${a}-${t}-bench`, key: `email:thread-${Math.floor(random() * CONVERSATIONS)}`, openedAt: now0 });
    }
    // History: a day of replies and logs on these conversations (the activity index has work to do).
    const history = Array.from({ length: 20_000 }, (_, i) => ({ conversation_key: `email:thread-${i % CONVERSATIONS}`, agent_id: tabs[i % tabs.length]!.agent, kind: i % 3 ? ('logged' as const) : ('replied' as const), at: now0 - 86_400_000 + i * 4_000 }));
    for (let i = 0; i < history.length; i += 500) await conn.db.insertInto('conversation_activity').values(history.slice(i, i + 500)).execute();
    // In process (one API), or several API processes behind nginx over loopback HTTP.
    const team = TEAM > 0 && kind === 'postgres' ? await startTeam({ processes: TEAM, databaseUrl: pgUrl!, env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'silent' } }) : null;
    const inProcess = createApp({ db: conn });
    const app = { request: (path: string, init?: RequestInit) => (team ? fetch(`${team.url}${path}`, init) : inProcess.request(path, init)) };
    closeTeam = () => team?.close() ?? Promise.resolve();
    const call = async (tab: Tab, path: string, init?: { method: 'POST'; body: unknown }) => {
      const headers: Record<string, string> = { authorization: `Bearer ${tab.token}`, 'content-type': 'application/json' };
      const response = init
        ? await app.request(`/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(init.body) })
        : await app.request(`/trpc/${path}`, { headers });
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { result: { data: { openedAt?: string; version?: string } } };
    };
    for (const tab of tabs) {
      const answer = await call(tab, 'presence.heartbeat', { method: 'POST', body: { tabId: tab.tabId, conversationKey: tab.key, activity: 'viewing' } });
      tab.openedAt = Date.parse(answer.result.data.openedAt!);
    }

    const versions = new Map<string, string>();
    const apiRead = async (tab: Tab) => {
      const input = { conversationKey: tab.key, since: new Date(tab.openedAt).toISOString(), ifVersion: versions.get(tab.tabId) };
      const answer = await call(tab, `presence.read?input=${encodeURIComponent(JSON.stringify(input))}`);
      if (answer.result.data.version) versions.set(tab.tabId, answer.result.data.version);
    };
    // What the extension sends since the reads were batched (extension/background/team-handlers.ts):
    // a browser's tabs poll on the same second and their reads share one HTTP request.
    const byAgent = new Map<number, Tab[]>();
    for (const tab of tabs) byAgent.set(tab.agent, [...(byAgent.get(tab.agent) ?? []), tab]);
    const browsers = [...byAgent.values()];
    const apiReadBatched = async (group: Tab[]) => {
      const inputs = Object.fromEntries(group.map((tab, i) => [i, { conversationKey: tab.key, since: new Date(tab.openedAt).toISOString(), ifVersion: versions.get(tab.tabId) }]));
      const paths = group.map(() => 'presence.read').join(',');
      const response = await app.request(`/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`, { headers: { authorization: `Bearer ${group[0]!.token}` } });
      if (response.status !== 200) throw new Error(`batched presence.read answered ${response.status}: ${await response.text()}`);
      const answers = (await response.json()) as { result: { data: { version?: string } } }[];
      answers.forEach((a, i) => a.result.data.version && versions.set(group[i]!.tabId, a.result.data.version));
    };
    const heartbeat = (tab: Tab) => call(tab, 'presence.heartbeat', { method: 'POST', body: { tabId: tab.tabId, conversationKey: tab.key, activity: 'viewing' } });

    // The baseline: the same two statements, raw driver, no API.
    let rawRead: (tab: Tab) => Promise<unknown>;
    let closeRaw = async () => {};
    if (kind === 'sqlite') {
      const viewers = conn.sqlite!.prepare(sqliteSql(READ_SQL.viewers));
      const activity = conn.sqlite!.prepare(sqliteSql(READ_SQL.activity));
      rawRead = async (tab) => [viewers.all(tab.key, Date.now() - PRESENCE_TTL_MS, tab.agent), activity.all(tab.key, tab.openedAt, tab.agent)];
    } else {
      const pool = new pg.Pool({ connectionString: pgUrl!, max: 10 });
      rawRead = (tab) =>
        Promise.all([
          pool.query({ name: 'viewers', text: READ_SQL.viewers, values: [tab.key, Date.now() - PRESENCE_TTL_MS, tab.agent] }),
          pool.query({ name: 'activity', text: READ_SQL.activity, values: [tab.key, tab.openedAt, tab.agent] }),
        ]);
      closeRaw = () => pool.end();
    }

    /** Every tab reads once per poll interval and beats once per heartbeat interval, spread evenly, for SECONDS. */
    const openLoop = async (read: (tab: Tab) => Promise<unknown>, withHeartbeats: boolean, units: Tab[][] = tabs.map((t) => [t]), readUnit?: (unit: Tab[]) => Promise<unknown>): Promise<{ reads: LatencySummary; errors: number; heartbeats: number }> => {
      const samples = new Samples();
      let errors = 0;
      let heartbeats = 0;
      const pending: Promise<void>[] = [];
      const start = performance.now();
      // One read (or one batched read) per unit per poll interval; heartbeats stay one per tab.
      const readGap = PRESENCE_POLL_MS / units.length;
      const total = Math.floor((SECONDS * 1000) / readGap);
      const beatEvery = Math.round(PRESENCE_HEARTBEAT_MS / PRESENCE_POLL_MS);
      for (let i = 0; i < total; i++) {
        const due = start + i * readGap;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const unit = units[i % units.length]!;
        const sent = performance.now();
        pending.push(
          (readUnit ? readUnit(unit) : read(unit[0]!)).then(
            () => samples.push(performance.now() - sent),
            () => void errors++,
          ),
        );
        // Each tab's heartbeat every beatEvery-th round.
        if (withHeartbeats && Math.floor(i / units.length) % beatEvery === (i % units.length) % beatEvery) {
          for (const tab of unit) {
            heartbeats++;
            pending.push(heartbeat(tab).then(() => undefined, () => void errors++));
          }
        }
      }
      await Promise.all(pending);
      return { reads: samples.summarize(), errors, heartbeats };
    };

    const baseline = await openLoop(rawRead, false);
    const viaApi = await openLoop(apiRead, true);
    const viaApiBatched = await openLoop(apiRead, true, browsers, apiReadBatched);
    await closeRaw();
    return { db: kind, apiProcesses: TEAM > 0 && kind === 'postgres' ? TEAM : 1, agents: AGENTS, tabsPerAgent: TABS, conversations: CONVERSATIONS, seconds: SECONDS, readsPerSecond: tabs.length * (1000 / PRESENCE_POLL_MS), api: viaApi, apiBatchedPerBrowser: viaApiBatched, baseline: baseline };
  } finally {
    await closeTeam();
    await cleanup();
  }
}

const results = [];
for (const kind of values.db.split(',') as DbKind[]) {
  console.log(`presence: ${kind}${TEAM > 0 && kind === 'postgres' ? ` (${TEAM} API processes behind nginx, over HTTP)` : ' (one API, in process)'}, ${AGENTS} agents × ${TABS} tabs, ${SECONDS} s open loop…`);
  const r = await runOne(kind);
  results.push(r);
  const f = (s: LatencySummary) => `p50 ${round(s.p50)} ms  p95 ${round(s.p95)} ms  p99 ${round(s.p99)} ms  max ${round(s.max)} ms  (n=${s.count})`;
  console.log(`  API presence.read   ${f(r.api.reads)}  errors ${r.api.errors}, heartbeats ${r.api.heartbeats}`);
  console.log(`  API, one batched request per browser (${TABS} reads)  ${f(r.apiBatchedPerBrowser.reads)}  errors ${r.apiBatchedPerBrowser.errors}`);
  console.log(`  baseline (raw SQL)  ${f(r.baseline.reads)}`);
  console.log(`  p99 ratio API/baseline ${round(r.api.reads.p99 / r.baseline.reads.p99)}× per tab, ${round(r.apiBatchedPerBrowser.reads.p99 / r.baseline.reads.p99)}× batched  (goal: API p99 < 50 ms)`);
}
const out = join(import.meta.dirname, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'presence.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: { cpus: (await import('node:os')).cpus().length }, results }, null, 2)}\n`);
console.log(`wrote ${join(out, 'presence.json')}`);
