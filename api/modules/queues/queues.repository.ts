import { sql } from 'kysely';
import type { SlaClock } from '@shared/sla';
import type { Db as Connection } from '../../db/connection';
import type { Db } from '../../db/database';
import { toIso } from '../../db/time';
import { DomainError, notFound } from '../../errors';
import { clocksOf, currentClock, slaOfTickets, slaTicketColumns, teamOfAgent, type TicketClocks } from '../sla/sla.repository';

export type QueueName = 'mine' | 'unassigned' | 'breaching';

/**
 * Breaching soon = the running clock (first response until there is one, then resolution) has
 * run out or runs out within this many minutes of wall-clock time.
 */
export const BREACHING_SOON_MINUTES = 60;
/**
 * Open tickets scanned for "breaching soon" (newest first). Business-calendar deadlines are not SQL
 * arithmetic, so they are computed here; a team with more open tickets than this has a backlog
 * problem a queue will not fix, and the count says "at least".
 */
export const BREACH_SCAN_LIMIT = 3_000;

export interface QueueItem {
  ticketId: number;
  subject: string;
  status: string;
  priority: string;
  channel: string;
  customerId: number;
  customerName: string;
  assigneeId: number | null;
  createdAt: string;
  sourceUrl: string | null;
  sourceKey: string | null;
  clock: { kind: 'firstResponse' | 'resolution'; clock: SlaClock } | null;
}

const OPEN = ['open', 'pending'] as const;

function baseQuery(db: Db) {
  return db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.status',
      'tickets.priority',
      'tickets.channel',
      'tickets.customer_id',
      'customers.display_name',
      'tickets.assignee_id',
      'tickets.created_at',
      'tickets.first_response_at',
      'tickets.resolved_at',
      'tickets.source_url',
      'tickets.source_key',
    ])
    .where('tickets.status', 'in', OPEN);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

async function withClocks(db: Db, rows: BaseRow[], now: number): Promise<QueueItem[]> {
  const slas = await slaOfTickets(db, rows);
  return rows.map((r) => ({
    ticketId: r.id,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    customerId: r.customer_id,
    customerName: r.display_name,
    assigneeId: r.assignee_id,
    createdAt: toIso(r.created_at),
    sourceUrl: r.source_url,
    sourceKey: r.source_key,
    clock: currentClock(clocksOf(slas.get(r.id)!, now)),
  }));
}

function isBreachingSoon(item: QueueItem, now: number): boolean {
  const c = item.clock?.clock;
  if (!c || c.state === 'paused' || c.state === 'met' || c.state === 'missed') return false;
  return c.state === 'breached' || (c.deadline !== null && c.deadline - now <= BREACHING_SOON_MINUTES * 60_000);
}

async function breachingItems(db: Db, now: number): Promise<{ items: QueueItem[]; scanned: number }> {
  const rows = await baseQuery(db).where('tickets.status', '=', 'open').orderBy('tickets.id', 'desc').limit(BREACH_SCAN_LIMIT).execute();
  const items = (await withClocks(db, rows, now)).filter((i) => isBreachingSoon(i, now));
  items.sort((a, b) => (a.clock!.clock.deadline ?? 0) - (b.clock!.clock.deadline ?? 0) || a.ticketId - b.ticketId);
  return { items, scanned: rows.length };
}

