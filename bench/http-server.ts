/**
 * The servers under load, run in a child process of api.bench.ts (started with `node --import
 * tsx`): autocannon parses responses on the parent's event loop, and sharing one loop (and one
 * core) with the server would cap both and blur the latency numbers. On a 2-core machine the
 * parent and this child each get a core.
 *
 * Three listeners on ephemeral ports of 127.0.0.1, all over the same database:
 * - bareHono: a Hono route answering GET /trpc/customers.lookup?input=... with the raw statement;
 * - bareTrpc: a tiny tRPC router (no auth, no middleware) with the same procedure path and input
 *   schema, resolved by the raw statement, behind @hono/trpc-server;
 * - api: the real `createApp({ db })`.
 */
import { serve } from '@hono/node-server';
import { trpcServer } from '@hono/trpc-server';
import { initTRPC, TRPCError } from '@trpc/server';
import { Hono } from 'hono';
import pg from 'pg';
import { customerLookupSchema } from '@shared/customer';
import { createApp } from '../api/app';
import { connect } from '../api/db/connection';
import { firstNormalized, pgRawLookup, shapeLookup, sqliteRawLookup, type RawLookup } from './baseline';

export interface ServerConfig {
  kind: 'sqlite' | 'postgres';
  sqliteFile?: string;
  databaseUrl?: string;
}
export type ServerPorts = { bareHono: number; bareTrpc: number; api: number };
export type ChildMessage = { type: 'ready'; ports: ServerPorts; pid: number } | { type: 'usage'; cpuMs: number; rssMb: number };

const config = JSON.parse(process.env.RAFIQ_BENCH_SERVER ?? '{}') as ServerConfig;
const db = connect(config.kind === 'postgres' ? { databaseUrl: config.databaseUrl } : { sqliteFile: config.sqliteFile });
const pool = config.kind === 'postgres' ? new pg.Pool({ connectionString: config.databaseUrl, max: 10 }) : null;
const rawLookup: RawLookup = pool
  ? pgRawLookup(pool).lookup
  : (() => {
      const { lookup } = sqliteRawLookup(db.sqlite!);
      return async (kind: string, normalized: string) => lookup(kind, normalized);
    })();

const bareHono = new Hono();
bareHono.get('/trpc/customers.lookup', async (c) => {
  let requested: ReturnType<typeof firstNormalized> = null;
  try {
    requested = firstNormalized((JSON.parse(c.req.query('input') ?? '{}') as { identities: [] }).identities);
  } catch {
    // bad input: falls through to 400
  }
  if (!requested) return c.json({ error: 'bad input' }, 400);
  return c.json(shapeLookup(await rawLookup(requested.kind, requested.normalized), requested));
});

const t = initTRPC.create();
const bareRouter = t.router({
  customers: t.router({
    lookup: t.procedure.input(customerLookupSchema).query(async ({ input }) => {
      const requested = firstNormalized(input.identities);
      if (!requested) throw new TRPCError({ code: 'BAD_REQUEST' });
      return shapeLookup(await rawLookup(requested.kind, requested.normalized), requested);
    }),
  }),
});
const bareTrpc = new Hono();
bareTrpc.use('/trpc/*', trpcServer({ router: bareRouter, endpoint: '/trpc' }));

const api = createApp({ db });

const servers: ReturnType<typeof serve>[] = [];
const listen = (app: Hono) =>
  new Promise<number>((resolve) => {
    servers.push(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port)));
  });

const ports: ServerPorts = { bareHono: await listen(bareHono), bareTrpc: await listen(bareTrpc), api: await listen(api) };
process.send!({ type: 'ready', ports, pid: process.pid } satisfies ChildMessage);

let lastCpu = process.cpuUsage();
process.on('message', (message: { type: string }) => {
  if (message.type === 'usage') {
    // CPU this process used since the previous ask (the parent asks around each phase).
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    process.send!({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 1e6 } satisfies ChildMessage);
  } else if (message.type === 'stop') {
    void stop();
  }
});
process.on('disconnect', () => void stop());

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const server of servers) {
    server.close();
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  }
  // Requests the load generator left in flight finish before the database closes under them.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await pool?.end();
  await db.close();
  process.exit(0);
}
