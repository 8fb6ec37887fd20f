import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { localDayStarts, planBuckets, startOfLocalDay } from '../../../api/modules/metrics/buckets';
import {
  customerRetention,
  customerRetentionFromInteractions,
  customerRetentionFromRollup,
  customerRetentionFromZoneRollup,
  dayAligned,
} from '../../../api/modules/metrics/metrics.repository';
import { ensureZoneRollup } from '../../../api/modules/metrics/retention';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

/**
 * The activity rollups (migration 2026_11_24_100000) are kept by triggers on `interactions`.
 * Property: after any sequence of inserts, deletes, merges (all interactions of one customer moved
 * to another, as customers.merge does) and edits of time or direction, (1) the rollup tables equal
 * a rebuild from the interactions and (2) retention read from the rollup equals retention computed
 * from the raw interactions, for random day-aligned ranges and groupings.
 *
 * The zone rollups (migration 2026_12_03_150000) likewise: 15-minute activity slots and, per
 * registered zone, local-day pairs. Zones: Tehran (+03:30), Kathmandu (+05:45) and New York, whose
 * clocks move on 2026-03-08 inside the generated data (a 23-hour day). Property: after random writes
 * the slot table and each zone's pairs equal a rebuild, and retention from the zone rollup equals
 * the raw query for random ranges in each zone; a zone registered after the writes (Kolkata) is
 * built equal to the raw query too.
 */
const ZONES = ['Asia/Tehran', 'Asia/Kathmandu', 'America/New_York'] as const;
const SLOT = 900_000;

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const CUSTOMERS = 4;

type Op =
  | { op: 'insert'; customer: number; minute: number; inbound: boolean }
  | { op: 'delete'; pick: number }
  | { op: 'merge'; from: number; to: number }
  | { op: 'move'; pick: number; minute: number }
  | { op: 'flip'; pick: number };

// Minutes over 40 days starting 10 days before T0 (so some activity is before 1970-relative day boundaries of the ranges).
const minute = fc.integer({ min: -10 * 1440, max: 30 * 1440 - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), customer: fc.integer({ min: 0, max: CUSTOMERS - 1 }), minute, inbound: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('merge' as const), from: fc.integer({ min: 0, max: CUSTOMERS - 1 }), to: fc.integer({ min: 0, max: CUSTOMERS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), pick: fc.nat(), minute }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('flip' as const), pick: fc.nat() }) },
);
const rangeArb = fc.record({
  fromDay: fc.integer({ min: -8, max: 25 }),
  days: fc.integer({ min: 1, max: 40 }),
  groupBy: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
});
const iso = (day: number) => new Date(T0 + day * DAY).toISOString().slice(0, 10);

