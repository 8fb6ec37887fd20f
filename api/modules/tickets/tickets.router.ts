import { z } from 'zod';
import { plainText } from '@shared/text-schema';
import { ticketCreateSchema, ticketStatusSchema, ticketUpdateSchema } from '@shared/ticket';
import { agentProcedure, router } from '../../trpc';
import { writeAudit } from '../audit/audit.repository';
import { requireWritableCustomer } from '../customers/customers.repository';
import { DomainError } from '../../errors';
import { initialAssignee } from '../queues/queues.repository';
import { createTicket, findTicket, listTickets, updateTicket } from './tickets.repository';

export const ticketsRouter = router({
  /** Idempotent on `sourceKey`: returns `{ticket, created}`. */
  create: agentProcedure.input(ticketCreateSchema).mutation(async ({ ctx, input }) => {
    await requireWritableCustomer(ctx.db, input.customerId);
    return createTicket(ctx.db, {
      customerId: input.customerId,
      subject: input.subject,
      channel: input.channel,
      priority: input.priority,
      // null: Unassigned on purpose; omitted: the team's rule (round-robin or the creator).
      assigneeId: input.assigneeId === null ? null : (input.assigneeId ?? (await initialAssignee(ctx.conn, ctx.agent.id, ctx.now()))),
      sourceUrl: input.sourceUrl ?? null,
      sourceKey: input.sourceKey ?? null,
      details: input.details,
      excerpt: input.excerpt ?? null,
      agentId: ctx.agent.id,
      createdAt: ctx.now(),
    });
  }),

  update: agentProcedure.input(ticketUpdateSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { id, customerId, ...patch } = input;
    if (customerId !== undefined) {
      // The agent changed this ticket on a customer's card: refuse if it is someone else's now.
      const ticket = await findTicket(ctx.db, id);
      if (ticket.customer_id !== customerId) {
        throw new DomainError('conflict', `ticket ${id} belongs to another customer now: nothing was changed`, { entity: 'ticket', id, field: 'customerId' });
      }
    }
    const { before, after } = await updateTicket(ctx.db, id, patch, ctx.agent.id, now);
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'ticket.update', entity: 'ticket', entityId: id, before, after, at: now });
    return after;
  }),

  list: agentProcedure
    .input(
      z.object({
        customerId: z.number().int().positive().optional(),
        status: z.array(ticketStatusSchema).max(4).optional(),
        /** Which of these sources already have a ticket (the review cards on a page). */
        sourceKeys: z.array(plainText(400)).max(200).optional(),
        limit: z.number().int().min(1).max(100).default(30),
        cursor: z.number().int().positive().nullish(),
      }),
    )
    .query(({ ctx, input }) => listTickets(ctx.db, input)),
});
