import { z } from 'zod';
import { lineText } from './text-schema';

export { PRESENCE_HEARTBEAT_MS, PRESENCE_POLL_MS, PRESENCE_TTL_MS } from './presence-timing';

export const presenceActivitySchema = z.enum(['viewing', 'replying']);
export type PresenceActivity = z.infer<typeof presenceActivitySchema>;

/** A conversation: the ticket source key of a Gmail thread (`email:<id>`), a tweet (`x:<id>`), a review. */
// Under the text policy like every stored text (shared/text.ts): control and invisible characters go.
export const conversationKeySchema = lineText(400, { minMessage: 'must not be empty' });
export const tabIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, { message: 'must be 8–100 letters, digits, - or _' });

export const presenceHeartbeatSchema = z.object({
  tabId: tabIdSchema,
  conversationKey: conversationKeySchema,
  activity: presenceActivitySchema,
  /**
   * Also answer who else is there (a presence read since this tab opened the conversation): a tab
   * arriving on a conversation sends this on its first heartbeat instead of a heartbeat and a read
   * (issue 20: fewer calls per thread switch).
   */
  read: z.boolean().optional(),
});
export const presenceReadSchema = z.object({
  conversationKey: conversationKeySchema,
  /** When this tab opened the conversation (ISO): teammates' replies and logs after it are collisions. */
  since: z.iso.datetime({ offset: true, message: 'must be an ISO time like 2026-12-03T10:00:00Z' }),
  /** The version the caller already has: an unchanged answer comes back as `{unchanged: true}` only. */
  ifVersion: z.string().max(2000).optional(),
});

export interface PresenceSnapshot {
  version: string;
  viewers: { agentId: number; name: string; activity: PresenceActivity; since: string }[];
  activity: { agentId: number; name: string; kind: 'replied' | 'logged'; at: string }[];
}
