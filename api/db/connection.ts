import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from './database';
import { installQueryGuard } from './query-guard';

export type DbKind = 'sqlite' | 'postgres';
export interface Db {
  kind: DbKind;
  db: Kysely<Database>;
  /** The raw better-sqlite3 handle (benchmarks and crash checks); null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds and counts, all far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
// numeric (e.g. percentile_cont results) as numbers too.
pg.types.setTypeParser(1700, (value) => Number(value));

/**
 * SQLite settings, chosen for a single-machine server that must not lose acknowledged writes:
 * WAL (readers never block the writer), synchronous=FULL (a commit is fsynced before the API
 * answers, so an acknowledged write survives power loss, not only a process crash; NORMAL
 * would only survive process crashes), foreign keys on, 5 s busy timeout for the CLI tools
 * that open the same file.
 */
export function openSqlite(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A time bound for unbounded query shapes (issue 18): `rafiq_guard(deadline)`.
  installQueryGuard(sqlite);
  return sqlite;
}

/**
 * Kysely's SQLite driver calls `prepare` for every query, and compiling the SQL costs several
 * times more than running an indexed lookup (bench/api.bench.ts: most of the API's lookup time).
 * Statements are reused by SQL text; the bound keeps data-dependent texts (`in (?, ?, ...)` of
 * every length) from growing the cache without limit. A statement still iterating (a stream) is
 * busy, so that caller gets a fresh one.
 */
export function cachingStatements(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Least recently used goes first: re-inserting moves the text to the end of the Map.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Kysely's PostgreSQL driver sends every query as an unnamed statement, which PostgreSQL parses,
 * analyses and plans again on every call (a named statement's p50 is ~3× lower in
 * bench/api.bench.ts). This pool hands Kysely clients whose parameterised queries carry a name
 * derived from the SQL text, so each connection prepares a hot statement once and then only binds
 * and executes it. Only queries with parameters are named: they already use the extended protocol
 * (parameterless texts may hold several statements, which the simple protocol alone accepts). Each
 * connection names at most `perConnection` distinct texts (data-dependent texts such as
 * `in ($1, $2, ...)` of every length would otherwise grow the server's per-session memory); the
 * rest stay unnamed.
 *
 * After five runs PostgreSQL may switch a named statement to a generic plan, made without the
 * parameter values (the point: no planning, p50 740 → 150 µs for a lookup at 100k customers; with
 * `plan_cache_mode = force_custom_plan` it stayed at 700 µs, so planning is the cost). A generic
 * plan guesses selectivities, which is right for key lookups and wrong where the values decide the
 * plan: a metrics range over 90 days looks like 0.5 % of the rows, a full-text prefix may match
 * one row or a million. So analytical statements (`WITH ...`, over 1,500 characters) and
 * full-text matches (`@@`) stay unnamed and are planned per call. A migration that changes a table's columns while a process holds plans on it
 * would need a restart of that process (PostgreSQL: "cached plan must not change result type");
 * migrations run before the server starts.
 */
/** Whether a generic plan suits the statement: short, not a WITH query, no full-text match (see below). */
export const nameable = (text: string) => text.length <= 1500 && !/^\s*with\b/i.test(text) && !text.includes('@@');

export function namingStatements(pool: pg.Pool, perConnection = 300): pg.Pool {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `r_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      if (names.size >= 5000) names.clear();
      names.set(text, name);
    }
    return name;
  };
  const wrapped = new WeakSet<pg.PoolClient>();
  const connectNamed = async () => {
    const client = await pool.connect();
    if (!wrapped.has(client)) {
      wrapped.add(client);
      const named = new Set<string>();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
        if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && rest.length === 0 && nameable(text)) {
          const name = nameOf(text);
          if (named.has(name) || named.size < perConnection) {
            named.add(name);
            return query({ name, text, values });
          }
        }
        return query(text, values, ...rest);
      };
    }
    return client;
  };
  // Kysely only calls connect() and end(); everything else (events, counts) is the real pool's.
  return new Proxy(pool, {
    get(target, key, receiver) {
      if (key === 'connect') return connectNamed;
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function connect(options: { databaseUrl?: string; dataDir?: string; sqliteFile?: string; statementTimeoutMs?: number }): Db {
  if (options.databaseUrl) {
    // A slow query is cancelled by the server instead of holding a connection forever.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, options: `-c statement_timeout=${options.statementTimeoutMs ?? 10_000}` });
    // An idle pooled connection closed by the server (restart, failover, a dropped database) is
    // reported here; without a listener it would crash the process. The pool replaces it.
    pool.on('error', (error) => console.error(`[db] idle PostgreSQL connection lost: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namingStatements(pool) }) });
    return { kind: 'postgres', db, sqlite: null, close: () => db.destroy() };
  }
  let file = options.sqliteFile;
  if (!file) {
    const dir = resolve(options.dataDir ?? './data');
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'rafiq.sqlite');
  }
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  return { kind: 'sqlite', db, sqlite, close: () => db.destroy() };
}
