import type { Kysely } from 'kysely';
import type { Ticket, TicketStatus } from '@shared/ticket';
import type { Database, Db, TicketRow } from '../../db/database';
import { toIso, toIsoOrNull } from '../../db/time';
import { toJsonText } from '../../db/json';
import { isUniqueViolation, notFound } from '../../errors';
import { logInteraction } from '../timeline/timeline.repository';

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    customerId: row.customer_id,
    subject: row.subject,
    status: row.status,
    reopenCount: row.reopen_count,
    priority: row.priority,
    channel: row.channel,
    assigneeId: row.assignee_id,
    firstResponseAt: toIsoOrNull(row.first_response_at),
    resolvedAt: toIsoOrNull(row.resolved_at),
    sourceUrl: row.source_url,
    sourceKey: row.source_key,
    details: JSON.parse(row.details) as Record<string, unknown>,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export async function findTicket(db: Db, id: number): Promise<TicketRow> {
  const row = await db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('ticket', id);
  return row;
}

export function findTicketBySourceKey(db: Db, sourceKey: string) {
  return db.selectFrom('tickets').selectAll().where('source_key', '=', sourceKey).executeTakeFirst();
}

export interface NewTicket {
  customerId: number;
  subject: string;
  channel: string;
  priority: TicketRow['priority'];
  assigneeId: number | null;
  sourceUrl: string | null;
  sourceKey: string | null;
  details: Record<string, unknown>;
  excerpt: string | null;
  agentId: number | null;
  createdAt: number;
}

/**
 * Opens a ticket and puts it on the customer's timeline. A ticket with the same source key
 * (the same review, tweet or thread) is returned instead with `created: false`, so a second
 * click, a reload or a teammate never makes a duplicate.
 */
export async function createTicket(db: Kysely<Database>, input: NewTicket): Promise<{ ticket: Ticket; created: boolean }> {
  if (input.sourceKey) {
    const existing = await findTicketBySourceKey(db, input.sourceKey);
    if (existing) return { ticket: toTicket(existing), created: false };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('tickets')
        .values({
          customer_id: input.customerId,
          subject: input.subject,
          status: 'open',
          priority: input.priority,
          channel: input.channel,
          assignee_id: input.assigneeId,
          source_url: input.sourceUrl,
          source_key: input.sourceKey,
          details: toJsonText(input.details),
          created_at: input.createdAt,
          updated_at: input.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await logInteraction(trx, {
        customer_id: input.customerId,
        channel: 'ticket',
        direction: 'internal',
        occurred_at: input.createdAt,
        summary: `Ticket #${row.id} opened: ${input.subject}`.slice(0, 500),
        excerpt: input.excerpt,
        url: input.sourceUrl,
        external_id: `ticket:${row.id}`,
        agent_id: input.agentId,
        ticket_id: row.id,
        created_at: input.createdAt,
      });
      return { ticket: toTicket(row), created: true };
    });
  } catch (error) {
    if (input.sourceKey && isUniqueViolation(error)) {
      const existing = await findTicketBySourceKey(db, input.sourceKey);
      if (existing) return { ticket: toTicket(existing), created: false };
    }
    throw error;
  }
}

/**
 * Status changes keep the service numbers honest: resolving stamps `resolved_at`; moving a
 * resolved or closed ticket back to open/pending counts a reopen (and clears `resolved_at`
 * until it is resolved again).
 */
export async function updateTicket(
  db: Kysely<Database>,
  id: number,
  patch: { status?: TicketStatus; priority?: TicketRow['priority']; assigneeId?: number | null; subject?: string },
  agentId: number,
  now: number,
): Promise<{ before: Ticket; after: Ticket }> {
  return db.transaction().execute(async (trx) => {
    const row = await findTicket(trx, id);
    const wasDone = row.status === 'resolved' || row.status === 'closed';
    const willBeDone = patch.status === 'resolved' || patch.status === 'closed';
    const reopening = patch.status !== undefined && wasDone && !willBeDone;
    const resolving = patch.status !== undefined && !wasDone && willBeDone;
    const updated = await trx
      .updateTable('tickets')
      .set({
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.priority !== undefined && { priority: patch.priority }),
        ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
        ...(patch.subject !== undefined && { subject: patch.subject }),
        ...(reopening && { reopen_count: row.reopen_count + 1, resolved_at: null }),
        ...(resolving && { resolved_at: now }),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (patch.status !== undefined && patch.status !== row.status) {
      await logInteraction(trx, {
        customer_id: row.customer_id,
        channel: 'ticket',
        direction: 'internal',
        occurred_at: now,
        summary: `Ticket #${id} ${reopening ? 'reopened' : patch.status}`,
        excerpt: null,
        url: row.source_url,
        external_id: null,
        agent_id: agentId,
        ticket_id: id,
        created_at: now,
      });
    }
    return { before: toTicket(row), after: toTicket(updated) };
  });
}

export async function listTickets(
  db: Db,
  filter: { customerId?: number; status?: TicketStatus[]; sourceKeys?: string[]; limit: number; cursor?: number | null },
): Promise<{ items: Ticket[]; nextCursor: number | null }> {
  let query = db.selectFrom('tickets').selectAll().orderBy('id', 'desc').limit(filter.limit + 1);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.status?.length) query = query.where('status', 'in', filter.status);
  if (filter.sourceKeys?.length) query = query.where('source_key', 'in', filter.sourceKeys);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  return { items: page.map(toTicket), nextCursor: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null };
}
