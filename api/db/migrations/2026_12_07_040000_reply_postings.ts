import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. PostgreSQL only (SQLite keeps FTS5).
//
// Issue 22 (suggestion p95 < 150 ms at 100k history rows): suggestions read, for each of the
// message's words, the ids of the most recent history messages holding it. Through the GIN index
// on `reply_history.terms` that meant a bitmap heap scan over every message holding the word
// ("order" in a third of them) before the newest few thousand could be kept: ~90 ms of a
// suggestion at 100k. A plain (term, history id) table answers "newest N holding this word" from
// its primary key, in order, reading only N entries. It replaces the tsvector column and its GIN
// index (nothing else read them).

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.schema
    .createTable('reply_postings')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('history_id', 'integer', (c) => c.notNull().references('reply_history.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('reply_postings_pk', ['term', 'history_id'])
    .execute();
  await sql`insert into reply_postings (term, history_id)
    select distinct unnest(tsvector_to_array(terms)), id from reply_history`.execute(db);
  await sql`drop index if exists reply_history_terms`.execute(db);
  await db.schema.alterTable('reply_history').dropColumn('terms').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table reply_history add column terms tsvector not null default ''::tsvector`.execute(db);
  await sql`update reply_history h set terms = array_to_tsvector(array(select p.term from reply_postings p where p.history_id = h.id))`.execute(db);
  await sql`create index reply_history_terms on reply_history using gin (terms)`.execute(db);
  await db.schema.dropTable('reply_postings').ifExists().execute();
}
