import type { Context as HonoContext } from 'hono';

/**
 * Errors answered by the HTTP middleware in front of tRPC (rate limit, idempotency, batch cap),
 * in tRPC's own error shape, so the extension's tRPC client reads `data.code` and acts on it
 * (retry a 429 or a key still being answered, give up on a 409 conflict) instead of taking the
 * answer for "server unreachable" (issue 18). A batched request gets one error per call, as tRPC
 * answers batches.
 */

// JSON-RPC codes tRPC uses for these (@trpc/server TRPC_ERROR_CODES_BY_KEY).
const JSON_RPC_CODES = {
  BAD_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  NOT_FOUND: -32004,
  TIMEOUT: -32008,
  CONFLICT: -32009,
  PAYLOAD_TOO_LARGE: -32013,
  TOO_MANY_REQUESTS: -32029,
  INTERNAL_SERVER_ERROR: -32603,
} as const;

export type MiddlewareErrorCode = keyof typeof JSON_RPC_CODES | 'CONFLICT_IN_PROGRESS';

/** The procedure paths of a /trpc request: `/trpc/a,b?batch=1` → ['a', 'b']; none for any other path. */
export function procedurePaths(c: HonoContext): string[] {
  // Other routes behind the same middleware (the CSV import and export) are one call each.
  if (!/^\/trpc(\/|$)/.test(c.req.path)) return [];
  const tail = c.req.path.replace(/^\/trpc\/?/, '');
  return tail ? tail.split(',') : [];
}

export function trpcErrorResponse(
  c: HonoContext,
  status: 400 | 401 | 409 | 413 | 429 | 500,
  code: MiddlewareErrorCode,
  message: string,
  details: Record<string, unknown> | null = null,
): Response {
  const paths = procedurePaths(c);
  const one = (path: string | undefined) => ({
    error: {
      message,
      // "Still running" is a conflict to JSON-RPC; `data.code` says it is worth retrying.
      code: code === 'CONFLICT_IN_PROGRESS' ? JSON_RPC_CODES.CONFLICT : JSON_RPC_CODES[code],
      data: { code, httpStatus: status, path: path ?? null, fieldErrors: null, details },
    },
  });
  const batched = Boolean(c.req.query('batch'));
  return c.json(batched ? (paths.length ? paths : [undefined]).map(one) : one(paths[0]), status);
}
