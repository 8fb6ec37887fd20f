import type { ControlledTransaction, Kysely, Transaction } from 'kysely';
import type { Database } from './database';

const FLAT = Symbol('rafiq.requestTransaction');

/**
 * One PostgreSQL transaction for a whole idempotent write (api/idempotency.ts), handed to the
 * procedure as its database. Code written for a plain database keeps working inside it:
 * `db.transaction().execute(fn)` becomes a savepoint (released on success, rolled back on error,
 * so a nested "transaction" that fails undoes only its own work, as it would on its own), and
 * `attempt()` below gives a single statement the same protection.
 *
 * Why: the key's answer and the write must commit together. A process killed after its write
 * committed but before its answer was recorded had the write run again by the retry that took the
 * key over (issue 20, `npm run bench:team`).
 */
export function requestTransaction(trx: ControlledTransaction<Database>): Kysely<Database> {
  let savepoints = 0;
  // Each nested call gets its own savepoint name. They must nest (one finishes before its parent
  // does): two nested transactions run in parallel (Promise.all) would interleave their savepoints
  // and one release would end the other. No write path does that today.
  const nested = () => {
    const builder = {
      setIsolationLevel: () => builder,
      setAccessMode: () => builder,
      async execute<T>(fn: (inner: Transaction<Database>) => Promise<T>): Promise<T> {
        const name = `rafiq_sp_${++savepoints}`;
        const control = trx as unknown as {
          savepoint(n: string): { execute(): Promise<unknown> };
          releaseSavepoint(n: string): { execute(): Promise<unknown> };
          rollbackToSavepoint(n: string): { execute(): Promise<unknown> };
        };
        await control.savepoint(name).execute();
        try {
          const result = await fn(proxy as unknown as Transaction<Database>);
          await control.releaseSavepoint(name).execute();
          return result;
        } catch (error) {
          await control.rollbackToSavepoint(name).execute();
          throw error;
        }
      },
    };
    return builder;
  };
  const proxy = new Proxy(trx, {
    get(target, property) {
      if (property === FLAT) return true;
      if (property === 'transaction') return nested;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return proxy as unknown as Kysely<Database>;
}

/** True for the database `requestTransaction` made. */
export function isRequestTransaction(db: Kysely<Database> | Transaction<Database>): boolean {
  return (db as unknown as Record<symbol, unknown>)[FLAT] === true;
}

/**
 * Runs one statement (or a few) that may fail with an error the caller handles and goes on from
 * (a unique violation: someone else inserted the same row first). In PostgreSQL a failed statement
 * aborts the whole transaction around it, so inside a request transaction it runs under a
 * savepoint; elsewhere it runs as it is (no extra round trips on the hot paths).
 */
export function attempt<T>(db: Kysely<Database> | Transaction<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (isRequestTransaction(db)) return (db as Kysely<Database>).transaction().execute((inner) => fn(inner));
  return fn(db as Kysely<Database>);
}
