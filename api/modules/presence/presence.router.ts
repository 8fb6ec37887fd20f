import { z } from 'zod';
import { conversationKeySchema, presenceHeartbeatSchema, presenceReadSchema, tabIdSchema } from '@shared/presence';
import { agentProcedure, router } from '../../trpc';
import { fromIso, toIso } from '../../db/time';
import { claimOnFirstReply } from '../queues/queues.repository';
import { findTicket } from '../tickets/tickets.repository';
import { leavePresence, readPresence, recordActivity, touchPresence } from './presence.repository';

/**
 * Presence and the collision guard. Transport: polling (every PRESENCE_POLL_MS through the
 * background) with a version the caller echoes back, chosen over a tRPC SSE subscription: see
 * README "Team workflows: SLAs, queues, presence" for the measurements and why.
 */
export const presenceRouter = router({
  heartbeat: agentProcedure.input(presenceHeartbeatSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { openedAt } = await touchPresence(ctx.db, { tabId: input.tabId, conversationKey: input.conversationKey, activity: input.activity, agentId: ctx.agent.id, now });
    if (!input.read) return { openedAt: toIso(openedAt) };
    const presence = await readPresence(ctx.db, { conversationKey: input.conversationKey, agentId: ctx.agent.id, since: openedAt, now });
    return { openedAt: toIso(openedAt), presence };
  }),

  leave: agentProcedure.input(z.object({ tabId: tabIdSchema })).mutation(async ({ ctx, input }) => {
    await leavePresence(ctx.db, ctx.agent.id, input.tabId);
    return { ok: true as const };
  }),

  read: agentProcedure.input(presenceReadSchema).query(async ({ ctx, input }) => {
    const snapshot = await readPresence(ctx.db, { conversationKey: input.conversationKey, agentId: ctx.agent.id, since: fromIso(input.since), now: ctx.now() });
    if (input.ifVersion !== undefined && input.ifVersion === snapshot.version) return { unchanged: true as const, version: snapshot.version };
    return { unchanged: false as const, ...snapshot };
  }),

  /** "I replied to / logged this conversation": teammates' collision guard sees it; a first reply may claim the ticket. */
  record: agentProcedure
    .input(z.object({ conversationKey: conversationKeySchema, kind: z.enum(['replied', 'logged']), ticketId: z.number().int().positive().nullish() }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      await recordActivity(ctx.db, { conversationKey: input.conversationKey, agentId: ctx.agent.id, kind: input.kind, now });
      let claimed = false;
      if (input.ticketId && input.kind === 'replied') {
        await findTicket(ctx.db, input.ticketId);
        claimed = await claimOnFirstReply(ctx.db, input.ticketId, ctx.agent.id, now);
      }
      return { claimed };
    }),
});
