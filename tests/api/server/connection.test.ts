import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { namingStatements } from '../../../api/db/connection';
import { createPostgresDatabase, postgresReachable } from '../test-db';

/**
 * PostgreSQL named statements (api/db/connection.ts `namingStatements`): a parameterised query is
 * prepared once per connection under a name derived from its text and reused; parameterless texts
 * stay on the simple protocol (they may hold several statements); a connection names at most
 * `perConnection` texts.
 */
describe.runIf(postgresReachable || process.env.CI)('named PostgreSQL statements', () => {
  let database: { url: string; drop(): Promise<void> };
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createPostgresDatabase('rafiq_named');
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const prepared = async (client: pg.PoolClient) =>
    (await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements order by name')).rows;

  test('parameterised queries are prepared once under a stable name and give the same rows', async () => {
    const named = namingStatements(pool, 3);
    const client = await named.connect();
    try {
      const first = await client.query('select $1::int + 1 as n', [41]);
      const second = await client.query('select $1::int + 1 as n', [1]);
      expect(first.rows).toEqual([{ n: 42 }]);
      expect(second.rows).toEqual([{ n: 2 }]);
      let statements = await prepared(client);
      expect(statements).toHaveLength(1);
      expect(statements[0]!.name).toMatch(/^r_/);
      expect(statements[0]!.statement).toBe('select $1::int + 1 as n');

      // Analytical and full-text statements are planned per call: never named.
      await client.query('with x as (select $1::int as n) select n from x', [1]);
      await client.query(`select to_tsvector('simple', 'hello') @@ $1::tsquery as hit`, ['hel:*']);
      expect(await prepared(client)).toHaveLength(1);

      // No parameters: not named (and several statements in one text still work).
      await client.query('select 1; select 2');
      expect(await prepared(client)).toHaveLength(1);

      // The cap: two more texts are named, the fourth is not; the named ones keep being reused.
      for (const k of [2, 3, 4]) expect((await client.query(`select $1::int * ${k} as n`, [5])).rows).toEqual([{ n: 5 * k }]);
      statements = await prepared(client);
      expect(statements).toHaveLength(3);
      expect(statements.map((s) => s.statement)).not.toContain('select $1::int * 4 as n');
      expect((await client.query('select $1::int + 1 as n', [9])).rows).toEqual([{ n: 10 }]);
    } finally {
      client.release();
    }
  });

  test('Kysely through the naming pool prepares its queries by name', async () => {
    const { Kysely, PostgresDialect } = await import('kysely');
    const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: namingStatements(pool) }) });
    const rows = await db.transaction().execute(async (trx) => {
      await sql`select ${7}::int as v`.execute(trx);
      return (await sql<{ name: string }>`select name from pg_prepared_statements where statement = 'select $1::int as v'`.execute(trx)).rows;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toMatch(/^r_/);
  });
});
