import type { Server as HttpServer } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app';
import { connect, type Db } from './db/connection';
import { migrateToLatest } from './db/migrate';
import type { Env } from './env';
import { seedDemoIfEmpty } from './demo/seed';
import { indexMissingCustomers } from './modules/customers/search-index';
import { listenForTokenChanges, type TokenListener } from './modules/agents/token-events';
import { pruneIdempotencyKeys } from './idempotency';
import { createLogger } from './log';


/** How long a shutdown waits for requests in flight before cutting kept-alive connections. */
export const CLOSE_GRACE_MS = 2_000;
export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  demoToken: string | null;
  close(): Promise<void>;
}

/** Connects, migrates, optionally seeds the demo workspace, and listens. */
export async function startServer(
  env: Env,
  options: {
    sqliteFile?: string;
    quiet?: boolean;
    tokenFile?: string;
    /** Told of every request's URL before it is handled (benchmarks count the calls a page makes). */
    onRequest?(url: string): void;
  } = {},
): Promise<RunningServer> {
  const db = connect({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, sqliteFile: options.sqliteFile, statementTimeoutMs: env.STATEMENT_TIMEOUT_MS });
  await migrateToLatest(db.db);
  const demoToken = env.SEED_DEMO
    ? await seedDemoIfEmpty(db.db, { log: !options.quiet, tokenFile: options.tokenFile ?? `${env.DATA_DIR}/demo-token.txt` })
    : null;
  // Search and suggestion indexes for customers written around the customers module (the demo seed).
  await indexMissingCustomers(db.db);
  // Several processes on one PostgreSQL: token revocations reach every process's cache (issue 20).
  const tokens: TokenListener | null = env.DATABASE_URL ? listenForTokenChanges(env.DATABASE_URL, db.db) : null;
  if (tokens) await Promise.race([tokens.ready, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  const app = createApp({
    db,
    allowedOrigins: env.ALLOWED_ORIGINS,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    tokenTtlDays: env.TOKEN_TTL_DAYS,
    idempotencyLeaseMs: env.IDEMPOTENCY_LEASE_MS,
    // `npm start` sets RAFIQ_LOG_PRETTY=1 for readable lines; everywhere else, JSON.
    log: createLogger(env.LOG_LEVEL, { pretty: process.env.RAFIQ_LOG_PRETTY === '1' }),
  });
  const maintenance = startMaintenance(db);
  const server: ServerType = await new Promise((resolve) => {
    const onRequest = options.onRequest;
    const fetch: typeof app.fetch = onRequest ? (request, ...rest) => (onRequest(request.url), app.fetch(request, ...rest)) : app.fetch;
    const s = serve({ fetch, port: env.PORT, hostname: env.HOST }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;
  return {
    url,
    port,
    db,
    demoToken,
    close: async () => {
      clearInterval(maintenance);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Busy clients keep their connections alive (each open sidebar polls presence every second),
      // so close() alone could wait forever for them to go idle (the outbox e2e hung on it). Idle
      // connections go at once; the rest get a grace period for requests in flight, then are cut.
      const http = server as Partial<Pick<HttpServer, 'closeIdleConnections' | 'closeAllConnections'>>;
      http.closeIdleConnections?.();
      const grace = setTimeout(() => http.closeAllConnections?.(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await tokens?.close();
      await db.close();
    },
  };
}

/** Pruning on a schedule (issue 18 item 2): idempotency keys past their week, at start and hourly; refilled rate buckets every minute. */
function startMaintenance(db: Db): ReturnType<typeof setInterval> {
  const run = async (what: 'keys' | 'buckets') => {
    try {
      if (what === 'keys') await pruneIdempotencyKeys(db.db, Date.now());
      else await db.db.deleteFrom('rate_limit_buckets').where('updated_at', '<', Date.now() - 10 * 60_000).execute();
    } catch (error) {
      console.error(`[api] pruning ${what} failed`, error);
    }
  };
  void run('keys');
  let minutes = 0;
  const timer = setInterval(() => {
    void run('buckets');
    if (++minutes % 60 === 0) void run('keys');
  }, 60_000);
  timer.unref();
  return timer;
}
