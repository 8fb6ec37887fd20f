import { z } from 'zod';
import { blockText, lineText, urlText } from './text-schema';

export const channels = ['email', 'x', 'review', 'note', 'ticket', 'order', 'call', 'chat', 'survey'] as const;
export const channelSchema = z.enum(channels);
export type Channel = z.infer<typeof channelSchema>;
export const directionSchema = z.enum(['inbound', 'outbound', 'internal']);

/** ISO-8601 time with an offset, e.g. 2026-05-13T23:02:00Z. */
export const isoTimeSchema = z.iso.datetime({ offset: true, message: 'must be an ISO time like 2026-05-13T23:02:00Z' });

export const interactionLogSchema = z.object({
  customerId: z.number().int().positive(),
  channel: channelSchema,
  direction: directionSchema,
  occurredAt: isoTimeSchema.optional(),
  summary: lineText(500),
  excerpt: blockText(5000, { min: 0 }).nullish(),
  url: urlText(2048).nullish(),
  /** The message id, tweet id or review id: logging the same one twice returns the first. */
  externalId: lineText(300).nullish(),
  ticketId: z.number().int().positive().nullish(),
});
export type InteractionLogInput = z.input<typeof interactionLogSchema>;

export const interactionSchema = z.object({
  id: z.number(),
  customerId: z.number(),
  channel: z.string(),
  direction: directionSchema,
  occurredAt: z.string(),
  summary: z.string(),
  excerpt: z.string().nullable(),
  url: z.string().nullable(),
  externalId: z.string().nullable(),
  agentId: z.number().nullable(),
  ticketId: z.number().nullable(),
});
export type Interaction = z.infer<typeof interactionSchema>;

export const timelineListSchema = z.object({
  customerId: z.number().int().positive(),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(100).nullish(),
  limit: z.number().int().min(1).max(100, 'at most 100 per page').default(30),
  channels: z.array(channelSchema).max(channels.length).optional(),
});
