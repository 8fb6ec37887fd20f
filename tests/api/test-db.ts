import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type Db, type DbKind } from '../../api/db/connection';
import { migrateToLatest } from '../../api/db/migrate';
import { pgAdminUrl, probePostgres, redactUrl } from './postgres-probe';

/**
 * A fresh migrated database per test file, so the same API suite runs on both databases
 * (issue 11): `describe.each(dbKinds)` and `createTestDb(kind)` in `beforeAll`.
 *
 * - SQLite: a new file in a temp directory, removed in cleanup.
 * - PostgreSQL: a brand-new database `rafiq_t_<random>` created through TEST_DATABASE_URL
 *   (default postgres://postgres@127.0.0.1:5432/test), dropped WITH (FORCE) in cleanup.
 *
 * PostgreSQL is probed once per run (postgres.setup.ts). When it does not answer: in CI
 * (`CI` set) the PG suites still run and fail loudly in createTestDb; elsewhere they are
 * skipped and the setup prints one message saying why.
 */

export { pgAdminUrl } from './postgres-probe';

// `inject` answers only under the node project's global setup; a file run some other way probes itself.
const provided = (() => {
  try {
    return inject('postgres');
  } catch {
    return undefined;
  }
})();
const postgres = provided ?? (await probePostgres(pgAdminUrl));
if (!provided && !postgres.reachable && !process.env.CI) {
  console.warn(`[skip] PostgreSQL not reachable at ${redactUrl(pgAdminUrl)} (${postgres.reason}): the PG half of the API suite is skipped; CI runs it.`);
}

export const postgresReachable = postgres.reachable;
export const dbKinds: readonly DbKind[] = postgres.reachable || process.env.CI ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  kind: DbKind;
  /** The migrated database, as the API gets it from `connect`. */
  conn: Db;
  /** Closes the connection and removes the file or drops the database. */
  cleanup(): Promise<void>;
}

export async function createTestDb(kind: DbKind): Promise<TestDb> {
  return kind === 'sqlite' ? createSqliteTestDb() : createPostgresTestDb();
}

async function createSqliteTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-test-'));
  const conn = connect({ sqliteFile: join(dir, 'rafiq.sqlite') });
  try {
    await migrateToLatest(conn.db);
  } catch (error) {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    kind: 'sqlite',
    conn,
    cleanup: async () => {
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new empty PostgreSQL database; `drop` removes it even while connections are open. */
export async function createPostgresDatabase(prefix = 'rafiq_t'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL not reachable at ${redactUrl(pgAdminUrl)}: ${(error as Error).message || String(error)}. ` +
        'CI must run the PG half of the API suite: start PostgreSQL or set TEST_DATABASE_URL.',
      { cause: error },
    );
  }
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: pgAdminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function createPostgresTestDb(): Promise<TestDb> {
  const database = await createPostgresDatabase();
  const conn = connect({ databaseUrl: database.url });
  try {
    await migrateToLatest(conn.db);
  } catch (error) {
    await conn.close();
    await database.drop();
    throw error;
  }
  return {
    kind: 'postgres',
    conn,
    cleanup: async () => {
      // Close the pool first so the drop does not have to kill our own connections.
      await conn.close();
      await database.drop();
    },
  };
}
