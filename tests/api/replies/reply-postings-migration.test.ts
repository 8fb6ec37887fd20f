// The PostgreSQL reply index moved from a tsvector column with a GIN index to a (term, history id)
// table (migration 2026_12_07_040000_reply_postings, issue 22's suggestion speed). A team
// upgrading keeps its history: the postings are rebuilt from the old column, suggestions find the
// old replies, and the migration goes back down to the column it replaced.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect, type Db } from '../../../api/db/connection';
import { migrateTo, migrateToLatest } from '../../../api/db/migrate';
import { suggestReplies } from '../../../api/modules/replies/replies.history';
import { createPostgresDatabase, dbKinds } from '../test-db';

describe.runIf(dbKinds.includes('postgres'))('reply postings migration on postgres', () => {
  let conn: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    conn = connect({ databaseUrl: database.url });
    await migrateTo(conn.db, '2026_12_03_150000_create_reply_variants_and_history');
    // History as the previous schema stored it: the folded words in a tsvector.
    const rows: [string, string, string][] = [
      ['where is my parcel, tracking stuck', 'Your parcel is with the courier.', 'where parcel tracking stuck track'],
      ['charged twice for one order', 'The second charge is a hold.', 'charged twice one order charg'],
    ];
    for (const [incoming, reply, terms] of rows) {
      await sql`insert into reply_history (channel, language, incoming, reply, source, used_at, terms)
        values ('email', 'en', ${incoming}, ${reply}, 'logged', 1, array_to_tsvector(string_to_array(${terms}, ' ')))`.execute(conn.db);
    }
    await sql`insert into reply_terms (term, df) values ('', 2), ('parcel', 1), ('tracking', 1), ('charged', 1), ('twice', 1)`.execute(conn.db);
    await migrateToLatest(conn.db);
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await drop?.();
  });

  test('the postings are rebuilt from the old column and the old column is gone', async () => {
    const postings = await conn.db.selectFrom('reply_postings').select(['term', 'history_id']).orderBy('history_id').orderBy('term').execute();
    expect(postings.filter((p) => p.history_id === 1).map((p) => p.term)).toEqual(['parcel', 'stuck', 'track', 'tracking', 'where']);
    expect(postings.filter((p) => p.history_id === 2)).toHaveLength(5);
    const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'reply_history'`.execute(conn.db);
    expect(columns.rows.map((c) => c.column_name)).not.toContain('terms');
  });

  test('suggestions find a reply recorded before the upgrade, and new replies go to the postings', async () => {
    const found = await suggestReplies(conn.db, { customerId: null, channel: 'email', incoming: 'Was charged twice??', language: 'en', limit: 3 }, []);
    expect(found[0]?.reply).toBe('The second charge is a hold.');
    const other = await suggestReplies(conn.db, { customerId: null, channel: 'email', incoming: 'my parcel tracking has been stuck', language: 'en', limit: 3 }, []);
    expect(other[0]?.reply).toBe('Your parcel is with the courier.');
  });

  test('down restores the tsvector column from the postings', async () => {
    await migrateTo(conn.db, '2026_12_03_150000_create_reply_variants_and_history');
    const restored = await sql<{ id: number; words: string[] }>`select id, tsvector_to_array(terms) as words from reply_history order by id`.execute(conn.db);
    expect(restored.rows[0]!.words.sort()).toEqual(['parcel', 'stuck', 'track', 'tracking', 'where']);
    await migrateToLatest(conn.db);
    expect(await conn.db.selectFrom('reply_postings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 10 });
  });
});
