import { sql, type Kysely } from 'kysely';
import type { Database } from './db/database';

/**
 * Token-bucket rate limits (issue 18 item 3, issue 20).
 *
 * - Keyed by the **verified agent** (`agent:<id>`), never by the raw Authorization header: every
 *   spelling of the same token (`bearer x`, `Bearer  x`) and every token of one agent share one
 *   bucket. api/auth.ts takes it after authenticating.
 * - **Failed authentication** is limited per client address (`fail:<address>`), before the
 *   token is looked up once the address is out of budget: a flood of bad tokens costs no
 *   database lookups and writes nothing. The address is the socket's peer; `X-Forwarded-For` is
 *   read only when TRUST_PROXY is set (behind nginx), see `clientAddress`.
 * - **Each call of a batch counts** (a batch of 40 costs 40; see CALL_COST), and a batch may hold at most
 *   MAX_BATCH_CALLS calls (413 beyond it): one request can no longer write 1,500 notes.
 * - Buckets live where every API process sees them: in memory for SQLite (one process per
 *   database file), in PostgreSQL (`rate_limit_buckets`, one atomic upsert per request) when
 *   several processes share one database. Both are pruned: a bucket that has refilled is the
 *   same as no bucket, so it is forgotten.
 */

export const MAX_BATCH_CALLS = 50;

/**
 * Calls that stand for several and cost as many: `customers.lookupWithView` is the lookup plus the
 * card's five reads (issue 20), so answering them in one call spends the same budget as before.
 */
export const CALL_COST: ReadonlyMap<string, number> = new Map([['customers.lookupWithView', 6]]);

/** Tokens a request takes from its agent's bucket: each call of a batch, at its cost (a Map: paths come from the URL). */
export function requestCost(paths: readonly string[]): number {
  return paths.reduce((sum, path) => sum + (CALL_COST.get(path) ?? 1), 0) || 1;
}

export interface RateDecision {
  ok: boolean;
  /** Seconds until `cost` tokens are available again (when not ok). */
  retryAfterS: number;
}

export interface RateLimitStore {
  /**
   * Takes `cost` tokens when at least max(cost, 1) are there; `cost` 0 only asks whether the
   * bucket still has a token (the failed-auth check before a lookup).
   */
  take(key: string, cost: number, now: number): Promise<RateDecision>;
  prune(now: number): Promise<void>;
}

export interface BucketShape {
  perMinute: number;
  burst: number;
}

export function bucketShape(perMinute: number, burst?: number): BucketShape {
  return { perMinute, burst: burst ?? Math.max(1, Math.ceil(perMinute / 6)) };
}

const refillPerMs = (shape: BucketShape) => shape.perMinute / 60_000;
const retryAfter = (shape: BucketShape, tokens: number, need: number) => Math.max(1, Math.ceil((need - tokens) / refillPerMs(shape) / 1000));
/** After this long untouched every bucket is full again: safe to forget. */
const fullAfterMs = (shape: BucketShape) => Math.ceil(shape.burst / refillPerMs(shape));

/** One process: a Map, swept of refilled buckets every 1,000 takes and capped in size. */
export function memoryRateLimitStore(shapeOf: (key: string) => BucketShape, maxKeys = 50_000): RateLimitStore & { size(): number } {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let takes = 0;
  const sweep = (now: number) => {
    for (const [key, b] of buckets) if (now - b.at >= fullAfterMs(shapeOf(key))) buckets.delete(key);
    // Still too many live buckets (a flood of distinct keys): drop the oldest down to 90 %, so
    // the sweep runs once per 10 % of new keys, not on every take.
    for (const key of buckets.keys()) {
      if (buckets.size <= maxKeys * 0.9) break;
      buckets.delete(key);
    }
  };
  return {
    size: () => buckets.size,
    async take(key, cost, now) {
      if (++takes % 1000 === 0 || buckets.size > maxKeys) sweep(now);
      const shape = shapeOf(key);
      const b = buckets.get(key);
      const tokens = b ? Math.min(shape.burst, b.tokens + Math.max(0, now - b.at) * refillPerMs(shape)) : shape.burst;
      const need = Math.max(cost, 1);
      if (tokens < need) {
        buckets.set(key, { tokens, at: now });
        return { ok: false, retryAfterS: retryAfter(shape, tokens, need) };
      }
      // Re-inserting keeps the Map in least-recently-used order for the size cap.
      buckets.delete(key);
      buckets.set(key, { tokens: tokens - cost, at: now });
      return { ok: true, retryAfterS: 0 };
    },
    async prune(now) {
      sweep(now);
    },
  };
}

/** Several processes on one PostgreSQL: the bucket is a row, refilled and taken in one statement. */
export function postgresRateLimitStore(db: Kysely<Database>, shapeOf: (key: string) => BucketShape): RateLimitStore {
  return {
    async take(key, cost, now) {
      const shape = shapeOf(key);
      const refill = refillPerMs(shape);
      const need = Math.max(cost, 1);
      const refilled = sql`least(${shape.burst}::float8, b.tokens + greatest(0, ${now}::int8 - b.updated_at) * ${refill}::float8)`;
      const { rows } = await sql<{ tokens: number }>`
        insert into rate_limit_buckets as b (key, tokens, updated_at) values (${key}, ${shape.burst - cost}::float8, ${now}::int8)
        on conflict (key) do update set tokens = ${refilled} - ${cost}::float8, updated_at = greatest(b.updated_at, ${now}::int8)
        where ${refilled} >= ${need}::float8
        returning tokens`.execute(db);
      if (rows.length) return { ok: true, retryAfterS: 0 };
      const row = await db.selectFrom('rate_limit_buckets').select(['tokens', 'updated_at']).where('key', '=', key).executeTakeFirst();
      const tokens = row ? Math.min(shape.burst, row.tokens + Math.max(0, now - row.updated_at) * refill) : 0;
      return { ok: false, retryAfterS: retryAfter(shape, tokens, need) };
    },
    async prune(now) {
      // The longest refill of any bucket shape in use is under a minute at sane limits; keep ten.
      await db.deleteFrom('rate_limit_buckets').where('updated_at', '<', now - 10 * 60_000).execute();
    },
  };
}

/**
 * The client's address: the socket peer, or — only when `trustProxy` (TRUST_PROXY=1, the API
 * behind nginx) — the last `X-Forwarded-For` entry, the one our proxy appended. Entries before
 * it were written by the client and prove nothing.
 */
export function clientAddress(headers: { get(name: string): string | null | undefined }, socketAddress: string | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = headers.get('x-forwarded-for');
    const last = forwarded?.split(',').pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  return socketAddress ?? 'unknown';
}
