import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Db } from './db/connection';
import type { Database } from './db/database';
import { requestTransaction } from './db/request-transaction';
import { isUniqueViolation } from './errors';
import { trpcErrorResponse } from './trpc-error-body';

declare module 'hono' {
  interface ContextVariableMap {
    /** The database an idempotent write's procedure runs on: its request transaction (PostgreSQL). */
    writeConn: Db;
  }
}

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
/** Keys are kept a week: far longer than any outbox retries a write. */
export const IDEMPOTENCY_TTL_MS = 7 * 86_400_000;
/** How long a key being answered is held without a sign of life from its request. */
export const IDEMPOTENCY_LEASE_MS = 5_000;

/**
 * Secrets are never stored nor replayed (issue 18 item 5): an API token in an answer
 * (`agents.create`) is replaced by null in the stored copy. The first answer carries the token
 * as always; a replay answers the same agent with `"token": null` — a lost first answer means
 * revoking that token and issuing a new one (SECURITY.md). Matches the shape of
 * `generateToken` (rfq_ + 43 base64url characters) anywhere in the body.
 */
export function redactSecrets(body: string): string {
  return body.replace(/"rfq_[A-Za-z0-9_-]{20,}"/g, 'null');
}

/**
 * Exactly-once writes: a POST to /trpc/<procedure> with an `Idempotency-Key` header runs once
 * per agent and key; a repeat gets the first answer (status and body, secrets withheld)
 * replayed. Runs after api/auth.ts: an unauthenticated request passes through to tRPC's 401
 * and stores nothing (issue 18 item 4).
 *
 * In-flight state is in the database (issue 20: any API process may get the retry). The first
 * request holds the key under a lease (`locked_until`) that it renews while it runs. A repeat
 * while the lease holds gets 409 `CONFLICT_IN_PROGRESS` in tRPC's shape with Retry-After; a
 * repeat after the holder died (SIGKILL, crash) finds the lease ended and takes the key over
 * with a compare-and-set, so no key is stuck (issue 18 item 2). Answers with a 5xx are not
 * stored, so a failed attempt can be retried with the same key.
 *
 * On PostgreSQL (where several API processes share the keys) the write and its answer commit
 * together: the procedure runs in one transaction (`requestTransaction`) that also records the
 * answer, under a compare-and-set on the lease this request holds. A holder killed before that
 * commit leaves neither the write nor the answer, so the retry that takes the key over runs it once;
 * a holder whose lease was taken over while it ran rolls its write back and answers 409. Answers
 * other than 2xx roll the transaction back (a failed procedure leaves nothing behind); a 4xx is
 * then recorded on its own, a 5xx frees the key. Before this, a holder killed between its write's
 * commit and its answer had the write run twice (`npm run bench:team`, issue 20).
 *
 * On SQLite (one process) the write commits on its own as before: a crash between the write and
 * its answer (one statement) still re-runs that write on retry after a restart; writes that carry
 * their origin (interactions.log `externalId`, tickets `sourceKey`, complaints) dedupe on it
 * anyway. SECURITY.md names the window. One transaction per request there would hold the only
 * connection for the request's whole duration and stall every other request.
 */
