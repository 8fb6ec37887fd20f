import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { connect, openSqlite, type Db } from '../../../api/db/connection';
import { migrateToLatest } from '../../../api/db/migrate';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { createCustomer } from '../../../api/modules/customers/customers.repository';
import { dbKinds } from '../test-db';

/**
 * Issue 8, test 2: crash safety. A real API process (api/main.ts, the production entry) takes a
 * stream of writes over loopback HTTP and is killed with SIGKILL at a random moment, 20 times on
 * one SQLite file. After every kill the file is reopened (WAL recovery, as a restart does) and
 * must hold every write the server acknowledged with a 200, pass `PRAGMA integrity_check` and
 * have no foreign-key violations; the next run's server starts on the crashed file. Once more on
 * PostgreSQL when it is reachable.
 *
 * What this proves: an answer is sent only after the commit (no acknowledged write lives only in
 * process memory). What it cannot prove: survival of power loss, which depends on
 * `synchronous=FULL` reaching the disk (api/db/connection.ts; see SECURITY.md).
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const RUNS = 20;
const CONCURRENCY = 4;
/** A stream is at most this long even if the kill never comes (it always does). */
const MAX_WRITES_PER_RUN = 400;

/** Deterministic per-file seed, printed, so a failing sequence of kill points can be replayed. */
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
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
const random = mulberry32(SEED);

interface Fixture {
  token: string;
  customerId: number;
}

async function seed(db: Db): Promise<Fixture> {
  await migrateToLatest(db.db);
  const now = Date.now();
  const agent = await createAgent(db.db, { name: 'Crash Agent', email: `crash-${now}@rafiq.test`, role: 'agent' }, now);
  const { token } = await createToken(db.db, agent.id, now);
  const customer = await createCustomer(db.db, { displayName: 'Durable Dana', identities: [], linkedBy: 'seed', agentId: null }, now);
  return { token, customerId: customer.id };
}

