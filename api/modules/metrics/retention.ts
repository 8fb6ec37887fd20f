import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/connection';
import { SLOT_MS, rebuildZonePairs } from '../../db/migrations/2026_12_03_150000_create_zone_activity_rollups';
import { bucketIndexSql, localDayNumber, localDayStarts, startOfLocalDay, type BucketPlan } from './buckets';

/**
 * Customer retention (docs/metrics.md, "Retention" and "Rollups"): from the UTC-day rollup, a
 * zone's local-day rollup, or the raw interactions, all with the same answer.
 */

const b = (column: string, plan: BucketPlan) => bucketIndexSql(column, plan);

export interface RetentionFigures {
  /** Customers active in the period before the range, and of those, active again in the range. */
  previousActive: number;
  retained: number;
  /** Per bucket: customers active in it, and of those, active in the next bucket. */
  buckets: { bucket: number; active: number; retainedNext: number }[];
}

/**
 * Activity = an inbound interaction (a message, review, order, survey answer: the customer came to us).
 * When every boundary of the plan (previous period, buckets, end) is a UTC midnight, the answer
 * comes from the `activity_day_pairs` rollup; in any other zone from that zone's
 * `zone_activity_pairs` (registered and built on the zone's first request, see `ensureZoneRollup`);
 * from the interactions themselves only when neither can answer (a zone whose midnights are off the
 * 15-minute grid, a range outside the zone's calendar, more zones than `MAX_ZONES`). All give the
 * same numbers (docs/metrics.md, "Rollups"; tests/api/metrics/metrics-rollups.test.ts).
 */
export async function customerRetention(conn: Db, plan: BucketPlan): Promise<RetentionFigures> {
  if (dayAligned(plan)) return customerRetentionFromRollup(conn, plan);
  if (await ensureZoneRollup(conn, plan)) return customerRetentionFromZoneRollup(conn, plan);
  return customerRetentionFromInteractions(conn, plan);
}

const DAY_MS = 86_400_000;

/** Whether every instant that bounds the plan's periods is a UTC midnight (then whole UTC days map onto them exactly). */
export function dayAligned(plan: BucketPlan): boolean {
  return [plan.previousStart, plan.end, ...plan.starts].every((t) => Number.isSafeInteger(t) && t % DAY_MS === 0);
}

/**
 * Retention from the pairs rollup. A row (day, prev_day, n): n customers active on `day` whose
 * previous active day was `prev_day`. A customer is active in a period [a, b) of whole days exactly
 * once with prev_day < a (on their first day in it), so: active(bucket) = Σ n over days in the
 * bucket with prev_day before it; active in bucket b and in b + 1 = Σ n over days in b + 1 whose
 * prev_day is in b; range retention likewise with the previous period.
 */
export async function customerRetentionFromRollup(conn: Db, plan: BucketPlan): Promise<RetentionFigures> {
  if (!dayAligned(plan)) throw new Error('the activity rollup answers only for plans bounded by UTC midnights');
  const [p, s, e] = [plan.previousStart / DAY_MS, plan.start / DAY_MS, plan.end / DAY_MS];
  return retentionFromPairs(
    conn,
    sql`select day, prev_day, customers, ${b(`(cast(day as bigint) * ${DAY_MS})`, plan)} as bd, ${b(`(cast(prev_day as bigint) * ${DAY_MS})`, plan)} as bp
        from activity_day_pairs where day >= ${p} and day < ${e} and customers <> 0`,
    p,
    s,
  );
}

/** `pairs`: (day, prev_day, customers, bd = bucket of day, bp = bucket of prev_day) for days in [p, e); s = first day of the range. */
async function retentionFromPairs(conn: Db, pairs: RawBuilder<unknown>, p: number, s: number): Promise<RetentionFigures> {
  const { rows } = await sql<{ dim: 'total' | 'bucket'; k: string; active: number; retained: number }>`
    with r as (${pairs})
    select 'total' as dim, '' as k,
      coalesce(sum(case when day < ${s} and prev_day < ${p} then customers else 0 end), 0) as active,
      coalesce(sum(case when day >= ${s} and prev_day >= ${p} and prev_day < ${s} then customers else 0 end), 0) as retained
    from r
    union all
    select 'bucket', cast(bd as text),
      coalesce(sum(case when bp < bd then customers else 0 end), 0),
      coalesce(sum(case when bp = bd - 1 and bd >= 1 then customers else 0 end), 0)
    from r where bd >= 0 group by bd`.execute(conn.db);
  const total = rows.find((r) => r.dim === 'total');
  // The second column of bucket b counts customers of b who were active in b − 1: retainedNext of b − 1.
  const cameFromPrevious = new Map(rows.filter((r) => r.dim === 'bucket').map((r) => [Number(r.k), Number(r.retained)]));
  return {
    previousActive: Number(total?.active ?? 0),
    retained: Number(total?.retained ?? 0),
    buckets: rows
      .filter((r) => r.dim === 'bucket' && Number(r.active) > 0)
      .map((r) => ({ bucket: Number(r.k), active: Number(r.active), retainedNext: cameFromPrevious.get(Number(r.k) + 1) ?? 0 }))
      .sort((x, y) => x.bucket - y.bucket),
  };
}

