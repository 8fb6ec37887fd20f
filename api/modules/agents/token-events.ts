import pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { AUTH_CACHE_TTL_MS, forgetCachedToken, setAuthCacheTtl } from './agents.repository';

/** The channel migration 2026_12_03_140000 notifies on: a token hash, or '*' for "an agent changed". */
export const TOKEN_CHANNEL = 'rafiq_tokens';

export interface TokenListener {
  /** Resolves when LISTEN is active (the cache is on from then). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps this process's token cache true to PostgreSQL (issue 20): one dedicated connection runs
 * `LISTEN rafiq_tokens`; each notification drops that token from the cache. When the connection
 * drops, the cache is switched off until it is back (and then cleared, since notifications sent
 * meanwhile were missed), so a revocation is never served from a stale cache.
 */
export function listenForTokenChanges(databaseUrl: string, db: Kysely<Database>, log: (message: string) => void = console.error): TokenListener {
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = 250;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  setAuthCacheTtl(db, 0);

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    client = c;
    const lost = (why: string) => {
      if (client !== c) return;
      client = null;
      setAuthCacheTtl(db, 0);
      if (closed) return;
      log(`[auth] token change listener lost (${why}); token cache off, reconnecting`);
      timer = setTimeout(() => void connect(), retryMs);
      timer.unref?.();
      retryMs = Math.min(retryMs * 2, 10_000);
    };
    c.on('error', (error) => lost(error.message));
    c.on('end', () => lost('connection ended'));
    c.on('notification', (message) => {
      if (message.channel === TOKEN_CHANNEL) forgetCachedToken(db, message.payload ?? '*');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${TOKEN_CHANNEL}`);
      retryMs = 250;
      forgetCachedToken(db, '*');
      setAuthCacheTtl(db, AUTH_CACHE_TTL_MS);
      markReady();
    } catch (error) {
      lost((error as Error).message);
      void c.end().catch(() => {});
    }
  };
  void connect();

  return {
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