interface Api {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `node --import tsx api/main.ts` (no npx in between: the pid we kill is the server). */
async function startApi(env: Record<string, string>): Promise<Api> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', SEED_DEMO: '0', RATE_LIMIT_PER_MINUTE: '0', IDEMPOTENCY_LEASE_MS: '500', ...env };
  delete childEnv.NODE_OPTIONS;
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = () => {
      const match = /Rafiq API \S+ on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the API exited before listening (${code ?? signal}):\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

interface Acked {
  notes: string[];
  interactions: string[];
  /** Every write sent (acknowledged or not), with its Idempotency-Key, to replay after the crash. */
  sent: { id: string; path: string; input: unknown }[];
}

/**
 * Writes notes and interactions from CONCURRENCY workers until the server dies; SIGKILLs it once
 * `killAfterAcks` writes are acknowledged (plus a random few ms, so the kill lands anywhere:
 * mid-parse, mid-transaction, mid-response). Returns what was acknowledged.
 */
async function writeUntilKilled(api: Api, fixture: Fixture, label: string, killAfterAcks: number, jitterMs: number): Promise<Acked> {
  const acked: Acked = { notes: [], interactions: [], sent: [] };
  let sent = 0;
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    api.child.kill('SIGKILL');
  };
  const worker = async () => {
    while (!killed && sent < MAX_WRITES_PER_RUN) {
      const n = sent++;
      const isNote = n % 2 === 0;
      const id = `${label}-${n}`;
      const input = isNote
        ? { customerId: fixture.customerId, body: id }
        : { customerId: fixture.customerId, channel: 'email', direction: 'inbound', summary: `mail ${n}`, externalId: id };
      const path = isNote ? 'notes.add' : 'interactions.log';
      acked.sent.push({ id, path, input });
      try {
        const response = await fetch(`${api.url}/trpc/${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json', 'idempotency-key': `key-${id}` },
          body: JSON.stringify(input),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`write ${id} answered ${response.status}: ${text.slice(0, 200)}\n--- server output ---\n${api.output().slice(-3000)}`);
        (isNote ? acked.notes : acked.interactions).push(id);
        if (acked.notes.length + acked.interactions.length === killAfterAcks) setTimeout(kill, jitterMs);
      } catch (error) {
        if (killed) return; // the connection died with the server: not acknowledged
        kill();
        throw error;
      }
    }
    kill();
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await exited(api.child);
  return acked;
}

/**
 * Issue 18 item 2: after the crash, every key is sent again (as the outbox would) to a new
 * server. Each must deliver (200: the first attempt never committed) or replay (200 with
 * Idempotent-Replayed) — none may answer 409 "still running" forever. A 409 in progress is
 * retried for a few leases (IDEMPOTENCY_LEASE_MS below), then counts as stuck.
 */
async function replayEveryKey(api: Api, fixture: Fixture, acked: Acked): Promise<{ stuck: string[]; replayed: number; delivered: number }> {
  const stuck: string[] = [];
  let replayed = 0;
  let delivered = 0;
  for (const write of acked.sent) {
    let status = 0;
    let text = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      const response = await fetch(`${api.url}/trpc/${write.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json', 'idempotency-key': `key-${write.id}` },
        body: JSON.stringify(write.input),
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      text = await response.text();
      if (status !== 409) {
        if (response.headers.get('idempotent-replayed') === 'true') replayed++;
        else delivered++;
        break;
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 150));
    }
    if (status !== 200) stuck.push(`${write.id}: ${status} ${text.slice(0, 200)}`);
  }
  return { stuck, replayed, delivered };
}

/**
 * Known residual on SQLite (SECURITY.md, api/idempotency.ts): a process killed after its write
 * committed and before the key's answer was recorded has that write re-run by the retry. Measured
 * and printed there, not asserted. On PostgreSQL the write and its answer commit in one
 * transaction, and the test below asserts that no write is ever stored twice.
 */
function reportDuplicates(label: string, duplicates: string[]): void {
  if (duplicates.length) console.log(`[crash] ${label}: ${duplicates.length} write(s) re-run by the retry after the kill (commit→answer window): ${duplicates.join(', ')}`);
}

/** Writes whose row appears more than once. */
async function duplicatedWrites(db: Db, acked: Acked): Promise<string[]> {
  const ids = acked.sent.filter((w) => w.path === 'notes.add').map((w) => w.id);
  if (!ids.length) return [];
  const { rows } = await sql<{ body: string; n: number }>`select body, count(*) as n from notes where body in (${sql.join(ids)}) group by body having count(*) > 1`.execute(db.db);
  return rows.map((r) => `${r.body} ×${r.n}`);
}

/** Which of the acknowledged writes are missing from the database. */
async function missingWrites(db: Db, acked: Acked): Promise<string[]> {
  const missing: string[] = [];
  const notes = new Set((await db.db.selectFrom('notes').select('body').where('body', 'in', acked.notes.length ? acked.notes : ['']).execute()).map((r) => r.body));
  const interactions = new Set(
    (
      await db.db
        .selectFrom('interactions')
        .select('external_id')
        .where('external_id', 'in', acked.interactions.length ? acked.interactions : [''])
        .execute()
    ).map((r) => r.external_id),
  );
  for (const id of acked.notes) if (!notes.has(id)) missing.push(`note ${id}`);
  for (const id of acked.interactions) if (!interactions.has(id)) missing.push(`interaction ${id}`);
  return missing;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('SIGKILL mid-stream never loses an acknowledged write, and no key is stuck after it', () => {
  test(`SQLite: ${RUNS} kills at random moments (seed ${SEED}: CRASH_SEED=${SEED} replays it)`, { timeout: 150_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rafiq-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const file = join(dataDir, 'rafiq.sqlite'); // where api/main.ts puts it for DATA_DIR
    const setup = connect({ sqliteFile: file });
    const fixture = await seed(setup);
    await setup.close();

    let totalAcked = 0;
    for (let run = 0; run < RUNS; run++) {
      const api = await startApi({ DATA_DIR: dataDir });
      cleanups.push(() => void api.child.kill('SIGKILL'));
      const killAfterAcks = 1 + Math.floor(random() * 40);
      const jitterMs = Math.floor(random() * 8);
      const acked = await writeUntilKilled(api, fixture, `sqlite-${run}`, killAfterAcks, jitterMs);
      expect(api.child.signalCode, `run ${run}: the server must have died by SIGKILL\n${api.output()}`).toBe('SIGKILL');
      const count = acked.notes.length + acked.interactions.length;
      expect(count, `run ${run}`).toBeGreaterThanOrEqual(killAfterAcks);
      totalAcked += count;

      // Restart the storage exactly as the next server will: open the crashed file.
      const sqlite = openSqlite(file);
      try {
        expect(sqlite.pragma('integrity_check', { simple: true }), `run ${run}`).toBe('ok');
        expect(sqlite.pragma('foreign_key_check'), `run ${run}`).toEqual([]);
      } finally {
        sqlite.close();
      }
      const db = connect({ sqliteFile: file });
      try {
        expect(await missingWrites(db, acked), `run ${run}: acknowledged but lost (kill after ${killAfterAcks} acks + ${jitterMs} ms)`).toEqual([]);
      } finally {
        await db.close();
      }
      // Every 4th run (the replay costs a request per write sent): restart and replay every key.
      if (run % 4 === 3) {
        const again = await startApi({ DATA_DIR: dataDir });
        cleanups.push(() => void again.child.kill('SIGKILL'));
        const replay = await replayEveryKey(again, fixture, acked);
        again.child.kill('SIGKILL');
        await exited(again.child);
        expect(replay.stuck, `run ${run}: keys stuck after the crash`).toEqual([]);
        expect(replay.replayed, `run ${run}`).toBeGreaterThanOrEqual(acked.notes.length + acked.interactions.length);
        const check = connect({ sqliteFile: file });
        try {
          reportDuplicates(`sqlite run ${run}`, await duplicatedWrites(check, acked));
        } finally {
          await check.close();
        }
      }
    }
    expect(totalAcked).toBeGreaterThanOrEqual(RUNS);

    // The last restart: the API starts on the twice-crashed file, answers, takes a write, and
    // shuts down gracefully on SIGTERM.
    const api = await startApi({ DATA_DIR: dataDir });
    cleanups.push(() => void api.child.kill('SIGKILL'));
    const health = (await (await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(5_000) })).json()) as { ok: boolean; db: string };
    expect(health).toMatchObject({ ok: true, db: 'sqlite' });
    const write = await fetch(`${api.url}/trpc/notes.add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: fixture.customerId, body: 'after the storm' }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(write.status).toBe(200);
    api.child.kill('SIGTERM');
    await exited(api.child);
    expect(api.child.exitCode, api.output()).toBe(0);
  });

  describe.each(dbKinds.filter((kind) => kind === 'postgres'))('%s', () => {
    test('acknowledged writes survive SIGKILL of the API (3 kills)', { timeout: 60_000 }, async () => {
      const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
      const name = `rafiq_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`).finally(() => admin.end());
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const databaseUrl = url.toString();
      cleanups.push(async () => {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`).finally(() => client.end());
      });
      const setup = connect({ databaseUrl });
      const fixture = await seed(setup);
      await setup.close();

      for (let run = 0; run < 3; run++) {
        const api = await startApi({ DATABASE_URL: databaseUrl });
        cleanups.push(() => void api.child.kill('SIGKILL'));
        const acked = await writeUntilKilled(api, fixture, `pg-${run}`, 1 + Math.floor(random() * 40), Math.floor(random() * 8));
        expect(api.child.signalCode).toBe('SIGKILL');
        const again = await startApi({ DATABASE_URL: databaseUrl });
        cleanups.push(() => void again.child.kill('SIGKILL'));
        const replay = await replayEveryKey(again, fixture, acked);
        again.child.kill('SIGKILL');
        await exited(again.child);
        expect(replay.stuck, `run ${run}: keys stuck after the crash`).toEqual([]);
        const db = connect({ databaseUrl });
        try {
          expect(await missingWrites(db, acked), `run ${run}`).toEqual([]);
          // The write and its key's answer commit together (api/idempotency.ts): a write the
          // killed process committed is replayed, never run again (issue 20, bench:team).
          expect(await duplicatedWrites(db, acked), `run ${run}: written twice (a retry re-ran a committed write)`).toEqual([]);
          // Every row the API wrote points at rows that exist.
          expect(await orphanRows(db)).toEqual([]);
        } finally {
          await db.close();
        }
      }
    });
  });
});

async function orphanRows(db: Db): Promise<{ what: string }[]> {
  const { rows } = await sql<{ what: string }>`
    select 'note' as what from notes where customer_id not in (select id from customers)
    union all select 'interaction' from interactions where customer_id not in (select id from customers)`.execute(db.db);
  return rows;
}
