import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. It runs on SQLite and PostgreSQL.
//
// Issue 7 (one customer across channels):
// 1. `customer_match_keys`: order- and script-free keys of each customer's name ("n:ali muhammad",
//    "p:ali|k") and company e-mail domains ("d:acme.com"). Suggestions look candidates up by key
//    (a primary-key range), never by scanning customers.
// 2. `customer_search`: one search document per customer (folded name words, identities, order
//    numbers, note text). SQLite: an FTS5 table (contentless: the text lives in the real tables;
//    prefix indexes for 2- and 3-letter queries). PostgreSQL: a tsvector with a GIN index, queried
//    with prefix lexemes ('lay':*). Both are filled by api/modules/customers/search-index.ts.
//    PostgreSQL full text is core (no extension), so no pg_trgm and no fallback path are needed.
// 3. `merges`: what each merge moved, so an unmerge restores both customers exactly.

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('customer_match_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_match_keys_pk', ['key', 'customer_id'])
    // SQLite: the primary key is the table (one b-tree, not a rowid table plus an index).
    .$call((b) => (isPg ? b : b.modifyEnd(sql`without rowid`)))
    .execute();
  await db.schema.createIndex('customer_match_keys_customer').on('customer_match_keys').column('customer_id').execute();

  if (isPg) {
    await db.schema
      .createTable('customer_search')
      .addColumn('customer_id', 'integer', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
      .addColumn('terms', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`create index customer_search_terms on customer_search using gin (terms)`.execute(db);
  } else {
    await sql`create virtual table customer_search using fts5(
      terms, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
    )`.execute(db);
  }

  await db.schema
    .createTable('merges')
    .addColumn('id', isPg ? 'serial' : 'integer', (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    // No foreign keys: the merged customer's row is gone until an unmerge puts it back, and a
    // survivor merged into someone else later must keep its own merge records (undone in order).
    // Erasing a customer deletes the records naming them (customers.service.ts).
    .addColumn('survivor_id', 'integer', (c) => c.notNull())
    .addColumn('merged_id', 'integer', (c) => c.notNull())
    .addColumn('merged_customer', 'text', (c) => c.notNull())
    .addColumn('moved', 'text', (c) => c.notNull())
    .addColumn('survivor_updated_at', 'bigint', (c) => c.notNull())
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('merged_at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .addColumn('undone_by_agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('merges_survivor').on('merges').columns(['survivor_id', 'merged_at']).execute();
  await db.schema.createIndex('merges_merged').on('merges').column('merged_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('merges').ifExists().execute();
  await db.schema.dropTable('customer_search').ifExists().execute();
  await db.schema.dropTable('customer_match_keys').ifExists().execute();
}
