import type { MiddlewareHandler } from 'hono';
import type { Db } from './db/connection';
import type { AgentRow } from './db/database';
import { findAgentByToken, findCachedAgent } from './modules/agents/agents.repository';
import { clientAddress, MAX_BATCH_CALLS, requestCost, type RateLimitStore } from './rate-limit';
import { procedurePaths, trpcErrorResponse } from './trpc-error-body';

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified agent of a /trpc request, or null when the token is missing, unknown, revoked or expired. */
    agent: AgentRow | null;
  }
}

/** `Authorization: Bearer <token>`, any case and spacing; null for anything else. */
export function parseBearer(header: string | null | undefined): string | null {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

export interface AuthOptions {
  db: Db;
  now: () => number;
  /** Agent buckets (`agent:<id>`) and failed-auth buckets (`fail:<address>`). */
  store: RateLimitStore;
  /** Requests a minute per agent; 0 turns the per-agent limit off. */
  perMinute: number;
  /** Failed authentications a minute per client address; 0 turns it off. */
  failuresPerMinute: number;
  /** Read X-Forwarded-For (last entry) as the client address: only behind our own proxy. */
  trustProxy: boolean;
}

/**
 * Authentication first, for every /trpc request (issue 18 items 3 and 4): nothing after this —
 * the idempotency keys, the procedures — runs with an unverified caller's identity, and an
 * unauthenticated request writes no row. The verified agent goes to tRPC's context (one token
 * lookup per request, however many calls it batches); tRPC itself answers 401 in its shape.
 */
export function authenticate(options: AuthOptions): MiddlewareHandler {
  const { db, now, store } = options;
  // Addresses out of failed-auth budget, known in this process: refused before any lookup.
  // The budget itself is in `store`, shared by every process; this is only its local echo.
  const blocked = new Map<string, number>();
  return async (c, next) => {
    const paths = procedurePaths(c);
    const calls = paths.length || 1;
    if (calls > MAX_BATCH_CALLS) {
      return trpcErrorResponse(c, 413, 'PAYLOAD_TOO_LARGE', `a batch may hold at most ${MAX_BATCH_CALLS} calls; this one has ${calls}`, { maxCalls: MAX_BATCH_CALLS, calls });
    }
    const t = now();
    const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
    const address = options.failuresPerMinute > 0 ? clientAddress(c.req.raw.headers, socket, options.trustProxy) : '';
    const token = parseBearer(c.req.header('authorization'));
    const until = blocked.get(address);
    if (until !== undefined) {
      // A blocked address costs no lookup: only a token already verified (cached) gets through,
      // so one attacker behind an office's NAT does not lock out its agents.
      if (until > t && !(token && findCachedAgent(db.db, token, t))) {
        return tooMany(c, Math.ceil((until - t) / 1000), 'too many failed authentications from this address');
      }
      if (until <= t) blocked.delete(address);
    }
    let agent: AgentRow | undefined;
    try {
      agent = token ? await findAgentByToken(db.db, token, t) : undefined;
    } catch (error) {
      console.error('[api] token lookup failed', error);
      return trpcErrorResponse(c, 500, 'INTERNAL_SERVER_ERROR', 'unexpected error (logged on the server)');
    }
    if (!agent) {
      if (options.failuresPerMinute > 0) {
        const decision = await store.take(`fail:${address}`, 1, t);
        if (!decision.ok) {
          if (blocked.size > 10_000) blocked.clear();
          blocked.set(address, t + decision.retryAfterS * 1000);
          return tooMany(c, decision.retryAfterS, 'too many failed authentications from this address');
        }
      }
      c.set('agent', null);
      return next();
    }
    c.set('agent', agent);
    if (options.perMinute > 0) {
      const decision = await store.take(`agent:${agent.id}`, requestCost(paths), t);
      if (!decision.ok) return tooMany(c, decision.retryAfterS, `rate limit of ${options.perMinute} calls a minute reached`);
    }
    return next();
  };
}

function tooMany(c: Parameters<MiddlewareHandler>[0], retryAfterS: number, why: string): Response {
  c.header('Retry-After', String(retryAfterS));
  return trpcErrorResponse(c, 429, 'TOO_MANY_REQUESTS', `${why}; retry in ${retryAfterS} s`, { retryAfterSeconds: retryAfterS });
}
