import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from '../../../api/db/connection';
import { migrateToLatest } from '../../../api/db/migrate';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { exited, startApiProcess, type ApiProcess } from '../../../scripts/team-lib';
import { createPostgresDatabase, dbKinds } from '../test-db';

/**
 * Issue 20, several API processes on one PostgreSQL: two real API processes (api/main.ts) on
 * random loopback ports, one temporary database. A token revoked through one process (or
 * straight in the database, as the CLI does) stops working on the other within 1 s, and the
 * rate limit is one budget across both. Bounded: every wait has a deadline.
 */

describe.each(dbKinds.filter((kind) => kind === 'postgres'))('two API processes on one %s', () => {
  let database: { url: string; drop(): Promise<void> };
  let a: ApiProcess;
  let b: ApiProcess;
  let admin: string;
  let agent: string;
  let agentTokenId: number;
  let sqlToken: string;
  let sqlTokenId: number;
  let rita: string;

  beforeAll(async () => {
    database = await createPostgresDatabase('rafiq_team');
    const setup = connect({ databaseUrl: database.url });
    try {
      await migrateToLatest(setup.db);
      const now = Date.now();
      const ada = await createAgent(setup.db, { name: 'Ada', email: 'ada@rafiq.test', role: 'admin' }, now);
      const sam = await createAgent(setup.db, { name: 'Sam', email: 'sam@rafiq.test', role: 'agent' }, now);
      admin = (await createToken(setup.db, ada.id, now)).token;
      ({ token: agent, id: agentTokenId } = await createToken(setup.db, sam.id, now));
      ({ token: sqlToken, id: sqlTokenId } = await createToken(setup.db, sam.id, now, { label: 'revoked by SQL' }));
      const ritaAgent = await createAgent(setup.db, { name: 'Rita', email: 'rita@rafiq.test', role: 'agent' }, now);
      rita = (await createToken(setup.db, ritaAgent.id, now)).token;
    } finally {
      await setup.close();
    }
    // 60 a minute: a burst of 10 for each agent, shared by both processes.
    const env = { DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: '60', AUTH_FAILURES_PER_MINUTE: '600' };
    [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    for (const p of [a, b]) if (p) p.child.kill('SIGKILL');
    await Promise.all([a, b].filter(Boolean).map((p) => exited(p.child)));
    await database?.drop();
  });

  const me = (api: ApiProcess, token: string) =>
    fetch(`${api.url}/trpc/agents.me`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) }).then((r) => r.status);

  /** Polls until `token` is refused by `api`; the time it took, or null past 1 s. */
  async function refusedWithin1s(api: ApiProcess, token: string): Promise<number | null> {
    const start = Date.now();
    while (Date.now() - start <= 1_000) {
      if ((await me(api, token)) === 401) return Date.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return null;
  }

  test('a token revoked through one process is refused by the other within 1 s', async () => {
    // Both processes have verified (and cached) the token.
    expect([await me(a, agent), await me(b, agent)]).toEqual([200, 200]);
    const revoke = await fetch(`${a.url}/trpc/agents.revokeToken`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tokenId: agentTokenId }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(revoke.status).toBe(200);
    const took = await refusedWithin1s(b, agent);
    expect(took, `process B still accepted the revoked token after 1 s\n${b.output().slice(-2000)}`).not.toBeNull();
    expect(await me(a, agent)).toBe(401);
  });

  test('a token revoked in the database itself (the CLI) is refused by both within 1 s', async () => {
    expect([await me(a, sqlToken), await me(b, sqlToken)]).toEqual([200, 200]);
    const db = connect({ databaseUrl: database.url });
    try {
      await db.db.updateTable('api_tokens').set({ revoked_at: Date.now() }).where('id', '=', sqlTokenId).execute();
    } finally {
      await db.close();
    }
    expect(await refusedWithin1s(a, sqlToken)).not.toBeNull();
    expect(await refusedWithin1s(b, sqlToken)).not.toBeNull();
  });

  test('the rate limit is one budget across both processes', async () => {
    const statuses: number[] = [];
    // 14 calls alternating between the processes: a burst of 10 in all, not 10 on each.
    for (let i = 0; i < 14; i++) statuses.push(await me(i % 2 ? b : a, rita));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(11); // one may refill meanwhile
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});
