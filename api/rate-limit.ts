import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/**
 * Per-token rate limit (token bucket, in memory: one API process per team). A stolen or buggy
 * token gets 429 with Retry-After instead of starving everyone else. Requests without a token
 * are bucketed by client address. `perMinute = 0` turns it off (benchmarks of the API itself).
 */
export function rateLimit(options: { perMinute: number; burst?: number; now?: () => number }): MiddlewareHandler {
  const { perMinute } = options;
  const burst = options.burst ?? Math.max(1, Math.ceil(perMinute / 6));
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;

  return async (c, next) => {
    if (perMinute <= 0) return next();
    const auth = c.req.header('authorization');
    const who = auth
      ? createHash('sha256').update(auth).digest('base64url').slice(0, 22)
      : `ip:${c.req.header('x-forwarded-for') ?? (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local'}`;
    const t = now();
    const bucket = buckets.get(who) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * refillPerMs);
    bucket.at = t;
    if (bucket.tokens < 1) {
      buckets.set(who, bucket);
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      c.header('Retry-After', String(retryAfter));
      return c.json({ error: { code: 'TOO_MANY_REQUESTS', message: `rate limit of ${perMinute} requests a minute reached; retry in ${retryAfter} s` } }, 429);
    }
    bucket.tokens -= 1;
    buckets.set(who, bucket);
    // Bound memory: forget full buckets (they behave exactly like new ones).
    if (buckets.size > 10_000) for (const [k, b] of buckets) if (b.tokens >= burst) buckets.delete(k);
    return next();
  };
}
