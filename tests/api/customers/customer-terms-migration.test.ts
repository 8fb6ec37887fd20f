// PostgreSQL customer search moved from a GIN index over the tsvector documents to a (term,
// customer id) table (migration 2026_12_07_060000_customer_terms, issue 20's search speed). A team
// upgrading keeps its customers findable: the terms are rebuilt from the documents, search finds
// the old customers, new writes keep both in step, and the migration goes back down to the GIN index.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect, type Db } from '../../../api/db/connection';
import { migrateTo, migrateToLatest } from '../../../api/db/migrate';
import { searchCustomers } from '../../../api/modules/customers/customers.repository';
import { indexCustomers } from '../../../api/modules/customers/search-index';
import { createPostgresDatabase, dbKinds } from '../test-db';

const BEFORE = '2026_12_07_040000_reply_postings';

describe.runIf(dbKinds.includes('postgres'))('customer terms migration on postgres', () => {
  let conn: Db;
  let drop: () => Promise<void>;
  const indexes = async () =>
    (await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'customer_search' order by indexname`.execute(conn.db)).rows.map((r) => r.indexname);

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    conn = connect({ databaseUrl: database.url });
    await migrateTo(conn.db, BEFORE);
    // Customers as the previous schema indexed them: the folded words in a tsvector only.
    const people: [string, string][] = [
      ['Layla Haddad', 'layla haddad layla haddad example com ord 0001001'],
      ['ليلى الزين', 'ليلى الزين زين 971501234567 71501234567'],
      ['Ayşe Yılmaz', 'ayse yilmaz ayse yilmaz example com tr'],
    ];
    for (const [name, terms] of people) {
      const { id } = await conn.db
        .insertInto('customers')
        .values({ display_name: name, name_folded: name.toLowerCase(), company: null, locale: null, tags: '[]', custom_fields: '{}', created_at: 1, updated_at: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`insert into customer_search (customer_id, terms) values (${id}, array_to_tsvector(string_to_array(${terms}, ' ')))`.execute(conn.db);
    }
    await migrateToLatest(conn.db);
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await drop?.();
  });

  test('the terms are rebuilt from the documents and the GIN index is gone', async () => {
    const terms = await conn.db.selectFrom('customer_terms').select(['term', 'customer_id']).orderBy('customer_id').orderBy('term').execute();
    expect(terms.filter((t) => t.customer_id === 1).map((t) => t.term)).toEqual(['0001001', 'com', 'example', 'haddad', 'layla', 'ord']);
    expect(terms.filter((t) => t.customer_id === 2).map((t) => t.term)).toEqual(['71501234567', '971501234567', 'الزين', 'زين', 'ليلى']);
    expect(terms).toHaveLength(6 + 5 + 5);
    expect(await indexes()).toEqual(['customer_search_pkey']);
  });

  test('search finds customers indexed before the upgrade, and a re-index keeps terms and document in step', async () => {
    const ids = async (query: string) => (await searchCustomers(conn.db, query, 20, null)).items.map((c) => c.id);
    expect(await ids('lay had')).toEqual([1]);
    expect(await ids('زين')).toEqual([2]);
    expect(await ids('050 123')).toEqual([]);
    expect(await ids('9715')).toEqual([2]);
    expect(await ids('exa')).toEqual([1, 3]);
    await conn.db.updateTable('customers').set({ display_name: 'Layla Kaya' }).where('id', '=', 1).execute();
    await indexCustomers(conn.db, [1]);
    expect(await ids('haddad')).toEqual([]);
    expect(await ids('kaya')).toEqual([1]);
    const terms = await conn.db.selectFrom('customer_terms').select('term').where('customer_id', '=', 1).orderBy('term').execute();
    expect(terms.map((t) => t.term)).toEqual(['kaya', 'layla']);
  });

  test('down restores the GIN index and drops the terms; up rebuilds them', async () => {
    await migrateTo(conn.db, BEFORE);
    expect(await indexes()).toEqual(['customer_search_pkey', 'customer_search_terms']);
    const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'customer_terms'`.execute(conn.db);
    expect(tables.rows[0]!.n).toBe(0);
    await migrateToLatest(conn.db);
    expect(await conn.db.selectFrom('customer_terms').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 2 + 5 + 5 });
  });
});
