import { sql } from 'kysely';
import type { PresenceActivity, PresenceSnapshot } from '@shared/presence';
import { PRESENCE_TTL_MS } from '@shared/presence';
import type { Db } from '../../db/database';
import { toIso } from '../../db/time';

/** Expired rows are removed by writers at most this often (per process), not on every heartbeat. */
const SWEEP_EVERY_MS = 10_000;
const lastSweep = new WeakMap<object, number>();

/**
 * A tab's heartbeat: the agent is on this conversation, viewing or replying. A tab that moves to
 * another conversation starts a new `opened_at` (the collision guard counts from it).
 */
export async function touchPresence(
  db: Db,
  input: { agentId: number; tabId: string; conversationKey: string; activity: PresenceActivity; now: number },
): Promise<{ openedAt: number }> {
  const row = await db
    .insertInto('presence')
    .values({ agent_id: input.agentId, tab_id: input.tabId, conversation_key: input.conversationKey, activity: input.activity, opened_at: input.now, seen_at: input.now })
    .onConflict((oc) =>
      oc.columns(['agent_id', 'tab_id']).doUpdateSet({
        opened_at: sql<number>`case when presence.conversation_key = excluded.conversation_key then presence.opened_at else excluded.opened_at end`,
        conversation_key: (eb) => eb.ref('excluded.conversation_key'),
        activity: (eb) => eb.ref('excluded.activity'),
        seen_at: (eb) => eb.ref('excluded.seen_at'),
      }),
    )
    .returning(['opened_at'])
    .executeTakeFirstOrThrow();
  if ((lastSweep.get(db) ?? 0) + SWEEP_EVERY_MS < input.now) {
    lastSweep.set(db, input.now);
    await db.deleteFrom('presence').where('seen_at', '<', input.now - PRESENCE_TTL_MS).execute();
  }
  return { openedAt: Number(row.opened_at) };
}

/** The tab closed or left the conversation: gone at once rather than after the expiry. */
export async function leavePresence(db: Db, agentId: number, tabId: string): Promise<void> {
  await db.deleteFrom('presence').where('agent_id', '=', agentId).where('tab_id', '=', tabId).execute();
}

export async function recordActivity(db: Db, input: { conversationKey: string; agentId: number; kind: 'replied' | 'logged'; now: number }): Promise<void> {
  await db.insertInto('conversation_activity').values({ conversation_key: input.conversationKey, agent_id: input.agentId, kind: input.kind, at: input.now }).execute();
}

/** Bounds: a conversation has a few agents on it; activity lists the latest few. */
const MAX_VIEWERS = 50;
const MAX_ACTIVITY = 20;

/**
 * Who else is on a conversation now (one entry per agent: replying wins over viewing, the
 * earliest tab's time), and what teammates did there since `since` (when this tab opened it).
 * `version` changes exactly when the answer does, so a poller can ask "anything new since v?".
 */
export async function readPresence(db: Db, input: { conversationKey: string; agentId: number; since: number; now: number }): Promise<PresenceSnapshot> {
  const [rows, activity] = await Promise.all([
    db
      .selectFrom('presence')
      .innerJoin('agents', 'agents.id', 'presence.agent_id')
      .select(['presence.agent_id', 'agents.name', 'presence.activity', 'presence.opened_at'])
      .where('presence.conversation_key', '=', input.conversationKey)
      .where('presence.seen_at', '>=', input.now - PRESENCE_TTL_MS)
      .where('presence.agent_id', '!=', input.agentId)
      .orderBy('presence.opened_at')
      .limit(MAX_VIEWERS)
      .execute(),
    db
      .selectFrom('conversation_activity')
      .innerJoin('agents', 'agents.id', 'conversation_activity.agent_id')
      .select(['conversation_activity.id', 'conversation_activity.agent_id', 'agents.name', 'conversation_activity.kind', 'conversation_activity.at'])
      .where('conversation_activity.conversation_key', '=', input.conversationKey)
      .where('conversation_activity.at', '>', input.since)
      .where('conversation_activity.agent_id', '!=', input.agentId)
      .orderBy('conversation_activity.at', 'desc')
      .limit(MAX_ACTIVITY)
      .execute(),
  ]);
  const byAgent = new Map<number, PresenceSnapshot['viewers'][number]>();
  for (const r of rows) {
    const seen = byAgent.get(r.agent_id);
    if (!seen) byAgent.set(r.agent_id, { agentId: r.agent_id, name: r.name, activity: r.activity, since: toIso(Number(r.opened_at)) });
    else if (r.activity === 'replying') seen.activity = 'replying';
  }
  const viewers = [...byAgent.values()];
  const items = activity.map((a) => ({ agentId: a.agent_id, name: a.name, kind: a.kind, at: toIso(Number(a.at)) }));
  const version = `${viewers.map((v) => `${v.agentId}${v.activity[0]}`).join('.')}|${activity.map((a) => a.id).join('.')}`;
  return { version, viewers, activity: items };
}
