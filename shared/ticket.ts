import { z } from 'zod';
import { blockText, cleanJsonStrings, lineText, plainText, urlText } from './text-schema';
import { channelSchema } from './timeline';

export const ticketStatusSchema = z.enum(['open', 'pending', 'resolved', 'closed']);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
export const ticketPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);

export const ticketCreateSchema = z.object({
  customerId: z.number().int().positive(),
  subject: lineText(500),
  channel: channelSchema,
  priority: ticketPrioritySchema.default('normal'),
  assigneeId: z.number().int().positive().nullish(),
  sourceUrl: urlText(2048, 'must be a URL').nullish(),
  /** A unique origin (thread, tweet, review): a second create with the same key returns the first ticket. */
  sourceKey: lineText(400).nullish(),
  details: z.record(plainText(100), z.unknown().transform((value) => cleanJsonStrings(value))).default({}),
  /** Optional first message shown in the timeline. */
  excerpt: blockText(5000, { min: 0 }).nullish(),
});
export type TicketCreateInput = z.input<typeof ticketCreateSchema>;

export const ticketUpdateSchema = z.object({
  id: z.number().int().positive(),
  status: ticketStatusSchema.optional(),
  priority: ticketPrioritySchema.optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
  subject: lineText(500).optional(),
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