export function idempotency(conn: Db, options: { now?: () => number; leaseMs?: number } = {}): MiddlewareHandler {
  const db: Kysely<Database> = conn.db;
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key) return next();
    const agent = c.get('agent');
    if (!agent) return next();
    if (!KEY.test(key)) return trpcErrorResponse(c, 400, 'BAD_REQUEST', 'Idempotency-Key must be 8–100 letters, digits, - or _');
    if (c.req.query('batch')) return trpcErrorResponse(c, 400, 'BAD_REQUEST', 'Idempotency-Key is only accepted on single (non-batched) calls');
    const scope = `agent:${agent.id}`;
    const path = c.req.path;
    let lease = now() + leaseMs;
    try {
      await db.insertInto('idempotency_keys').values({ scope, key, path, status: null, body: null, created_at: now(), locked_until: lease }).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const row = await db.selectFrom('idempotency_keys').select(['path', 'status', 'body', 'locked_until']).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
      if (row && row.path !== path) return trpcErrorResponse(c, 409, 'CONFLICT', `Idempotency-Key was already used for ${row.path}`);
      if (row && row.status !== null) {
        c.header('Idempotent-Replayed', 'true');
        return c.body(row.body ?? '', row.status as 200, { 'content-type': 'application/json' });
      }
      const t = now();
      const held = row?.locked_until ?? 0;
      if (!row || held > t) return inProgress(c, Math.max(1, Math.ceil((held - t) / 1000)));
      // The holder's lease ended without an answer: it died. Take the key over, if no one else just did.
      lease = t + leaseMs;
      let takeover = db.updateTable('idempotency_keys').set({ locked_until: lease }).where('scope', '=', scope).where('key', '=', key).where('status', 'is', null);
      takeover = row.locked_until === null ? takeover.where('locked_until', 'is', null) : takeover.where('locked_until', '=', row.locked_until);
      const taken = await takeover.executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) return inProgress(c, 1);
    }
    // Renew the lease while the request runs (a slow write is not a dead one).
    // Renewals not yet answered: the lease may already be any of these. Never awaited: a renewal
    // waits for a pooled connection, and waiting for it while holding this request's transaction
    // could deadlock a full pool; the answer's compare-and-set accepts them instead.
    const pending = new Set<number>();
    const renew = setInterval(() => {
      const next = now() + leaseMs;
      pending.add(next);
      db.updateTable('idempotency_keys')
        .set({ locked_until: next })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('locked_until', '=', lease)
        .executeTakeFirst()
        .then(
          (renewed) => {
            if (Number(renewed.numUpdatedRows) === 1) lease = next;
          },
          (error: unknown) => console.error('[idempotency] lease renewal failed', error),
        )
        .finally(() => pending.delete(next));
    }, Math.max(50, Math.floor(leaseMs / 3)));
    renew.unref?.();
    const stopRenewing = () => clearInterval(renew);

    if (conn.kind === 'postgres') {
      const trx = await db.startTransaction().execute();
      let open = true;
      const end = async (commit: boolean) => {
        if (!open) return;
        open = false;
        await (commit ? trx.commit() : trx.rollback()).execute();
      };
      try {
        c.set('writeConn', { ...conn, db: requestTransaction(trx) });
        await next();
        stopRenewing();
        const status = c.res.status;
        if (status >= 200 && status < 300) {
          const body = redactSecrets(await c.res.clone().text());
          // Still ours? A holder that lost its lease (it stalled past it and another process took
          // the key over) must not commit a second copy of the write.
          const recorded = await trx
            .updateTable('idempotency_keys')
            .set({ status, body, locked_until: null })
            .where('scope', '=', scope)
            .where('key', '=', key)
            .where('status', 'is', null)
            .where('locked_until', 'in', [lease, ...pending])
            .executeTakeFirst();
          if (Number(recorded.numUpdatedRows) !== 1) {
            await end(false);
            c.res = inProgress(c, 1);
            return;
          }
          await end(true);
          return;
        }
        await end(false);
      } finally {
        stopRenewing();
        // Anything thrown before the answer was recorded: nothing of this request is kept.
        await end(false).catch((error: unknown) => console.error('[idempotency] rollback failed', error));
      }
      // Not a 2xx: the transaction is rolled back; the answer is kept (4xx) or the key freed (5xx) below.
    } else {
      try {
        await next();
      } finally {
        stopRenewing();
      }
    }
    if (c.res.status >= 500) {
      await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('status', 'is', null).execute();
      return;
    }
    const body = redactSecrets(await c.res.clone().text());
    await db
      .updateTable('idempotency_keys')
      .set({ status: c.res.status, body, locked_until: null })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
  };
}

function inProgress(c: Parameters<MiddlewareHandler>[0], retryAfterS: number): Response {
  c.header('Retry-After', String(retryAfterS));
  return trpcErrorResponse(c, 409, 'CONFLICT_IN_PROGRESS', 'the first request with this Idempotency-Key is still running; retry shortly', { retryAfterSeconds: retryAfterS });
}

/** Forgets keys older than IDEMPOTENCY_TTL_MS; api/server.ts runs it at start and every hour. */
export async function pruneIdempotencyKeys(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', now - IDEMPOTENCY_TTL_MS).executeTakeFirst();
  return Number(result.numDeletedRows);
}
