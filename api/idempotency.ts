import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from './db/database';
import { isUniqueViolation } from './errors';

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
/** Keys are kept a week: far longer than any outbox retries a write. */
export const IDEMPOTENCY_TTL_MS = 7 * 86_400_000;

/**
 * Exactly-once writes: a POST to /trpc/<procedure> with an `Idempotency-Key` header runs once
 * per caller and key; a repeat gets the first answer (status and body) replayed. A repeat that
 * arrives while the first is still running gets 409 and retries later. Only single, non-batched
 * calls are keyed (the extension's outbox sends writes one by one); answers with a 5xx are not
 * stored, so a failed attempt can be retried with the same key.
 */
export function idempotency(db: Kysely<Database>, now: () => number = Date.now): MiddlewareHandler {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key) return next();
    if (!KEY.test(key)) return c.json({ error: { code: 'BAD_REQUEST', message: 'Idempotency-Key must be 8–100 letters, digits, - or _' } }, 400);
    if (c.req.query('batch')) return c.json({ error: { code: 'BAD_REQUEST', message: 'Idempotency-Key is only accepted on single (non-batched) calls' } }, 400);
    const scope = createHash('sha256').update(c.req.header('authorization') ?? '').digest('hex');
    const path = c.req.path;
    try {
      await db.insertInto('idempotency_keys').values({ scope, key, path, status: null, body: null, created_at: now() }).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const row = await db.selectFrom('idempotency_keys').select(['path', 'status', 'body']).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
      if (row && row.path !== path) {
        return c.json({ error: { code: 'CONFLICT', message: `Idempotency-Key was already used for ${row.path}` } }, 409);
      }
      if (!row || row.status === null) {
        c.header('Retry-After', '1');
        return c.json({ error: { code: 'CONFLICT', message: 'the first request with this Idempotency-Key is still running' } }, 409);
      }
      c.header('Idempotent-Replayed', 'true');
      return c.body(row.body ?? '', row.status as 200, { 'content-type': 'application/json' });
    }
    await next();
    if (c.res.status >= 500) {
      await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute();
      return;
    }
    const body = await c.res.clone().text();
    await db.updateTable('idempotency_keys').set({ status: c.res.status, body }).where('scope', '=', scope).where('key', '=', key).execute();
  };
}

export async function pruneIdempotencyKeys(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', now - IDEMPOTENCY_TTL_MS).execute();
}
