import type { Kysely } from 'kysely';
import type { SlaClock } from '@shared/sla';
import type { Database, Db } from '../../db/database';
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
 */
export async function pickRoundRobin(db: Kysely<Database>, teamId: number, now: number): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const candidates = await trx
      .selectFrom('team_members')
      .select(['agent_id', 'last_assigned_at'])
      .where('team_id', '=', teamId)
      .where('available', '=', 1)
      .limit(1000)
      .execute();
    if (!candidates.length) return null;
    candidates.sort((a, b) => (a.last_assigned_at ?? -1) - (b.last_assigned_at ?? -1) || a.agent_id - b.agent_id);
    const chosen = candidates[0]!.agent_id;
    await trx.updateTable('team_members').set({ last_assigned_at: now }).where('agent_id', '=', chosen).execute();
    return chosen;
  });
}

/**
 * Who a new ticket goes to when its creator names nobody: the next available teammate when the
 * team does round-robin, otherwise the agent who opened it (they are working on it). Tickets made
 * with `assigneeId: null` wait in Unassigned until someone takes them or, with claim on first
 * reply, answers them.
 */
export async function initialAssignee(db: Kysely<Database>, creatorId: number, now: number): Promise<number> {
  const team = await teamOfAgent(db, creatorId);
  if (team.roundRobin) {
    const picked = await pickRoundRobin(db, team.id, now);
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
