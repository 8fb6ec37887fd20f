import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. PostgreSQL only (SQLite keeps FTS5).
//
// Issue 20 (customers.search p99 ≤ 20 ms at 1M customers): the search was `terms @@ 'ord':* &
// '0012345':*` over a GIN index of the tsvector documents. GIN answers a prefix lexeme by
// collecting every matching entry into a bitmap before it can intersect or stop, so "ORD-0012345"
// read all million 'ord…' entries to find one customer, and a dense name prefix bitmap-scanned
// ~100k documents and sorted them to return the first 21. A plain (term, customer id) b-tree
// answers "how many hold a word starting with X" with a bounded range scan and "which ones" with
// the range itself, so the search starts from its rarest word (search-index.ts). The documents stay
// (each candidate is checked against its own tsvector, so results are exactly the old ones); their
// GIN index had no other reader and is dropped, which pays for the new rows on every write.
//
// No foreign key to customers: a cascade would need a second index on customer_id. The writers
// remove a customer's rows by the terms of its document (search-index.ts `unindexCustomers`),
// which both customer deletions (merge, erase) call before deleting.

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  // "C" collation: byte order, so a prefix is the range [w, w || U+10FFFF) on the primary key.
  await sql`create table customer_terms (term text collate "C" not null, customer_id integer not null)`.execute(db);
  await sql`insert into customer_terms (term, customer_id)
    select distinct unnest(tsvector_to_array(terms)), customer_id from customer_search`.execute(db);
  await sql`alter table customer_terms add constraint customer_terms_pk primary key (term, customer_id)`.execute(db);
  await sql`drop index if exists customer_search_terms`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create index if not exists customer_search_terms on customer_search using gin (terms)`.execute(db);
  await db.schema.dropTable('customer_terms').ifExists().execute();
}
