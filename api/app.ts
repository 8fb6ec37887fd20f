import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { trpcServer } from '@hono/trpc-server';
import { sql } from 'kysely';
import type { Db } from './db/connection';
import { appRouter } from './router';
import { idempotency } from './idempotency';
import { authenticate } from './auth';
import { bucketShape, memoryRateLimitStore, postgresRateLimitStore, type RateLimitStore } from './rate-limit';
import { surveyPages } from './modules/surveys/survey.page';
import { customerTransfer, EXPORT_CUSTOMERS_PATH, IMPORT_CUSTOMERS_PATH } from './modules/customers/transfer.routes';
import type { Context } from './trpc';
import { requestLog } from './log';
import { setHeaderInPlace } from './response-headers';
import type { Logger } from 'pino';

export const API_VERSION = '0.1.0';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  db: Db;
  /** Extra origins CORS allows; with none, any browser-extension origin is allowed. */
  allowedOrigins?: readonly string[];
  now?: () => number;
  /** Calls a minute per agent (each call of a batch counts); 0 turns the limit off. */
  rateLimitPerMinute?: number;
  /** Failed authentications a minute per client address; 0 turns it off (default: rateLimitPerMinute). */
  authFailuresPerMinute?: number;
  /** Behind our own reverse proxy: the client address is the last X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** Where rate-limit buckets live; default: PostgreSQL when the database is, else this process's memory. */
  rateLimitStore?: RateLimitStore;
  /** TOKEN_TTL_DAYS for tokens made through the API (agents.create). */
  tokenTtlDays?: number;
  /** Idempotency lease (ms) before a dead request's key is taken over. */
  idempotencyLeaseMs?: number;
  /** One JSON line per request (api/log.ts); none when absent (tests). */
  log?: Logger;
}

/** Buckets hold a sixth of a minute's budget (a 10 s burst), agents' and failed-auth addresses' alike. */
export function defaultRateLimitStore(db: Db, perMinute: number, failuresPerMinute: number): RateLimitStore {
  const agent = bucketShape(perMinute);
  const failed = bucketShape(failuresPerMinute);
  const shapeOf = (key: string) => (key.startsWith('fail:') ? failed : agent);
  return db.kind === 'postgres' ? postgresRateLimitStore(db.db, shapeOf) : memoryRateLimitStore(shapeOf);
}

/** Extension origins are the only browsers that should call the API. */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  if (allowed.length) return allowed.includes(origin);
  return /^(chrome-extension|moz-extension):\/\/[a-z0-9-]{1,64}$/i.test(origin);
}

export function createApp(options: AppOptions): Hono {
  const { db } = options;
  const allowed = options.allowedOrigins ?? [];
  const now = options.now ?? Date.now;
  const app = new Hono();

  if (options.log) app.use('*', requestLog(options.log));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-site' }));
  const allowOrigin = (origin: string | undefined) => (origin && isAllowedOrigin(origin, allowed) ? origin : null);
  // Preflights go to Hono's CORS middleware. For the requests themselves it only adds two headers,
  // but with `c.header()` after the handler, which rebuilds the response with a streamed body
  // (~55 µs a request, api/response-headers.ts): the same two headers are set here in place.
  const preflight = cors({
    origin: (origin) => allowOrigin(origin),
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 600,
  });
  app.use('*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const origin = allowOrigin(c.req.header('origin'));
    await next();
    if (origin) setHeaderInPlace(c, 'Access-Control-Allow-Origin', origin);
    setHeaderInPlace(c, 'Vary', 'Origin', { append: true });
  });
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `request body is over ${MAX_BODY_BYTES} bytes` } }, 413),
  });
  // The one exception: the CSV import streams its body (any size, never buffered; admin only).
  app.use('*', (c, next) => (c.req.method === 'POST' && c.req.path === IMPORT_CUSTOMERS_PATH ? next() : limitBody(c, next)));

  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(db.db);
      return c.json({ ok: true, db: db.kind, version: API_VERSION });
    } catch (error) {
      // The database's own message (host, user, file path) is for the log, not for anyone asking (issue 18 item 10).
      console.error('[api] healthz: database unavailable', error);
      return c.json({ ok: false, db: db.kind, version: API_VERSION, error: 'database unavailable' }, 503);
    }
  });

  // Public survey pages (the link in a reply): no token, the link itself is the credential.
  app.route('/s', surveyPages({ db, now }));
  // Authenticate (and rate-limit by the verified agent) before anything can store a row: the
  // CSV import and export too, so a bad token there counts against its address's failed-auth
  // budget and an admin's transfers against their own bucket (issue 18 item 3).
  const perMinute = options.rateLimitPerMinute ?? 0;
  const failuresPerMinute = options.authFailuresPerMinute ?? perMinute;
  const store = options.rateLimitStore ?? defaultRateLimitStore(db, perMinute, failuresPerMinute);
  const auth = authenticate({ db, now, store, perMinute, failuresPerMinute, trustProxy: options.trustProxy ?? false });
  app.use(IMPORT_CUSTOMERS_PATH, auth);
  app.use(EXPORT_CUSTOMERS_PATH, auth);
  // CSV import and export of customers (admin only; streamed both ways).
  app.route('/', customerTransfer({ db, now }));

  app.use('/trpc/*', auth);
  app.use('/trpc/*', idempotency(db, { now, leaseMs: options.idempotencyLeaseMs }));
  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      createContext: (_opts, c): Context & Record<string, unknown> => ({
        // An idempotent write on PostgreSQL runs in the transaction that records its answer (api/idempotency.ts).
        conn: c.get('writeConn') ?? db,
        authorization: c.req.header('authorization') ?? null,
        agent: c.get('agent') ?? null,
        tokenTtlDays: options.tokenTtlDays,
        now,
        baseUrl: new URL(c.req.url).origin,
      }),
    }),
  );

  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => {
    console.error('[api] unhandled', error);
    return c.json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'unexpected error' } }, 500);
  });
  return app;
}
