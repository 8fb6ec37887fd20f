import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { trpcServer } from '@hono/trpc-server';
import { sql } from 'kysely';
import type { Db } from './db/connection';
import { appRouter } from './router';
import { idempotency } from './idempotency';
import { rateLimit } from './rate-limit';
import { surveyPages } from './modules/surveys/survey.page';
import { customerTransfer, IMPORT_CUSTOMERS_PATH } from './modules/customers/transfer.routes';
import type { Context } from './trpc';

export const API_VERSION = '0.1.0';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  db: Db;
  /** Extra origins CORS allows; with none, any browser-extension origin is allowed. */
  allowedOrigins?: readonly string[];
  now?: () => number;
  /** Requests a minute per token; 0 turns the limit off. */
  rateLimitPerMinute?: number;
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

  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-site' }));
  app.use(
    '*',
    cors({
      origin: (origin) => (origin && isAllowedOrigin(origin, allowed) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      maxAge: 600,
    }),
  );
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
      return c.json({ ok: false, db: db.kind, version: API_VERSION, error: String(error) }, 503);
    }
  });

  // Public survey pages (the link in a reply): no token, the link itself is the credential.
  app.route('/s', surveyPages({ db, now }));
  // CSV import and export of customers (admin token; streamed both ways).
  app.route('/', customerTransfer({ db, now }));

  app.use('/trpc/*', rateLimit({ perMinute: options.rateLimitPerMinute ?? 0, now }));
  app.use('/trpc/*', idempotency(db.db, now));
  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      createContext: (_opts, c): Context & Record<string, unknown> => ({
        db,
        authorization: c.req.header('authorization') ?? null,
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
