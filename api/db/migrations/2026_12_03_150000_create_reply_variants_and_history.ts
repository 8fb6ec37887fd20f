import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. It runs on SQLite and PostgreSQL.
//
// Issue 22 (answer faster):
// 1. `reply_template_variants`: one body per language for a template (`;refund` in en, ar, fa,
//    tr). The template's own `body`/`language` stay its default variant.
// 2. `reply_history`: replies agents actually sent through Rafiq (an inserted template, a logged
//    reply, a resolved ticket's answer), each with the incoming message it answered. Suggested
//    replies are ranked by how close a new incoming message is to these.
// 3. Its search index over the folded words of the incoming message: SQLite FTS5 (contentless,
//    rowid = history id, ranked by bm25), PostgreSQL a tsvector column with a GIN index (ts_rank).
//    Words are folded in application code exactly as customer search folds them.
// 4. `reply_terms`: how many history messages hold each term (the empty term counts them all), so
//    the ranking weighs rare words over "order" and "hello" the same way on both databases.

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = isPg ? 'serial' : 'integer';
  const id = (c: any) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('reply_template_variants')
    .addColumn('id', idType, id)
    .addColumn('template_id', 'integer', (c) => c.notNull().references('reply_templates.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('reply_template_variants_template_language', ['template_id', 'language'])
    .execute();

  await db.schema
    .createTable('reply_history')
    .addColumn('id', idType, id)
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('template_id', 'integer', (c) => c.references('reply_templates.id').onDelete('set null'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('incoming', 'text', (c) => c.notNull())
    .addColumn('reply', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint', (c) => c.notNull())
    .$call((b) => (isPg ? b.addColumn('terms', sql`tsvector`, (c) => c.notNull()) : b))
    .execute();
  await db.schema.createIndex('reply_history_customer').on('reply_history').columns(['customer_id', 'used_at']).execute();
  // The baseline and "latest template of this channel": newest first per channel.
  await db.schema.createIndex('reply_history_channel').on('reply_history').columns(['channel', 'used_at']).execute();
  await db.schema
    .createTable('reply_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('df', 'integer', (c) => c.notNull())
    .execute();
  if (isPg) {
    await sql`create index reply_history_terms on reply_history using gin (terms)`.execute(db);
  } else {
    await sql`create virtual table reply_history_search using fts5(
      terms, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
    )`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reply_terms').ifExists().execute();
  await db.schema.dropTable('reply_history_search').ifExists().execute();
  await db.schema.dropTable('reply_history').ifExists().execute();
  await db.schema.dropTable('reply_template_variants').ifExists().execute();
}
