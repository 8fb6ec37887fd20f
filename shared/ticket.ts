import { z } from 'zod';
import { channelSchema } from './timeline';

export const ticketStatusSchema = z.enum(['open', 'pending', 'resolved', 'closed']);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
export const ticketPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);

export const ticketCreateSchema = z.object({
  customerId: z.number().int().positive(),
  subject: z.string().trim().min(1, 'must not be empty').max(500),
  channel: channelSchema,
  priority: ticketPrioritySchema.default('normal'),
  assigneeId: z.number().int().positive().nullish(),
  sourceUrl: z.url().max(2048).nullish(),
  /** A unique origin (thread, tweet, review): a second create with the same key returns the first ticket. */
  sourceKey: z.string().trim().min(1).max(400).nullish(),
  details: z.record(z.string().max(100), z.unknown()).default({}),
  /** Optional first message shown in the timeline. */
  excerpt: z.string().max(5000).nullish(),
});
export type TicketCreateInput = z.input<typeof ticketCreateSchema>;

export const ticketUpdateSchema = z.object({
  id: z.number().int().positive(),
  status: ticketStatusSchema.optional(),
  priority: ticketPrioritySchema.optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
  subject: z.string().trim().min(1).max(500).optional(),
  /** The customer the agent saw the ticket on: refused if the ticket is someone else's now (issue 17). */
  customerId: z.number().int().positive().optional(),
});

export const ticketSchema = z.object({
  id: z.number(),
  customerId: z.number(),
  subject: z.string(),
  status: ticketStatusSchema,
  reopenCount: z.number(),
  priority: ticketPrioritySchema,
  channel: z.string(),
  assigneeId: z.number().nullable(),
  firstResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  sourceKey: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Ticket = z.infer<typeof ticketSchema>;
