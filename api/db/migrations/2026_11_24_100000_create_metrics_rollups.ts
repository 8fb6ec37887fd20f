import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. It runs on SQLite and PostgreSQL.
//
// Rollups and indexes that keep `metrics.summary` fast at millions of interactions
// (docs/metrics.md, "Rollups"). Every rollup is kept by database triggers, so every writer (the
// API, the demo seed, an import, a merge that moves interactions to another customer, a DBA's
// UPDATE) keeps it exact, and is backfilled here from the rows that exist already.
//
// 1. `customer_activity_days (customer_id, day, interactions)`: the UTC days (days since
//    1970-01-01, floored) on which a customer had at least one inbound interaction, with how many
//    (so a delete knows when the day empties). Kept by triggers on `interactions` (insert, delete,
//    update of customer_id / occurred_at / direction).
// 2. `activity_day_pairs (day, prev_day, customers)`: for each customer-day of (1), the customer's
//    previous active day (`-1000000000` = none): how many customers were active on `day` with
//    their previous activity on `prev_day`. Kept by triggers on (1). Retention over any range of
//    whole UTC days is then a sum over a table of at most days² rows, whatever the customer count:
//    a customer is active in [a, b) and was last active before `a` on `prev_day` exactly when
//    their first day in [a, b) has that `prev_day`.
// 3. Partial indexes for review response (the review and the public reply per ticket) and for
//    repeat purchase (orders that count as sold).

const DAY_MS = 86_400_000;
/** `prev_day` of a customer's first active day: before every real day. */
export const NO_PREVIOUS_DAY = -1_000_000_000;

/** Days since 1970-01-01 (UTC) of an epoch-ms expression, floored on both databases (`/` truncates). */
const dayOf = (expr: string) => `((${expr} - ((${expr} % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}) / ${DAY_MS})`;

/**
 * Rebuilds both rollups from `interactions`: the migration's backfill, and for bulk loaders that
 * bypass triggers (PostgreSQL with `session_replication_role = replica`). While it runs, the
 * pairs trigger on `customer_activity_days` is switched off (PostgreSQL) or, where it cannot be
 * (SQLite), it does the pairs itself and the bulk pairs insert is skipped.
 */
