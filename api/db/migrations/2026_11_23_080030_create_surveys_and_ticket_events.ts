import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. It runs on SQLite and PostgreSQL.
//
// 1. `surveys`: one CSAT or NPS question per ticket, answered once through an unguessable link.
// 2. `ticket_events`: every status transition of a ticket, written by triggers on `tickets`, so
//    "reopened within N days" and "backlog at the end of a day" can be computed (the ticket row
//    only keeps its latest `resolved_at` and a reopen count). Triggers rather than application
//    code: every writer (router, seed, import, a DBA's UPDATE) is covered the same way.
// 3. Indexes the service metrics read by (docs/metrics.md).

const DONE = `('resolved', 'closed')`;

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = isPg ? 'serial' : 'integer';

  await db.schema
    .createTable('surveys')
    .addColumn('id', idType, (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    // 192 random bits, base64url: the link is the capability, so it is looked up by equality only.
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('scale', 'text', (c) => c.notNull().check(sql`scale in ('csat', 'nps')`))
    .addColumn('score', 'integer', (c) => c.check(sql`score between 0 and 10`))
    .addColumn('comment', 'text')
    .addColumn('locale', 'text')
    .addColumn('created_by_agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addUniqueConstraint('surveys_ticket_scale', ['ticket_id', 'scale'])
    .execute();
  await db.schema.createIndex('surveys_answered').on('surveys').columns(['answered_at', 'scale']).execute();
  await db.schema.createIndex('surveys_customer').on('surveys').columns(['customer_id', 'answered_at']).execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', idType, (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    // created | resolved (not done -> done) | reopened (done -> not done) | status (any other change)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    // +1 when the ticket joins the backlog (created, reopened), -1 when it leaves it (resolved).
    .addColumn('backlog_delta', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_events_at').on('ticket_events').columns(['at', 'backlog_delta']).execute();
  await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'kind', 'at']).execute();
  await sql`create index ticket_events_resolved on ticket_events (at, ticket_id) where kind = 'resolved'`.execute(db);

  // Backfill tickets that exist already (their reopen history before this migration is unknown).
  await sql`insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
    select id, created_at, 'created', null, case when status in ${sql.raw(DONE)} then 'open' else status end, 1 from tickets`.execute(db);
  await sql`insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
    select id, coalesce(resolved_at, updated_at), 'resolved', 'open', status, -1 from tickets where status in ${sql.raw(DONE)}`.execute(db);

  if (isPg) {
    await sql`create or replace function rafiq_ticket_events() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
            values (new.id, new.created_at, 'created', null, case when new.status in ${sql.raw(DONE)} then 'open' else new.status end, 1);
          if new.status in ${sql.raw(DONE)} then
            insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
              values (new.id, coalesce(new.resolved_at, new.updated_at), 'resolved', 'open', new.status, -1);
          end if;
        elsif old.status in ${sql.raw(DONE)} and new.status not in ${sql.raw(DONE)} then
          insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
            values (new.id, new.updated_at, 'reopened', old.status, new.status, 1);
        elsif old.status not in ${sql.raw(DONE)} and new.status in ${sql.raw(DONE)} then
          insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
            values (new.id, coalesce(new.resolved_at, new.updated_at), 'resolved', old.status, new.status, -1);
        else
          insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
            values (new.id, new.updated_at, 'status', old.status, new.status, 0);
        end if;
        return null;
      end
    $$`.execute(db);
    await sql`create trigger tickets_events_insert after insert on tickets for each row execute function rafiq_ticket_events()`.execute(db);
    await sql`create trigger tickets_events_update after update of status on tickets for each row
      when (old.status is distinct from new.status) execute function rafiq_ticket_events()`.execute(db);
  } else {
    await sql`create trigger tickets_events_insert after insert on tickets begin
      insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
        values (new.id, new.created_at, 'created', null, case when new.status in ${sql.raw(DONE)} then 'open' else new.status end, 1);
      insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
        select new.id, coalesce(new.resolved_at, new.updated_at), 'resolved', 'open', new.status, -1 where new.status in ${sql.raw(DONE)};
    end`.execute(db);
    await sql`create trigger tickets_events_update after update of status on tickets when old.status <> new.status begin
      insert into ticket_events (ticket_id, at, kind, from_status, to_status, backlog_delta)
        values (
          new.id,
          case when old.status not in ${sql.raw(DONE)} and new.status in ${sql.raw(DONE)} then coalesce(new.resolved_at, new.updated_at) else new.updated_at end,
          case
            when old.status in ${sql.raw(DONE)} and new.status not in ${sql.raw(DONE)} then 'reopened'
            when old.status not in ${sql.raw(DONE)} and new.status in ${sql.raw(DONE)} then 'resolved'
            else 'status'
          end,
          old.status,
          new.status,
          case
            when old.status in ${sql.raw(DONE)} and new.status not in ${sql.raw(DONE)} then 1
            when old.status not in ${sql.raw(DONE)} and new.status in ${sql.raw(DONE)} then -1
            else 0
          end
        );
    end`.execute(db);
  }

  // Metrics read paths (docs/metrics.md): tickets by creation / resolution time, review tickets,
  // an agent's replies on a ticket, inbound activity per customer (retention), orders by time.
  await db.schema.createIndex('tickets_created').on('tickets').columns(['created_at']).execute();
  await db.schema.createIndex('tickets_resolved').on('tickets').columns(['resolved_at']).execute();
  await db.schema.createIndex('tickets_channel_created').on('tickets').columns(['channel', 'created_at']).execute();
  await sql`create index interactions_ticket_replies on interactions (ticket_id, occurred_at)
    where direction = 'outbound' and agent_id is not null and ticket_id is not null`.execute(db);
  await sql`create index interactions_inbound_time on interactions (occurred_at, customer_id)
    where direction = 'inbound'`.execute(db);
  await db.schema.createIndex('orders_placed').on('orders').columns(['placed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const index of ['tickets_created', 'tickets_resolved', 'tickets_channel_created', 'interactions_ticket_replies', 'interactions_inbound_time', 'orders_placed']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  if (isPg) {
    await sql`drop trigger if exists tickets_events_insert on tickets`.execute(db);
    await sql`drop trigger if exists tickets_events_update on tickets`.execute(db);
    await sql`drop function if exists rafiq_ticket_events()`.execute(db);
  } else {
    await sql`drop trigger if exists tickets_events_insert`.execute(db);
    await sql`drop trigger if exists tickets_events_update`.execute(db);
  }
  await db.schema.dropTable('ticket_events').ifExists().execute();
  await db.schema.dropTable('surveys').ifExists().execute();
}
