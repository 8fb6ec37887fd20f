import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. It runs on SQLite and PostgreSQL.
//
// Retention in every time zone (docs/metrics.md, "Rollups"). The UTC rollup of
// 2026_11_24_100000 counts whole UTC days, so a team in Tehran (UTC+03:30) or Kathmandu
// (UTC+05:45), or any zone with daylight saving, had to read the raw interactions. Every zone's
// local midnights fall on the 15-minute grid of UTC (the zone tables give no offset that is not a
// multiple of 15 minutes from 2000 on; the API checks every day it writes), so:
//
// 1. `customer_activity_slots (customer_id, slot, interactions)`: the 15-minute UTC slots
//    (`floor(occurred_at / 900000)`) in which a customer had an inbound interaction, with how many.
//    Kept by triggers on `interactions`, like `customer_activity_days`. Counting increments commute,
//    so a statement that moves many rows at once (a merge) keeps it exact on both databases.
// 2. `metrics_zones (zone)` and `zone_days (zone, day, start_slot)`: the zones a dashboard has
//    asked for, and for each the slot where each local calendar day starts (written by the API,
//    which knows the zone rules; SQLite knows none).
// 3. `zone_activity_pairs (zone, day, prev_day, customers)`: the `activity_day_pairs` of each
//    registered zone in its local days. Kept by triggers on (1): when a customer's slot appears or
//    disappears and it is the only one of its local day, the day's pair and the next active day's
//    pair change. Retention in that zone is then a sum over at most days² rows.

/** 15 minutes: every current zone offset is a multiple of it. */
export const SLOT_MS = 900_000;
/** `prev_day` of a customer's first active day in a zone: before every real day. */
export const NO_PREVIOUS_DAY = -1_000_000_000;

const slotOf = (expr: string) => `((${expr} - ((${expr} % ${SLOT_MS}) + ${SLOT_MS}) % ${SLOT_MS}) / ${SLOT_MS})`;

/** The local day of slot `s` in zone `z` (SQL expressions), null before the zone's first day. */
const dayOfSlot = (z: string, s: string) =>
  `(select y.day from zone_days y where y.zone = ${z} and y.start_slot <= ${s} order by y.start_slot desc limit 1)`;

/**
 * Rebuilds `customer_activity_slots` from `interactions`, and the pairs of every registered zone
 * from it (the migration's backfill; bulk loaders that bypass triggers). While it runs the pairs
 * trigger is switched off (PostgreSQL) or has no zone to serve (SQLite: zones are re-registered).
 */
export async function rebuildActivitySlots(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const zones = (await sql<{ zone: string }>`select zone from metrics_zones`.execute(db)).rows.map((r) => r.zone);
  if (isPg) await sql`alter table customer_activity_slots disable trigger user`.execute(db);
  // SQLite cannot disable triggers: with no zone registered, the pairs trigger does nothing.
  const savedZones = isPg ? [] : zones;
  if (!isPg) await sql`delete from metrics_zones`.execute(db);
  await sql`delete from customer_activity_slots`.execute(db);
  await sql`insert into customer_activity_slots (customer_id, slot, interactions)
    select customer_id, slot, count(*) from (
      select customer_id, ${sql.raw(slotOf('occurred_at'))} as slot from interactions where direction = 'inbound'
    ) x group by customer_id, slot`.execute(db);
  for (const zone of savedZones) await sql`insert into metrics_zones (zone) values (${zone})`.execute(db);
  if (isPg) await sql`alter table customer_activity_slots enable trigger user`.execute(db);
  for (const zone of zones) await rebuildZonePairs(db, zone);
}

/**
 * Recomputes one registered zone's pairs from `customer_activity_slots` and its `zone_days`. The
 * local day is looked up once per distinct slot (thousands), not once per customer slot (millions);
 * the customer's slots are then read in key order, and the first slot of each local day (its day
 * differs from the previous slot's) counts with the previous slot's day as `prev_day`.
 */
