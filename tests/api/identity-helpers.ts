import type { Kysely } from 'kysely';
import type { Database } from '../../api/db/database';
import { createAgent, createToken } from '../../api/modules/agents/agents.repository';
import { appRouter } from '../../api/router';
import { createCallerFactory } from '../../api/trpc';
import type { TestDb } from './test-db';

/** Callers for the identity tests (issue 7): an admin and a plain agent on one test database. */
const callerFactory = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof callerFactory>;

export async function identityCallers(testDb: TestDb, clock: () => number) {
  const db = testDb.conn.db;
  const admin = await createAgent(db, { name: 'Ada Admin', email: `ada-${Math.random()}@rafiq.test`, role: 'admin' }, clock());
  const agent = await createAgent(db, { name: 'Sami Agent', email: `sami-${Math.random()}@rafiq.test`, role: 'agent' }, clock());
  const adminToken = (await createToken(db, admin.id, clock())).token;
  const agentToken = (await createToken(db, agent.id, clock())).token;
  const make = (token: string) => callerFactory({ conn: testDb.conn, authorization: `Bearer ${token}`, now: clock, baseUrl: 'http://rafiq.test' });
  return { admin: make(adminToken), agent: make(agentToken), adminToken, agentToken, adminId: admin.id, agentId: agent.id };
}

/** Every row a customer owns, by table, sorted: what "the same state" means for merge/unmerge. */
export async function snapshot(db: Kysely<Database>) {
  type Owned = 'customers' | 'identities' | 'interactions' | 'tickets' | 'notes' | 'orders' | 'surveys';
  const all = async (table: Owned) => (await db.selectFrom(table as 'customers').selectAll().orderBy('id').execute()) as unknown[];
  return {
    customers: await all('customers'),
    identities: await all('identities'),
    interactions: await all('interactions'),
    tickets: await all('tickets'),
    notes: await all('notes'),
    orders: await all('orders'),
    surveys: await all('surveys'),
  };
}
