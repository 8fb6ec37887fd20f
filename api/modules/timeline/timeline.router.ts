import { interactionLogSchema, timelineListSchema } from '@shared/timeline';
import { agentProcedure, router } from '../../trpc';
import { fromIso } from '../../db/time';
import { DomainError } from '../../errors';
import { getCustomer, requireWritableCustomer } from '../customers/customers.repository';
import { findTicket } from '../tickets/tickets.repository';
import { listTimeline, logInteraction } from './timeline.repository';

export const timelineRouter = router({
  /** All channels merged, newest first, cursor-paginated (≤ 100 a page). */
  list: agentProcedure.input(timelineListSchema).query(async ({ ctx, input }) => {
    await getCustomer(ctx.db, input.customerId);
    return listTimeline(ctx.db, input);
  }),
});

export const interactionsRouter = router({
  log: agentProcedure.input(interactionLogSchema).mutation(async ({ ctx, input }) => {
    await requireWritableCustomer(ctx.db, input.customerId);
    if (input.ticketId) {
      // Another customer's ticket would show their reply here and stamp their first response.
      const ticket = await findTicket(ctx.db, input.ticketId);
      if (ticket.customer_id !== input.customerId) {
        throw new DomainError('invalid', `ticket ${input.ticketId} belongs to another customer, not customer ${input.customerId}`, { field: 'ticketId' });
      }
    }
    const now = ctx.now();
    return logInteraction(ctx.db, {
      customer_id: input.customerId,
      channel: input.channel,
      direction: input.direction,
      occurred_at: input.occurredAt ? fromIso(input.occurredAt) : now,
      summary: input.summary,
      excerpt: input.excerpt ?? null,
      url: input.url ?? null,
      external_id: input.externalId ?? null,
      agent_id: input.direction === 'inbound' ? null : ctx.agent.id,
      ticket_id: input.ticketId ?? null,
      created_at: now,
    });
  }),
});
