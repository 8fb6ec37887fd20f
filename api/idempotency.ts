import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from './db/database';
import { isUniqueViolation } from './errors';
import { trpcErrorResponse } from './trpc-error-body';

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
 * What a lease cannot close: a holder killed after its write committed and before its answer was
 * recorded (one database round trip) — that write is re-run by the retry. Writes that carry
 * their origin (interactions.log `externalId`, tickets `sourceKey`, complaints) dedupe on it
 * anyway; SECURITY.md names the window.
 */
export function idempotency(db: Kysely<Database>, options: { now?: () => number; leaseMs?: number } = {}): MiddlewareHandler {
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
    const renew = setInterval(() => {
      const next = now() + leaseMs;
      db.updateTable('idempotency_keys')
        .set({ locked_until: next })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('locked_until', '=', lease)
        .execute()
        .then(
          () => (lease = next),
          (error: unknown) => console.error('[idempotency] lease renewal failed', error),
        );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    renew.unref?.();
    try {
      await next();
    } finally {
      clearInterval(renew);
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
