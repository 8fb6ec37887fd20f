import { z } from 'zod';
import { lineText } from '@shared/text-schema';
import { agentRoleSchema } from '@shared/agent';
import { adminProcedure, agentProcedure, router } from '../../trpc';
import { notFound } from '../../errors';
import { createAgent, createToken, listAgents, listTokens, revokeToken, toAgent } from './agents.repository';
import { writeAudit } from '../audit/audit.repository';

export const agentsRouter = router({
  me: agentProcedure.query(({ ctx }) => toAgent(ctx.agent)),

  list: adminProcedure.query(async ({ ctx }) => (await listAgents(ctx.db)).map(toAgent)),

  create: adminProcedure
    .input(
      z.object({
        name: lineText(200),
        email: z.email({ message: 'must be an email address' }).max(320),
        role: agentRoleSchema,
        locale: lineText(20, { min: 0 }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const agent = await createAgent(ctx.db, input, now);
      const ttlDays = ctx.tokenTtlDays ?? 0;
      const expiresAt = ttlDays > 0 ? now + ttlDays * 86_400_000 : null;
      const { token } = await createToken(ctx.db, agent.id, now, { label: 'created by admin', expiresAt });
      await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'agent.create', entity: 'agent', entityId: agent.id, after: toAgent(agent), at: now });
      // The token is shown once. A replay of this call (same Idempotency-Key) answers the same
      // agent with `token: null`: secrets are never stored (api/idempotency.ts, SECURITY.md).
      return { agent: toAgent(agent), token: token as string | null, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() };
    }),

  tokens: agentProcedure.query(async ({ ctx }) =>
    (await listTokens(ctx.db, ctx.agent.id)).map((t) => ({
      id: t.id,
      label: t.label,
      createdAt: new Date(t.created_at).toISOString(),
      lastUsedAt: t.last_used_at ? new Date(t.last_used_at).toISOString() : null,
      revoked: t.revoked_at !== null,
    })),
  ),

  revokeToken: adminProcedure.input(z.object({ tokenId: z.number().int().positive() })).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    if (!(await revokeToken(ctx.db, input.tokenId, now))) throw notFound('active token', input.tokenId);
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'token.revoke', entity: 'api_token', entityId: input.tokenId, at: now });
    return { revoked: true };
  }),
});
