import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/connection';
import { bucketIndexSql, type BucketPlan } from './buckets';

/**
 * The SQL pieces where SQLite and PostgreSQL differ, or that every metric query repeats: the
 * metrics repository and the topic queries build on these (issue 23: the dialect helpers out of
 * the repository).
 */

/** The 1-based rank of the lower of the two values percentile_cont(p) interpolates between, for `cnt` values. */
export const sqliteRank = (p: number) => `(cast((cnt - 1) * ${p} as integer) + 1)`;

/**
 * percentile_cont(p) over the picked rows of a group: the value at 1-based position
 * 1 + p·(n − 1), interpolating linearly between the two rows around it.
 */
export function sqlitePercentile(p: number): RawBuilder<number> {
  const lo = sqliteRank(p);
  const at = (rank: string) => `max(case when rn = ${rank} then v end)`;
  return sql.raw(
    `(${at(lo)} + ((max(cnt) - 1) * ${p} - cast((max(cnt) - 1) * ${p} as integer)) * (coalesce(${at(`${lo} + 1`)}, ${at(lo)}) - ${at(lo)}))`,
  );
}

/**
 * Ends a subquery whose columns are correlated subqueries so that neither database inlines it
 * into the outer query: inlined, each use of the column (the bucket CASE tree uses it ~2·log2(buckets)
 * times) would run the subquery again. An OFFSET keeps both planners from flattening.
 */
export const fence = (conn: Db) => sql.raw(conn.kind === 'postgres' ? 'offset 0' : 'limit -1 offset 0');

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const b = (column: string, plan: BucketPlan) => bucketIndexSql(column, plan);

export const lowerAscii = (conn: Db, expr: RawBuilder<unknown>) =>
  conn.kind === 'postgres' ? sql`translate(${expr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')` : sql`lower(${expr})`;
