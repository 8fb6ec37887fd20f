import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import pino, { type DestinationStream, type Logger } from 'pino';
import { setHeaderInPlace } from './response-headers';
import pretty from 'pino-pretty';

/**
 * The API's structured log: one JSON line per request (pino), with a request id the client may
 * send (`X-Request-Id`) or we make, echoed in the response so an agent's report can be matched to
 * a line. What a line never holds: a token, an email address, message text or any query string
 * (tRPC inputs travel there) — only method, route, status, duration and the id. `LOG_LEVEL`
 * (api/env.ts) sets the level; `npm start` asks for pino-pretty's human-readable lines.
 */
export type LogLevel = 'silent' | 'info' | 'debug';

export function createLogger(level: LogLevel, options: { pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  const destination = options.destination ?? (options.pretty ? pretty({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }) : undefined);
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A client's id is kept when it is a plain token of reasonable length; anything else is replaced. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * The route a request took, without anything secret in the URL: the matched pattern for routed
 * paths (`/s/:token`, never the survey token itself), the procedure names for tRPC (they are the
 * route: `/trpc/customers.lookup,notes.add`), and null when nothing matched.
 */
function routeOf(path: string, matched: readonly { path: string }[]): string | null {
  if (path.startsWith('/trpc/')) return /^\/trpc\/[\w.,]{1,300}$/.test(path) ? path : '/trpc/*';
  const route = matched.findLast((r) => r.path !== '*' && r.path !== '/*');
  return route?.path ?? null;
}

export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const offered = c.req.header('x-request-id');
    const requestId = offered && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    try {
      await next();
    } finally {
      // After the handler: a handler's own Response (tRPC's) replaces headers set before it. In
      // place: `c.header()` here would rebuild the response with a streamed body.
      setHeaderInPlace(c, 'X-Request-Id', requestId);
      const status = c.res.status;
      const line = {
        requestId,
        method: c.req.method,
        route: routeOf(c.req.path, c.req.matchedRoutes),
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      };
      if (status >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    }
  };
}
