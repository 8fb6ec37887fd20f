import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, type Db, type DbKind } from '../../api/db/connection';
import { migrateToLatest } from '../../api/db/migrate';

/**
 * A fresh migrated database per test file, on SQLite (a temp file) and on PostgreSQL (a new
 * database next to TEST_DATABASE_URL). Used by the metrics and survey tests until the shared
 * tests/api/test-db.ts exists. A missing PostgreSQL fails loudly in CI and is a clear skip
 * message elsewhere (issue 11).
 */

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgUp = await postgresReachable();
if (!pgUp) {
  const message = `PostgreSQL is not reachable at ${adminUrl}: the metrics and survey tests run on SQLite only`;
  if (process.env.CI) throw new Error(message);
  console.warn(`[skip] ${message}`);
}

export const dbKinds: DbKind[] = pgUp ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  conn: Db;
  cleanup(): Promise<void>;
}

export async function createTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rafiq-metrics-'));
    const conn = connect({ sqliteFile: join(dir, 'test.sqlite') });
    await migrateToLatest(conn.db);
    return {
      conn,
      cleanup: async () => {
        await conn.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `rafiq_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const conn = connect({ databaseUrl: url.toString() });
  await migrateToLatest(conn.db);
  return {
    conn,
    cleanup: async () => {
      await conn.close();
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