test('the zone calendar (localDayStarts) equals startOfLocalDay day by day, across daylight-saving changes', () => {
  const first = Date.UTC(2024, 0, 1) / DAY;
  const last = Date.UTC(2027, 0, 1) / DAY;
  for (const tz of [...ZONES, 'Australia/Lord_Howe', 'America/Santiago', 'Africa/Casablanca', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    const fast = localDayStarts(tz, first, last);
    const slow = Array.from({ length: last - first + 1 }, (_, i) => startOfLocalDay(tz, first + i));
    expect(fast, tz).toEqual(slow);
  }
});

describe.each(dbKinds)('metrics rollups on %s', (kind) => {
  let testDb: TestDb;
  const customerIds: number[] = [];

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    for (let i = 0; i < CUSTOMERS; i++) {
      const row = await testDb.conn.db
        .insertInto('customers')
        .values({ display_name: `C${i}`, name_folded: `c${i}`, company: null, locale: null, tags: '[]', custom_fields: '{}', created_at: T0, updated_at: T0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      customerIds.push(Number(row.id));
    }
    // Register the zones before any write, so their pairs are kept by the triggers from the start.
    for (const tz of ZONES) {
      expect(await ensureZoneRollup(testDb.conn, planBuckets({ from: '2026-03-02', to: '2026-03-08', groupBy: 'day', tz }))).toBe(true);
    }
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  async function apply(ops: Op[]): Promise<void> {
    const db = testDb.conn.db;
    let n = 0;
    const ids = async () => (await db.selectFrom('interactions').select('id').orderBy('id').execute()).map((r) => Number(r.id));
    for (const op of ops) {
      if (op.op === 'insert') {
        const at = T0 + op.minute * 60_000;
        await db
          .insertInto('interactions')
          .values({
            customer_id: customerIds[op.customer]!,
            channel: 'email',
            direction: op.inbound ? 'inbound' : 'outbound',
            occurred_at: at,
            summary: `m${n++}`,
            excerpt: null,
            url: null,
            external_id: null,
            agent_id: null,
            ticket_id: null,
            created_at: at,
          })
          .execute();
      } else if (op.op === 'merge') {
        await db.updateTable('interactions').set({ customer_id: customerIds[op.to]! }).where('customer_id', '=', customerIds[op.from]!).execute();
      } else {
        const all = await ids();
        if (!all.length) continue;
        const id = all[op.pick % all.length]!;
        if (op.op === 'delete') await db.deleteFrom('interactions').where('id', '=', id).execute();
        else if (op.op === 'move') await db.updateTable('interactions').set({ occurred_at: T0 + op.minute * 60_000 }).where('id', '=', id).execute();
        else {
          await sql`update interactions set direction = case when direction = 'inbound' then 'outbound' else 'inbound' end where id = ${id}`.execute(db);
        }
      }
    }
  }

  /** The rollup tables as stored, and as a rebuild from the interactions would make them. */
  async function rollupVersusRebuild() {
    const db = testDb.conn.db;
    const day = sql.raw(`((occurred_at - ((occurred_at % ${DAY}) + ${DAY}) % ${DAY}) / ${DAY})`);
    const stored = await sql<{ customer_id: number; day: number; interactions: number }>`
      select customer_id, day, interactions from customer_activity_days order by customer_id, day`.execute(db);
    const rebuilt = await sql<{ customer_id: number; day: number; interactions: number }>`
      select customer_id, ${day} as day, count(*) as interactions from interactions where direction = 'inbound'
      group by customer_id, ${day} order by customer_id, day`.execute(db);
    const storedPairs = await sql<{ day: number; prev_day: number; customers: number }>`
      select day, prev_day, customers from activity_day_pairs where customers <> 0 order by day, prev_day`.execute(db);
    const rebuiltPairs = await sql<{ day: number; prev_day: number; customers: number }>`
      select day, prev_day, count(*) as customers from (
        select day, coalesce(lag(day) over (partition by customer_id order by day), -1000000000) as prev_day from customer_activity_days
      ) x group by day, prev_day order by day, prev_day`.execute(db);
    const norm = <T extends object>(rows: T[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])));
    const slot = sql.raw(`((occurred_at - ((occurred_at % ${SLOT}) + ${SLOT}) % ${SLOT}) / ${SLOT})`);
    const storedSlots = await sql<{ customer_id: number; slot: number; interactions: number }>`
      select customer_id, slot, interactions from customer_activity_slots order by customer_id, slot`.execute(db);
    const rebuiltSlots = await sql<{ customer_id: number; slot: number; interactions: number }>`
      select customer_id, ${slot} as slot, count(*) as interactions from interactions where direction = 'inbound'
      group by customer_id, ${slot} order by customer_id, slot`.execute(db);
    // Each zone's pairs as a rebuild makes them: local day of every slot, previous active local day.
    const zonePairs: Record<string, { stored: object[]; rebuilt: object[] }> = {};
    for (const zone of ZONES) {
      const storedZone = await sql<{ day: number; prev_day: number; customers: number }>`
        select day, prev_day, customers from zone_activity_pairs where zone = ${zone} and customers <> 0 order by day, prev_day`.execute(db);
      const rebuiltZone = await sql<{ day: number; prev_day: number; customers: number }>`
        select day, prev_day, count(*) as customers from (
          select day, coalesce(lag(day) over (partition by customer_id order by day), -1000000000) as prev_day from (
            select distinct a.customer_id,
              (select y.day from zone_days y where y.zone = ${zone} and y.start_slot <= a.slot order by y.start_slot desc limit 1) as day
            from customer_activity_slots a
          ) d
        ) x group by day, prev_day order by day, prev_day`.execute(db);
      zonePairs[zone] = { stored: norm(storedZone.rows), rebuilt: norm(rebuiltZone.rows) };
    }
    return {
      days: { stored: norm(stored.rows), rebuilt: norm(rebuilt.rows) },
      pairs: { stored: norm(storedPairs.rows), rebuilt: norm(rebuiltPairs.rows) },
      slots: { stored: norm(storedSlots.rows), rebuilt: norm(rebuiltSlots.rows) },
      zonePairs,
    };
  }

  test('the rollups equal a rebuild, and rollup retention equals raw retention, after random writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), fc.array(rangeArb, { minLength: 1, maxLength: 3 }), async (ops, ranges) => {
        await testDb.conn.db.deleteFrom('interactions').execute();
        await apply(ops);
        const r = await rollupVersusRebuild();
        expect(r.days.stored).toEqual(r.days.rebuilt);
        expect(r.pairs.stored).toEqual(r.pairs.rebuilt);
        expect(r.slots.stored).toEqual(r.slots.rebuilt);
        for (const zone of ZONES) expect(r.zonePairs[zone]!.stored, zone).toEqual(r.zonePairs[zone]!.rebuilt);
        for (const range of ranges) {
          for (const tz of ZONES) {
            const plan = planBuckets({ from: iso(range.fromDay), to: iso(range.fromDay + range.days - 1), groupBy: range.groupBy, tz });
            expect(dayAligned(plan)).toBe(false);
            const fromZone = await customerRetentionFromZoneRollup(testDb.conn, plan);
            expect(fromZone, `${tz} ${JSON.stringify(range)}`).toEqual(await customerRetentionFromInteractions(testDb.conn, plan));
          }
          const plan = planBuckets({ from: iso(range.fromDay), to: iso(range.fromDay + range.days - 1), groupBy: range.groupBy, tz: 'UTC' });
          expect(dayAligned(plan)).toBe(true);
          const fromRollup = await customerRetentionFromRollup(testDb.conn, plan);
          const fromInteractions = await customerRetentionFromInteractions(testDb.conn, plan);
          expect(fromRollup).toEqual(fromInteractions);
        }
      }),
      { numRuns: 40, seed: 20261203, interruptAfterTimeLimit: 60_000 },
    );
    // Deleting everything empties the rollups (no rows left but zero counts).
    await testDb.conn.db.deleteFrom('interactions').execute();
    const empty = await rollupVersusRebuild();
    expect(empty.days.stored).toEqual([]);
    expect(empty.pairs.stored).toEqual([]);
    expect(empty.slots.stored).toEqual([]);
    for (const zone of ZONES) expect(empty.zonePairs[zone]!.stored).toEqual([]);
  }, 120_000);

  test('a zone registered after the writes is built equal to the raw query, and customerRetention uses it', async () => {
    const db = testDb.conn.db;
    await db.deleteFrom('interactions').execute();
    // Activity around Kolkata's (+05:30) midnights: 18:29 and 18:30 UTC fall on different local days.
    const times = ['2026-03-02T18:29:00Z', '2026-03-02T18:30:00Z', '2026-03-04T02:00:00Z', '2026-03-05T18:44:59Z', '2026-03-09T10:00:00Z'];
    for (const [i, t] of times.entries()) {
      const at = Date.parse(t);
      await db
        .insertInto('interactions')
        .values({ customer_id: customerIds[i % 2]!, channel: 'email', direction: 'inbound', occurred_at: at, summary: `k${i}`, excerpt: null, url: null, external_id: null, agent_id: null, ticket_id: null, created_at: at })
        .execute();
    }
    const kolkata = planBuckets({ from: '2026-03-03', to: '2026-03-09', groupBy: 'day', tz: 'Asia/Kolkata' });
    expect(dayAligned(kolkata)).toBe(false);
    const raw = await customerRetentionFromInteractions(testDb.conn, kolkata);
    expect(raw.buckets.length).toBeGreaterThan(0);
    expect(await customerRetention(testDb.conn, kolkata)).toEqual(raw);
    const registered = await db.selectFrom('metrics_zones').select('zone').execute();
    expect(registered.map((r) => r.zone)).toContain('Asia/Kolkata');
    expect(await customerRetentionFromZoneRollup(testDb.conn, kolkata)).toEqual(raw);
    // A later write is kept by the triggers in the newly registered zone too.
    await db.deleteFrom('interactions').where('summary', '=', 'k1').execute();
    expect(await customerRetentionFromZoneRollup(testDb.conn, kolkata)).toEqual(await customerRetentionFromInteractions(testDb.conn, kolkata));
  });

  test('a range outside a zone calendar is answered from the interactions', async () => {
    const far = planBuckets({ from: '2099-03-02', to: '2099-03-08', groupBy: 'day', tz: 'Asia/Tehran' });
    expect(await ensureZoneRollup(testDb.conn, far)).toBe(false);
    await expect(customerRetentionFromZoneRollup(testDb.conn, far)).rejects.toThrow(/cannot answer/);
    expect(await customerRetention(testDb.conn, far)).toEqual(await customerRetentionFromInteractions(testDb.conn, far));
  });
});
