import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './database';

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
  return sqlite;
}

export function connect(options: { databaseUrl?: string; dataDir?: string; sqliteFile?: string; statementTimeoutMs?: number }): Db {
  if (options.databaseUrl) {
    // A slow query is cancelled by the server instead of holding a connection forever.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, options: `-c statement_timeout=${options.statementTimeoutMs ?? 10_000}` });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, sqlite: null, close: () => db.destroy() };
  }
  let file = options.sqliteFile;
  if (!file) {
    const dir = resolve(options.dataDir ?? './data');
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'rafiq.sqlite');
  }
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { kind: 'sqlite', db, sqlite, close: () => db.destroy() };
}
