import { z } from 'zod';

export const noteAddSchema = z.object({
  customerId: z.number().int().positive(),
  body: z.string().trim().min(1, 'must not be empty').max(10_000, 'at most 10,000 characters'),
});

export const noteSchema = z.object({
  id: z.number(),
  customerId: z.number(),
  agentId: z.number().nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export type Note = z.infer<typeof noteSchema>;
