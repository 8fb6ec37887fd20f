import { z } from 'zod';
import { agentProcedure, router } from '../../trpc';
import { writeAudit } from '../audit/audit.repository';
import { identityLinkInput } from './customers.router';
import { linkIdentity, normalizeIdentities, unlinkIdentity } from './customers.repository';

export const identitiesRouter = router({
  link: agentProcedure.input(identityLinkInput).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const [identity] = normalizeIdentities([input.identity], 'identity');
    const result = await linkIdentity(ctx.db, input.customerId, identity!, 'agent', ctx.agent.id, now);
    if (result.created) {
      await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'identity.link', entity: 'customer', entityId: input.customerId, after: result.identity, at: now });
    }
    return result;
  }),

  unlink: agentProcedure
    // customerId: the card the agent unlinked on; refused if the identity moved to someone else.
    .input(z.object({ identityId: z.number().int().positive(), customerId: z.number().int().positive().optional() }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const removed = await unlinkIdentity(ctx.db, input.identityId, input.customerId);
      await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'identity.unlink', entity: 'customer', entityId: removed.customerId, before: removed, at: now });
      return removed;
    }),
});