/** Oldest first (the order a queue is worked in); the cursor is the last ticket id of the page. */
export async function listQueue(
  db: Db,
  input: { queue: QueueName; agentId: number; limit: number; cursor?: number | null; now: number },
): Promise<{ items: QueueItem[]; nextCursor: number | null }> {
  if (input.queue === 'breaching') {
    // Ordered by deadline: the cursor is an offset into that order.
    const { items } = await breachingItems(db, input.now);
    const start = input.cursor ?? 0;
    const page = items.slice(start, start + input.limit);
    return { items: page, nextCursor: start + input.limit < items.length ? start + input.limit : null };
  }
  let query = baseQuery(db).orderBy('tickets.id', 'asc').limit(input.limit + 1);
  query = input.queue === 'mine' ? query.where('tickets.assignee_id', '=', input.agentId) : query.where('tickets.assignee_id', 'is', null);
  if (input.cursor) query = query.where('tickets.id', '>', input.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, input.limit);
  return { items: await withClocks(db, page, input.now), nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function queueCounts(db: Db, agentId: number, now: number): Promise<{ mine: number; unassigned: number; breaching: number; breachingAtLeast: boolean }> {
  const count = (q: ReturnType<typeof baseQuery>) =>
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [mine, unassigned, breaching] = await Promise.all([
    count(baseQuery(db).where('tickets.assignee_id', '=', agentId)),
    count(baseQuery(db).where('tickets.assignee_id', 'is', null)),
    breachingItems(db, now),
  ]);
  return { mine, unassigned, breaching: breaching.items.length, breachingAtLeast: breaching.scanned >= BREACH_SCAN_LIMIT };
}

export async function clocksOfTicket(db: Db, ticketId: number, now: number): Promise<TicketClocks> {
  const row = await db.selectFrom('tickets').select(slaTicketColumns).where('id', '=', ticketId).executeTakeFirst();
  if (!row) throw notFound('ticket', ticketId);
  return clocksOf((await slaOfTickets(db, [row])).get(ticketId)!, now);
}

// ---------------------------------------------------------------------------------------------
// Assignment

export async function assertAgent(db: Db, agentId: number, field = 'agentId'): Promise<void> {
  const row = await db.selectFrom('agents').select('id').where('id', '=', agentId).executeTakeFirst();
  if (!row) throw new DomainError('invalid', `agent ${agentId} does not exist`, { field });
}

/**
 * Round-robin: the available member of the team given a ticket longest ago (never = first), ties
 * by agent id. Stamps them, so the next pick moves on. Null when nobody is available.
 *
 * Several API processes may pick at once, so the pick is one statement (choose, stamp, return):
 * SQLite runs it under its single writer lock; on PostgreSQL a read-then-write could hand two
 * concurrent tickets to the same agent, so the picks of a team queue on the team row's lock
 * first, and each sees the stamp the previous one committed. The stamp is the later of now and
 * one past the team's latest stamp, so picks in the same millisecond, or from a process whose
 * clock is behind, still go round in turn.
 */
export async function pickRoundRobin(conn: Pick<Connection, 'kind' | 'db'>, teamId: number, now: number): Promise<number | null> {
  const pick = async (db: Db) => {
    const latest = sql<number>`(select coalesce(max(latest.last_assigned_at), 0) + 1 from team_members as latest where latest.team_id = ${teamId})`;
    const next = db
      .selectFrom('team_members as candidate')
      .select('candidate.agent_id')
      .where('candidate.team_id', '=', teamId)
      .where('candidate.available', '=', 1)
      .orderBy(sql`coalesce(candidate.last_assigned_at, -1)`)
      .orderBy('candidate.agent_id')
      .limit(1);
    const row = await db
      .updateTable('team_members')
      .set({ last_assigned_at: conn.kind === 'postgres' ? sql<number>`greatest(${now}::bigint, ${latest})` : sql<number>`max(${now}, ${latest})` })
      .where('agent_id', '=', next)
      .returning('agent_id')
      .executeTakeFirst();
    return row?.agent_id ?? null;
  };
  if (conn.kind !== 'postgres') return pick(conn.db);
  return conn.db.transaction().execute(async (trx) => {
    await trx.selectFrom('teams').select('id').where('id', '=', teamId).forUpdate().execute();
    return pick(trx);
  });
}

/**
 * Who a new ticket goes to when its creator names nobody: the next available teammate when the
 * team does round-robin, otherwise the agent who opened it (they are working on it). Tickets made
 * with `assigneeId: null` wait in Unassigned until someone takes them or, with claim on first
 * reply, answers them.
 */
export async function initialAssignee(conn: Pick<Connection, 'kind' | 'db'>, creatorId: number, now: number): Promise<number> {
  const team = await teamOfAgent(conn.db, creatorId);
  if (team.roundRobin) {
    const picked = await pickRoundRobin(conn, team.id, now);
    if (picked !== null) return picked;
  }
  return creatorId;
}

/** The first reply to an unassigned ticket claims it, when the replying agent's team works that way. */
export async function claimOnFirstReply(db: Db, ticketId: number, agentId: number, now: number): Promise<boolean> {
  const team = await teamOfAgent(db, agentId);
  if (!team.claimOnFirstReply) return false;
  const result = await db
    .updateTable('tickets')
    .set({ assignee_id: agentId, updated_at: now })
    .where('id', '=', ticketId)
    .where('assignee_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