export async function rebuildZonePairs(db: Kysely<any>, zone: string): Promise<void> {
  await sql`delete from zone_activity_pairs where zone = ${zone}`.execute(db);
  await sql`insert into zone_activity_pairs (zone, day, prev_day, customers)
    with slot_days as (
      select s.slot, ${sql.raw(dayOfSlot('z.zone', 's.slot'))} as day
      from (select distinct slot from customer_activity_slots) s, (select ${zone} as zone) z
    ),
    seq as (
      select a.customer_id, m.day, lag(m.day) over (partition by a.customer_id order by a.slot) as prev
      from customer_activity_slots a join slot_days m on m.slot = a.slot
      where m.day is not null
    )
    select ${zone}, day, coalesce(prev, ${sql.raw(String(NO_PREVIOUS_DAY))}) as prev_day, count(*) from seq
    where prev is null or prev <> day
    group by day, coalesce(prev, ${sql.raw(String(NO_PREVIOUS_DAY))})`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('customer_activity_slots')
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('interactions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_activity_slots_pk', ['customer_id', 'slot'])
    .execute();
  await db.schema.createTable('metrics_zones').addColumn('zone', 'text', (c) => c.primaryKey()).execute();
  await db.schema
    .createTable('zone_days')
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('start_slot', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('zone_days_pk', ['zone', 'day'])
    .execute();
  await db.schema.createIndex('zone_days_start').on('zone_days').columns(['zone', 'start_slot', 'day']).execute();
  await db.schema
    .createTable('zone_activity_pairs')
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('prev_day', 'integer', (c) => c.notNull())
    .addColumn('customers', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('zone_activity_pairs_pk', ['zone', 'day', 'prev_day'])
    .execute();
  await rebuildActivitySlots(db);

  const newSlot = sql.raw(slotOf('new.occurred_at'));
  const oldSlot = sql.raw(slotOf('old.occurred_at'));
  const none = sql.raw(String(NO_PREVIOUS_DAY));
  if (isPg) {
    await sql`create or replace function rafiq_slots_from_interactions() returns trigger language plpgsql as $$
      begin
        if tg_op in ('DELETE', 'UPDATE') and old.direction = 'inbound' then
          update customer_activity_slots set interactions = interactions - 1 where customer_id = old.customer_id and slot = ${oldSlot};
          delete from customer_activity_slots where customer_id = old.customer_id and slot = ${oldSlot} and interactions <= 0;
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.direction = 'inbound' then
          insert into customer_activity_slots (customer_id, slot, interactions) values (new.customer_id, ${newSlot}, 1)
            on conflict (customer_id, slot) do update set interactions = customer_activity_slots.interactions + 1;
        end if;
        return null;
      end
    $$`.execute(db);
    // For each registered zone: the slot's local day [ds, de); if no other slot of the customer is
    // in it, the day appeared (insert) or disappeared (delete) and the pairs around it change.
    await sql`create or replace function rafiq_zone_pairs() returns trigger language plpgsql as $$
      declare
        z record;
        c integer;
        s integer;
        d integer;
        ds integer;
        de integer;
        p integer;
        nx integer;
        sign integer;
      begin
        if tg_op = 'INSERT' then c := new.customer_id; s := new.slot; sign := 1; else c := old.customer_id; s := old.slot; sign := -1; end if;
        for z in select zone from metrics_zones loop
          d := null;
          select y.day, y.start_slot into d, ds from zone_days y where y.zone = z.zone and y.start_slot <= s order by y.start_slot desc limit 1;
          continue when d is null;
          de := (select y.start_slot from zone_days y where y.zone = z.zone and y.day = d + 1);
          continue when de is null;
          continue when exists (select 1 from customer_activity_slots a where a.customer_id = c and a.slot >= ds and a.slot < de and a.slot <> s);
          p := coalesce(${sql.raw(dayOfSlot('z.zone', '(select max(a.slot) from customer_activity_slots a where a.customer_id = c and a.slot < ds)'))}, ${none});
          nx := ${sql.raw(dayOfSlot('z.zone', '(select min(a.slot) from customer_activity_slots a where a.customer_id = c and a.slot >= de)'))};
          insert into zone_activity_pairs (zone, day, prev_day, customers) values (z.zone, d, p, sign)
            on conflict (zone, day, prev_day) do update set customers = zone_activity_pairs.customers + excluded.customers;
          if nx is not null then
            insert into zone_activity_pairs (zone, day, prev_day, customers) values (z.zone, nx, p, -sign)
              on conflict (zone, day, prev_day) do update set customers = zone_activity_pairs.customers + excluded.customers;
            insert into zone_activity_pairs (zone, day, prev_day, customers) values (z.zone, nx, d, sign)
              on conflict (zone, day, prev_day) do update set customers = zone_activity_pairs.customers + excluded.customers;
          end if;
        end loop;
        return null;
      end
    $$`.execute(db);
    await sql`create trigger interactions_slots_insert after insert on interactions for each row
      when (new.direction = 'inbound') execute function rafiq_slots_from_interactions()`.execute(db);
    await sql`create trigger interactions_slots_delete after delete on interactions for each row
      when (old.direction = 'inbound') execute function rafiq_slots_from_interactions()`.execute(db);
    await sql`create trigger interactions_slots_update after update of customer_id, occurred_at, direction on interactions for each row
      when ((old.direction = 'inbound' or new.direction = 'inbound')
        and (old.customer_id, old.occurred_at, old.direction) is distinct from (new.customer_id, new.occurred_at, new.direction))
      execute function rafiq_slots_from_interactions()`.execute(db);
    await sql`create trigger customer_activity_slots_pairs after insert or delete on customer_activity_slots for each row
      execute function rafiq_zone_pairs()`.execute(db);
  } else {
    const add = sql`insert into customer_activity_slots (customer_id, slot, interactions) values (new.customer_id, ${newSlot}, 1)
        on conflict (customer_id, slot) do update set interactions = interactions + 1;`;
    const remove = sql`update customer_activity_slots set interactions = interactions - 1 where customer_id = old.customer_id and slot = ${oldSlot};
      delete from customer_activity_slots where customer_id = old.customer_id and slot = ${oldSlot} and interactions <= 0;`;
    await sql`create trigger interactions_slots_insert after insert on interactions when new.direction = 'inbound' begin ${add} end`.execute(db);
    await sql`create trigger interactions_slots_delete after delete on interactions when old.direction = 'inbound' begin ${remove} end`.execute(db);
    await sql`create trigger interactions_slots_update_old after update of customer_id, occurred_at, direction on interactions
      when old.direction = 'inbound' and (old.customer_id <> new.customer_id or old.occurred_at <> new.occurred_at or new.direction <> 'inbound')
      begin ${remove} end`.execute(db);
    await sql`create trigger interactions_slots_update_new after update of customer_id, occurred_at, direction on interactions
      when new.direction = 'inbound' and (old.customer_id <> new.customer_id or old.occurred_at <> new.occurred_at or old.direction <> 'inbound')
      begin ${add} end`.execute(db);

    // SQLite triggers have no variables: each registered zone's (day, prev, next) for the slot is
    // computed once into a work table, applied to the pairs, and the work table is emptied again.
    await db.schema
      .createTable('zone_activity_work')
      .addColumn('zone', 'text', (c) => c.notNull())
      .addColumn('d', 'integer', (c) => c.notNull())
      .addColumn('p', 'integer', (c) => c.notNull())
      .addColumn('nx', 'integer')
      .execute();
    const work = (row: 'new' | 'old') => {
      const c = `${row}.customer_id`;
      const s = `${row}.slot`;
      return sql.raw(`insert into zone_activity_work (zone, d, p, nx)
        select zone, d,
          coalesce(${dayOfSlot('x1.zone', `(select max(a.slot) from customer_activity_slots a where a.customer_id = ${c} and a.slot < x1.ds)`)}, ${NO_PREVIOUS_DAY}),
          ${dayOfSlot('x1.zone', `(select min(a.slot) from customer_activity_slots a where a.customer_id = ${c} and a.slot >= x1.de)`)}
        from (
          select x0.zone, x0.d,
            (select y.start_slot from zone_days y where y.zone = x0.zone and y.day = x0.d) as ds,
            (select y.start_slot from zone_days y where y.zone = x0.zone and y.day = x0.d + 1) as de
          from (select z.zone, ${dayOfSlot('z.zone', s)} as d from metrics_zones z) x0
          where x0.d is not null
        ) x1
        where x1.de is not null
          and not exists (select 1 from customer_activity_slots a where a.customer_id = ${c} and a.slot >= x1.ds and a.slot < x1.de and a.slot <> ${s});`);
    };
    const apply = (sign: 1 | -1) =>
      sql.raw(`insert into zone_activity_pairs (zone, day, prev_day, customers) select zone, d, p, ${sign} from zone_activity_work where true
          on conflict (zone, day, prev_day) do update set customers = customers + excluded.customers;
        insert into zone_activity_pairs (zone, day, prev_day, customers) select zone, nx, p, ${-sign} from zone_activity_work where nx is not null
          on conflict (zone, day, prev_day) do update set customers = customers + excluded.customers;
        insert into zone_activity_pairs (zone, day, prev_day, customers) select zone, nx, d, ${sign} from zone_activity_work where nx is not null
          on conflict (zone, day, prev_day) do update set customers = customers + excluded.customers;
        delete from zone_activity_work;`);
    await sql`create trigger customer_activity_slots_insert after insert on customer_activity_slots
      when exists (select 1 from metrics_zones) begin ${work('new')} ${apply(1)} end`.execute(db);
    await sql`create trigger customer_activity_slots_delete after delete on customer_activity_slots
      when exists (select 1 from metrics_zones) begin ${work('old')} ${apply(-1)} end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (isPg) {
    for (const trigger of ['interactions_slots_insert', 'interactions_slots_delete', 'interactions_slots_update']) {
      await sql`drop trigger if exists ${sql.raw(trigger)} on interactions`.execute(db);
    }
    await sql`drop trigger if exists customer_activity_slots_pairs on customer_activity_slots`.execute(db);
    await sql`drop function if exists rafiq_slots_from_interactions()`.execute(db);
    await sql`drop function if exists rafiq_zone_pairs()`.execute(db);
  } else {
    for (const trigger of [
      'interactions_slots_insert',
      'interactions_slots_delete',
      'interactions_slots_update_old',
      'interactions_slots_update_new',
      'customer_activity_slots_insert',
      'customer_activity_slots_delete',
    ]) {
      await sql`drop trigger if exists ${sql.raw(trigger)}`.execute(db);
    }
    await db.schema.dropTable('zone_activity_work').ifExists().execute();
  }
  for (const table of ['zone_activity_pairs', 'zone_days', 'metrics_zones', 'customer_activity_slots']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
