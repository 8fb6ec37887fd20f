import { z } from 'zod';
import { blockText } from './text-schema';

export const noteAddSchema = z.object({
  customerId: z.number().int().positive(),
  body: blockText(10_000),
});

export const noteSchema = z.object({
  id: z.number(),
  customerId: z.number(),
  agentId: z.number().nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export type Note = z.infer<typeof noteSchema>;
