import { z } from 'zod';

export const agentRoleSchema = z.enum(['admin', 'agent']);
export type AgentRole = z.infer<typeof agentRoleSchema>;

export const agentSchema = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  role: agentRoleSchema,
  locale: z.string(),
});
export type Agent = z.infer<typeof agentSchema>;
