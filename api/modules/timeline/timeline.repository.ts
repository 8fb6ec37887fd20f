import type { Interaction } from '@shared/timeline';
import type { Db, InteractionRow, NewInteractionRow } from '../../db/database';
import { toIso } from '../../db/time';
import { attempt } from '../../db/request-transaction';
import { DomainError, isUniqueViolation } from '../../errors';
import { claimOnFirstReply } from '../queues/queues.repository';

export function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    customerId: row.customer_id,
    channel: row.channel,
    direction: row.direction,
    occurredAt: toIso(row.occurred_at),
    summary: row.summary,
    excerpt: row.excerpt,
    url: row.url,
    externalId: row.external_id,
    agentId: row.agent_id,
    ticketId: row.ticket_id,
  };
}

export function findInteractionByExternalId(db: Db, channel: string, externalId: string) {
  return db.selectFrom('interactions').selectAll().where('channel', '=', channel).where('external_id', '=', externalId).executeTakeFirst();
}

/**
 * Adds one entry to a customer's timeline. The same (channel, externalId) logged twice returns
 * the first entry with `created: false`: logging an email or a tweet again is a no-op.
 * An outbound entry on a ticket sets the ticket's first-response time if it has none.
 */
export async function logInteraction(db: Db, values: NewInteractionRow): Promise<{ interaction: Interaction; created: boolean }> {
  if (values.external_id) {
    const existing = await findInteractionByExternalId(db, values.channel, values.external_id);
    if (existing) return { interaction: toInteraction(existing), created: false };
  }
  let row: InteractionRow;
  try {
    // Under a savepoint in a request transaction (api/db/request-transaction.ts): the catch below
    // goes on after a unique violation, which would otherwise abort the whole PostgreSQL transaction.
    row = await attempt(db, (d) => d.insertInto('interactions').values(values).returningAll().executeTakeFirstOrThrow());
  } catch (error) {
    // A teammate logged the same item between our check and insert.
    if (values.external_id && isUniqueViolation(error)) {
      const existing = await findInteractionByExternalId(db, values.channel, values.external_id);
      if (existing) return { interaction: toInteraction(existing), created: false };
    }
    throw error;
  }
  if (row.ticket_id !== null && row.direction === 'outbound' && row.agent_id !== null) {
    const stamped = await db
      .updateTable('tickets')
      .set({ first_response_at: row.occurred_at })
      .where('id', '=', row.ticket_id)
      .where('first_response_at', 'is', null)
      .executeTakeFirst();
    // The first reply to an unassigned ticket claims it when the team works that way (issue 21).
    if (Number(stamped.numUpdatedRows) > 0) await claimOnFirstReply(db, row.ticket_id, row.agent_id, row.created_at);
  }
  return { interaction: toInteraction(row), created: true };
}

/** Cursor = "<occurred_at>:<id>" of the last item of the previous page (newest first). */
export function encodeCursor(row: { occurred_at: number; id: number }): string {
  return `${row.occurred_at}:${row.id}`;
}

export function decodeCursor(cursor: string): { at: number; id: number } {
  const match = /^(\d{1,16}):(\d{1,16})$/.exec(cursor);
  if (!match) throw new DomainError('invalid', 'cursor is not one this API gave out', { field: 'cursor' });
  return { at: Number(match[1]), id: Number(match[2]) };
}

export async function listTimeline(
  db: Db,
  input: { customerId: number; limit: number; cursor?: string | null; channels?: string[] },
): Promise<{ items: Interaction[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('interactions')
    .selectAll()
    .where('customer_id', '=', input.customerId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (input.cursor) {
    const { at, id } = decodeCursor(input.cursor);
    query = query.where((eb) => eb.or([eb('occurred_at', '<', at), eb.and([eb('occurred_at', '=', at), eb('id', '<', id)])]));
  }
  if (input.channels?.length) query = query.where('channel', 'in', input.channels);
  const rows = await query.execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { items: page.map(toInteraction), nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}
