import { z } from 'zod';
import { agentProcedure, router } from '../../trpc';
import { writeAudit } from '../audit/audit.repository';
import { updateTicket } from '../tickets/tickets.repository';
import { assertAgent, listQueue, queueCounts } from './queues.repository';

const id = z.number().int().positive();

/** Queues (Mine, Unassigned, Breaching soon) and assignment. */
export const queuesRouter = router({
  counts: agentProcedure.query(({ ctx }) => queueCounts(ctx.db, ctx.agent.id, ctx.now())),

  list: agentProcedure
    .input(
      z.object({
        queue: z.enum(['mine', 'unassigned', 'breaching']),
        limit: z.number().int().min(1).max(100).default(30),
        cursor: z.number().int().min(0).nullish(),
      }),
    )
    .query(({ ctx, input }) => listQueue(ctx.db, { ...input, agentId: ctx.agent.id, now: ctx.now() })),

  /** Assign to a teammate (or to nobody: back to Unassigned). */
  assign: agentProcedure.input(z.object({ ticketId: id, agentId: id.nullable() })).mutation(async ({ ctx, input }) => {
    if (input.agentId !== null) await assertAgent(ctx.db, input.agentId);
    const now = ctx.now();
    const { before, after } = await updateTicket(ctx.db, input.ticketId, { assigneeId: input.agentId }, ctx.agent.id, now);
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'ticket.assign', entity: 'ticket', entityId: input.ticketId, before, after, at: now });
    return after;
  }),

  assignToMe: agentProcedure.input(z.object({ ticketId: id })).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { before, after } = await updateTicket(ctx.db, input.ticketId, { assigneeId: ctx.agent.id }, ctx.agent.id, now);
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'ticket.assign', entity: 'ticket', entityId: input.ticketId, before, after, at: now });
    return after;
  }),
});
