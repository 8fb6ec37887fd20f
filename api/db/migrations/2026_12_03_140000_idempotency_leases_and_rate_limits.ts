import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: no imports from api/modules. Runs on SQLite and PostgreSQL (issue 18, issue 20).
export async function up(db: Kysely<any>): Promise<void> {
  // A key being answered is leased until `locked_until` (epoch ms), renewed while its request
  // runs; a key whose holder died (SIGKILL) is taken over by the next attempt after the lease
  // ends. Rows written before this migration have none: they are taken over at once.
  await db.schema.alterTable('idempotency_keys').addColumn('locked_until', 'bigint').execute();

  // Token buckets of the rate limit, shared by every API process on one database.
  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_buckets_updated').on('rate_limit_buckets').column('updated_at').execute();

  // PostgreSQL: every process caches verified tokens for a few seconds; a revocation (or any
  // change to a token) is announced on channel `rafiq_tokens`, whoever made it (API, CLI, psql),
  // and each process drops that token from its cache at once.
  if (isPostgres(db)) {
    await sql`
      create or replace function rafiq_notify_token_change() returns trigger language plpgsql as $$
      begin
        perform pg_notify('rafiq_tokens', coalesce(new.token_hash, old.token_hash));
        return null;
      end $$`.execute(db);
    await sql`
      create trigger api_tokens_notify after update or delete on api_tokens
      for each row execute function rafiq_notify_token_change()`.execute(db);
    // A changed agent (role) must not be served from a cache either.
    await sql`
      create or replace function rafiq_notify_agent_change() returns trigger language plpgsql as $$
      begin
        perform pg_notify('rafiq_tokens', '*');
        return null;
      end $$`.execute(db);
    await sql`create trigger agents_notify after update or delete on agents for each row execute function rafiq_notify_agent_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists api_tokens_notify on api_tokens`.execute(db);
    await sql`drop trigger if exists agents_notify on agents`.execute(db);
    await sql`drop function if exists rafiq_notify_token_change()`.execute(db);
    await sql`drop function if exists rafiq_notify_agent_change()`.execute(db);
  }
  await db.schema.dropTable('rate_limit_buckets').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('locked_until').execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
