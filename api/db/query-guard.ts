import type SQLite from 'better-sqlite3';

/**
 * A time bound for SQLite work (issue 18). better-sqlite3 is synchronous and exposes neither
 * `sqlite3_interrupt` nor a progress handler, so a query that does not end stops the whole
 * process (`/healthz` included) and no timeout can reach it. PostgreSQL has `statement_timeout`.
 *
 * Decision: no worker thread. A worker cannot stop a native `sqlite3_step` either (terminate()
 * waits for it to return to JavaScript), it cannot share a `:memory:` or uncommitted view of the
 * database, and it would copy every report answer across threads. Instead:
 * 1. every query is written in a bounded shape — the only unbounded construct Rafiq uses is a
 *    recursive CTE (the subject-word split in metrics), and each of its steps must shorten the
 *    text it works on, so it runs at most one step per character;
 * 2. `rafiq_guard(deadline)` is a SQL function every recursive step calls: past `deadline`
 *    (epoch ms) it throws, SQLite aborts the statement and the caller gets a clear TIMEOUT error
 *    (api/trpc.ts maps `QueryTimeoutError`) instead of a hung process. It reads the clock once
 *    every 1,024 calls, so the guard costs next to nothing per row.
 * A plain aggregate over a big table is bounded by the table's size; such reports are made fast
 * by rollups (api/modules/metrics), not interrupted.
 */

export const QUERY_TIMEOUT_CODE = 'RAFIQ_QUERY_TIMEOUT';
/** Budget of one report query on SQLite; PostgreSQL uses STATEMENT_TIMEOUT_MS. */
export const SQLITE_REPORT_BUDGET_MS = 10_000;

export class QueryTimeoutError extends Error {
  readonly code = QUERY_TIMEOUT_CODE;
  constructor(budgetMs: number) {
    super(`the query ran past its time bound of ${budgetMs} ms and was stopped`);
    this.name = 'QueryTimeoutError';
  }
}

/** Registers `rafiq_guard(deadlineMs)` on a SQLite connection (api/db/connection.ts `openSqlite`). */
export function installQueryGuard(sqlite: SQLite.Database, clock: () => number = Date.now): void {
  let calls = 0;
  sqlite.function('rafiq_guard', { deterministic: false, varargs: false }, (deadline: unknown) => {
    if ((++calls & 1023) === 0 && clock() > Number(deadline)) throw new QueryTimeoutError(SQLITE_REPORT_BUDGET_MS);
    return 1;
  });
}

/** The deadline to pass to `rafiq_guard` for a query starting now. */
export function reportDeadline(budgetMs = SQLITE_REPORT_BUDGET_MS, now = Date.now()): number {
  return now + budgetMs;
}

/** True for a query stopped by its time bound on either database (PostgreSQL: 57014 query_canceled). */
export function isQueryTimeout(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === QUERY_TIMEOUT_CODE || code === '57014';
}