/** Retention from the interactions (any plan, e.g. a zone whose midnights are not UTC midnights). */
export async function customerRetentionFromInteractions(conn: Db, plan: BucketPlan): Promise<RetentionFigures> {
  const { rows } = await sql<{ dim: 'total' | 'bucket'; k: string; active: number; retained: number }>`
    with act as (
      select distinct customer_id, ${b('occurred_at', plan)} as b
      from interactions where direction = 'inbound' and occurred_at >= ${plan.previousStart} and occurred_at < ${plan.end}
    ),
    seq as (select customer_id, b, lead(b) over (partition by customer_id order by b) as next_b from act),
    per_customer as (
      select customer_id, max(case when b = -1 then 1 else 0 end) as prev, max(case when b >= 0 then 1 else 0 end) as cur
      from act group by customer_id
    )
    select 'total' as dim, '' as k, coalesce(sum(prev), 0) as active, coalesce(sum(prev * cur), 0) as retained from per_customer
    union all
    select 'bucket', cast(b as text), count(*), coalesce(sum(case when next_b = b + 1 then 1 else 0 end), 0) from seq where b >= 0 group by b`.execute(conn.db);
  const total = rows.find((r) => r.dim === 'total');
  return {
    previousActive: Number(total?.active ?? 0),
    retained: Number(total?.retained ?? 0),
    buckets: rows
      .filter((r) => r.dim === 'bucket')
      .map((r) => ({ bucket: Number(r.k), active: Number(r.active), retainedNext: Number(r.retained) }))
      .sort((x, y) => x.bucket - y.bucket),
  };
}


// ---------------------------------------------------------------------------------------------
// Zone rollups
// ---------------------------------------------------------------------------------------------

/** The local days each registered zone's calendar covers: 2000-01-01 up to (not including) 2080-01-01. */
export const ZONE_FIRST_DAY = Date.UTC(2000, 0, 1) / DAY_MS;
export const ZONE_END_DAY = Date.UTC(2080, 0, 1) / DAY_MS;
/**
 * At most this many zones keep a rollup: each registered zone adds a few index lookups to every
 * inbound write, so a client asking for every zone on Earth must not slow the writes down forever.
 * Beyond it, other zones read the interactions (correct, slow at scale).
 */
export const MAX_ZONES = 12;

/** Per connection: zones known to be registered (true) or not servable (false). */
const known = new WeakMap<Db, Map<string, boolean>>();

/** Whether the plan's boundaries are local midnights of its zone inside the covered calendar, on the 15-minute grid. */
function zoneServes(plan: BucketPlan): boolean {
  const bounds = [plan.previousStart, plan.end, ...plan.starts];
  return bounds.every((t) => {
    if (!Number.isSafeInteger(t) || t % SLOT_MS !== 0) return false;
    const day = localDayNumber(plan.tz, t);
    return day >= ZONE_FIRST_DAY && day < ZONE_END_DAY && startOfLocalDay(plan.tz, day) === t;
  });
}

/**
 * Makes sure `plan.tz` has a rollup and says whether it can answer the plan. The first request in a
 * zone registers it: the zone's day starts for the covered calendar (worked out here with Intl) and
 * its pairs built from `customer_activity_slots`, in one transaction (seconds at millions of
 * interactions; on PostgreSQL inbound writes wait for it, so no write slips between the build and
 * the trigger taking over). Every later write keeps it through the triggers.
 */
export async function ensureZoneRollup(conn: Db, plan: BucketPlan): Promise<boolean> {
  if (!zoneServes(plan)) return false;
  const zone = plan.tz;
  let cache = known.get(conn);
  if (!cache) known.set(conn, (cache = new Map()));
  const cached = cache.get(zone);
  if (cached !== undefined) return cached;

  const registered = await conn.db.selectFrom('metrics_zones').select('zone').execute();
  if (registered.some((r) => r.zone === zone)) {
    cache.set(zone, true);
    return true;
  }
  if (registered.length >= MAX_ZONES) return false;

  const starts: { zone: string; day: number; start_slot: number }[] = [];
  const dayStarts = localDayStarts(zone, ZONE_FIRST_DAY, ZONE_END_DAY);
  for (let day = ZONE_FIRST_DAY; day <= ZONE_END_DAY; day++) {
    const start = dayStarts[day - ZONE_FIRST_DAY]!;
    if (start % SLOT_MS !== 0) {
      // A midnight off the 15-minute grid (no zone has one in the covered years today): no rollup.
      cache.set(zone, false);
      return false;
    }
    starts.push({ zone, day, start_slot: start / SLOT_MS });
  }
  await conn.db.transaction().execute(async (trx) => {
    if (conn.kind === 'postgres') await sql`lock table customer_activity_slots in share mode`.execute(trx);
    const inserted = await trx.insertInto('metrics_zones').values({ zone }).onConflict((oc) => oc.doNothing()).returning('zone').execute();
    if (!inserted.length) return; // another process registered it meanwhile
    for (let i = 0; i < starts.length; i += 1000) await trx.insertInto('zone_days').values(starts.slice(i, i + 1000)).execute();
    await rebuildZonePairs(trx, zone);
  });
  cache.set(zone, true);
  return true;
}

/**
 * Retention from a zone's pairs: the UTC-day formula (`customerRetentionFromRollup`) over the
 * zone's local day numbers instead of UTC days.
 */
export async function customerRetentionFromZoneRollup(conn: Db, plan: BucketPlan): Promise<RetentionFigures> {
  if (!zoneServes(plan)) throw new Error(`the ${plan.tz} rollup cannot answer this range`);
  const day = (t: number) => localDayNumber(plan.tz, t);
  const [p, s, e] = [day(plan.previousStart), day(plan.start), day(plan.end)];
  const dayPlan: BucketPlan = { ...plan, starts: plan.starts.map(day) };
  return retentionFromPairs(
    conn,
    sql`select day, prev_day, customers, ${b('day', dayPlan)} as bd, ${b('prev_day', dayPlan)} as bp
        from zone_activity_pairs where zone = ${plan.tz} and day >= ${p} and day < ${e} and customers <> 0`,
    p,
    s,
  );
}

