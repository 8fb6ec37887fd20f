// Round-robin under concurrency (issue 21): several API processes (here: one pool's concurrent
// connections) creating tickets at the same moment must hand each available agent one ticket in
// turn, never the same agent twice while another waits. On PostgreSQL the pick is one statement
// that locks the chosen member row (SKIP LOCKED), so a concurrent pick takes the next one.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAgent } from '../../../api/modules/agents/agents.repository';
import { defaultTeam, setAvailable } from '../../../api/modules/sla/sla.repository';
import { pickRoundRobin } from '../../../api/modules/queues/queues.repository';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

const AGENTS = 6;

describe.each(dbKinds)('round-robin on %s', (kind) => {
  let db: TestDb;
  let teamId = 0;
  const agents: number[] = [];

  beforeAll(async () => {
    db = await createTestDb(kind);
    const t0 = Date.parse('2026-12-01T08:00:00Z');
    for (let i = 0; i < AGENTS; i++) {
      const agent = await createAgent(db.conn.db, { name: `Agent ${i}`, email: `agent${i}@rafiq.example`, role: 'agent' }, t0);
      agents.push(agent.id);
      await setAvailable(db.conn.db, agent.id, true);
    }
    teamId = (await defaultTeam(db.conn.db)).id;
  }, 60_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  test('one pick at a time goes round in order: never assigned first, then the longest ago', async () => {
    const picks: (number | null)[] = [];
    for (let i = 0; i < AGENTS + 2; i++) picks.push(await pickRoundRobin(db.conn, teamId, 1_000 + i));
    expect(picks).toEqual([...agents, agents[0], agents[1]]);
  });

  test('concurrent picks: each available agent once, as many rounds as asked', async () => {
    for (let round = 0; round < 5; round++) {
      const now = 10_000 + round;
      const picks = await Promise.all(Array.from({ length: AGENTS }, () => pickRoundRobin(db.conn, teamId, now)));
      expect(picks.every((p) => p !== null)).toBe(true);
      expect(new Set(picks).size).toBe(AGENTS);
    }
  });

  test('more concurrent picks than agents: every pick still names an available agent', async () => {
    const picks = await Promise.all(Array.from({ length: AGENTS * 2 }, (_, i) => pickRoundRobin(db.conn, teamId, 20_000 + i)));
    expect(picks.every((p) => p !== null && agents.includes(p))).toBe(true);
    // Each agent got two of the twelve.
    const counts = new Map<number, number>();
    for (const p of picks) counts.set(p!, (counts.get(p!) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual(Array(AGENTS).fill(2));
  });

  test('nobody available: null (the ticket goes to its creator)', async () => {
    for (const id of agents) await setAvailable(db.conn.db, id, false);
    expect(await pickRoundRobin(db.conn, teamId, 30_000)).toBeNull();
  });
});
