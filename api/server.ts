import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app';
import { connect, type Db } from './db/connection';
import { migrateToLatest } from './db/migrate';
import type { Env } from './env';
import { seedDemoIfEmpty } from './demo/seed';
import { indexMissingCustomers } from './modules/customers/search-index';

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  demoToken: string | null;
  close(): Promise<void>;
}

/** Connects, migrates, optionally seeds the demo workspace, and listens. */
export async function startServer(env: Env, options: { sqliteFile?: string; quiet?: boolean; tokenFile?: string } = {}): Promise<RunningServer> {
  const db = connect({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, sqliteFile: options.sqliteFile, statementTimeoutMs: env.STATEMENT_TIMEOUT_MS });
  await migrateToLatest(db.db);
  const demoToken = env.SEED_DEMO
    ? await seedDemoIfEmpty(db.db, { log: !options.quiet, tokenFile: options.tokenFile ?? `${env.DATA_DIR}/demo-token.txt` })
    : null;
  // Search and suggestion indexes for customers written around the customers module (the demo seed).
  await indexMissingCustomers(db.db);
  const app = createApp({ db, allowedOrigins: env.ALLOWED_ORIGINS, rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => resolve(s));
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