export async function rebuildActivityRollups(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const sqliteTriggers =
    !isPg &&
    (await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'trigger' and name = 'customer_activity_days_insert'`.execute(db))
      .rows[0]!.n > 0;
  if (isPg) await sql`alter table customer_activity_days disable trigger user`.execute(db);
  await sql`delete from customer_activity_days`.execute(db);
  await sql`delete from activity_day_pairs`.execute(db);
  await sql`insert into customer_activity_days (customer_id, day, interactions)
    select customer_id, day, count(*) from (
      select customer_id, ${sql.raw(dayOf('occurred_at'))} as day from interactions where direction = 'inbound'
    ) x group by customer_id, day`.execute(db);
  if (!sqliteTriggers) {
    await sql`insert into activity_day_pairs (day, prev_day, customers)
      select day, prev_day, count(*) from (
        select day, coalesce(lag(day) over (partition by customer_id order by day), ${NO_PREVIOUS_DAY}) as prev_day
        from customer_activity_days
      ) x group by day, prev_day`.execute(db);
  }
  if (isPg) await sql`alter table customer_activity_days enable trigger user`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('customer_activity_days')
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('interactions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_activity_days_pk', ['customer_id', 'day'])
    .execute();
  await db.schema
    .createTable('activity_day_pairs')
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('prev_day', 'integer', (c) => c.notNull())
    .addColumn('customers', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_day_pairs_pk', ['day', 'prev_day'])
    .execute();
  await rebuildActivityRollups(db);

  const newDay = sql.raw(dayOf('new.occurred_at'));
  const oldDay = sql.raw(dayOf('old.occurred_at'));
  const none = sql.raw(String(NO_PREVIOUS_DAY));
  if (isPg) {
    await sql`create or replace function rafiq_activity_from_interactions() returns trigger language plpgsql as $$
      begin
        if tg_op in ('DELETE', 'UPDATE') and old.direction = 'inbound' then
          update customer_activity_days set interactions = interactions - 1 where customer_id = old.customer_id and day = ${oldDay};
          delete from customer_activity_days where customer_id = old.customer_id and day = ${oldDay} and interactions <= 0;
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.direction = 'inbound' then
          insert into customer_activity_days (customer_id, day, interactions) values (new.customer_id, ${newDay}, 1)
            on conflict (customer_id, day) do update set interactions = customer_activity_days.interactions + 1;
        end if;
        return null;
      end
    $$`.execute(db);
    await sql`create or replace function rafiq_activity_pairs() returns trigger language plpgsql as $$
      declare
        c integer;
        d integer;
        p integer;
        nx integer;
      begin
        if tg_op = 'INSERT' then c := new.customer_id; d := new.day; else c := old.customer_id; d := old.day; end if;
        select coalesce(max(day), ${none}) into p from customer_activity_days where customer_id = c and day < d;
        select min(day) into nx from customer_activity_days where customer_id = c and day > d;
        if tg_op = 'INSERT' then
          insert into activity_day_pairs (day, prev_day, customers) values (d, p, 1)
            on conflict (day, prev_day) do update set customers = activity_day_pairs.customers + 1;
          if nx is not null then
            update activity_day_pairs set customers = customers - 1 where day = nx and prev_day = p;
            insert into activity_day_pairs (day, prev_day, customers) values (nx, d, 1)
              on conflict (day, prev_day) do update set customers = activity_day_pairs.customers + 1;
          end if;
        else
          update activity_day_pairs set customers = customers - 1 where day = d and prev_day = p;
          if nx is not null then
            update activity_day_pairs set customers = customers - 1 where day = nx and prev_day = d;
            insert into activity_day_pairs (day, prev_day, customers) values (nx, p, 1)
              on conflict (day, prev_day) do update set customers = activity_day_pairs.customers + 1;
          end if;
        end if;
        return null;
      end
    $$`.execute(db);
    await sql`create trigger interactions_activity_insert after insert on interactions for each row
      when (new.direction = 'inbound') execute function rafiq_activity_from_interactions()`.execute(db);
    await sql`create trigger interactions_activity_delete after delete on interactions for each row
      when (old.direction = 'inbound') execute function rafiq_activity_from_interactions()`.execute(db);
    await sql`create trigger interactions_activity_update after update of customer_id, occurred_at, direction on interactions for each row
      when ((old.direction = 'inbound' or new.direction = 'inbound')
        and (old.customer_id, old.occurred_at, old.direction) is distinct from (new.customer_id, new.occurred_at, new.direction))
      execute function rafiq_activity_from_interactions()`.execute(db);
    await sql`create trigger customer_activity_days_pairs after insert or delete on customer_activity_days for each row
      execute function rafiq_activity_pairs()`.execute(db);
  } else {
    const add = sql`insert into customer_activity_days (customer_id, day, interactions) values (new.customer_id, ${newDay}, 1)
        on conflict (customer_id, day) do update set interactions = interactions + 1;`;
    const remove = sql`update customer_activity_days set interactions = interactions - 1 where customer_id = old.customer_id and day = ${oldDay};
      delete from customer_activity_days where customer_id = old.customer_id and day = ${oldDay} and interactions <= 0;`;
    await sql`create trigger interactions_activity_insert after insert on interactions when new.direction = 'inbound' begin ${add} end`.execute(db);
    await sql`create trigger interactions_activity_delete after delete on interactions when old.direction = 'inbound' begin ${remove} end`.execute(db);
    // Old side first, then new: the day may be the same (a merge moves a row to another customer).
    await sql`create trigger interactions_activity_update_old after update of customer_id, occurred_at, direction on interactions
      when old.direction = 'inbound' and (old.customer_id <> new.customer_id or old.occurred_at <> new.occurred_at or new.direction <> 'inbound')
      begin ${remove} end`.execute(db);
    await sql`create trigger interactions_activity_update_new after update of customer_id, occurred_at, direction on interactions
      when new.direction = 'inbound' and (old.customer_id <> new.customer_id or old.occurred_at <> new.occurred_at or old.direction <> 'inbound')
      begin ${add} end`.execute(db);

    const prev = (c: string, d: string) =>
      sql.raw(`coalesce((select max(day) from customer_activity_days where customer_id = ${c} and day < ${d}), ${NO_PREVIOUS_DAY})`);
    const next = (c: string, d: string) => sql.raw(`(select min(day) from customer_activity_days where customer_id = ${c} and day > ${d})`);
    await sql`create trigger customer_activity_days_insert after insert on customer_activity_days begin
      insert into activity_day_pairs (day, prev_day, customers) values (new.day, ${prev('new.customer_id', 'new.day')}, 1)
        on conflict (day, prev_day) do update set customers = customers + 1;
      update activity_day_pairs set customers = customers - 1
        where day = ${next('new.customer_id', 'new.day')} and prev_day = ${prev('new.customer_id', 'new.day')};
      insert into activity_day_pairs (day, prev_day, customers)
        select nx, new.day, 1 from (select ${next('new.customer_id', 'new.day')} as nx) x where nx is not null
        on conflict (day, prev_day) do update set customers = customers + 1;
    end`.execute(db);
    await sql`create trigger customer_activity_days_delete after delete on customer_activity_days begin
      update activity_day_pairs set customers = customers - 1 where day = old.day and prev_day = ${prev('old.customer_id', 'old.day')};
      update activity_day_pairs set customers = customers - 1 where day = ${next('old.customer_id', 'old.day')} and prev_day = old.day;
      insert into activity_day_pairs (day, prev_day, customers)
        select nx, ${prev('old.customer_id', 'old.day')}, 1 from (select ${next('old.customer_id', 'old.day')} as nx) x where nx is not null
        on conflict (day, prev_day) do update set customers = customers + 1;
    end`.execute(db);
  }

  // Review response: the review behind a review ticket and its public reply, per ticket.
  await sql`create index interactions_ticket_review_posts on interactions (ticket_id, occurred_at)
    where channel = 'review' and direction = 'inbound' and ticket_id is not null`.execute(db);
  await sql`create index interactions_ticket_review_replies on interactions (ticket_id, occurred_at)
    where channel = 'review' and direction = 'outbound' and agent_id is not null and ticket_id is not null`.execute(db);
  // Repeat purchase: sold orders by customer (count up to a time) and by time (buyers in a range).
  await sql`create index orders_sold_customer on orders (customer_id, placed_at) where status not in ('cancelled', 'returned')`.execute(db);
  await sql`create index orders_sold_placed on orders (placed_at, customer_id) where status not in ('cancelled', 'returned')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const index of ['interactions_ticket_review_posts', 'interactions_ticket_review_replies', 'orders_sold_customer', 'orders_sold_placed']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  if (isPg) {
    for (const trigger of ['interactions_activity_insert', 'interactions_activity_delete', 'interactions_activity_update']) {
      await sql`drop trigger if exists ${sql.raw(trigger)} on interactions`.execute(db);
    }
    await sql`drop trigger if exists customer_activity_days_pairs on customer_activity_days`.execute(db);
    await sql`drop function if exists rafiq_activity_from_interactions()`.execute(db);
    await sql`drop function if exists rafiq_activity_pairs()`.execute(db);
  } else {
    for (const trigger of [
      'interactions_activity_insert',
      'interactions_activity_delete',
      'interactions_activity_update_old',
      'interactions_activity_update_new',
      'customer_activity_days_insert',
      'customer_activity_days_delete',
    ]) {
      await sql`drop trigger if exists ${sql.raw(trigger)}`.execute(db);
    }
  }
  await db.schema.dropTable('activity_day_pairs').ifExists().execute();
  await db.schema.dropTable('customer_activity_days').ifExists().execute();
}
