import { z } from 'zod';
import { plainText, urlText } from '@shared/text-schema';
import { reviewSchema } from '@shared/page-context';
import { agentProcedure, router } from '../../trpc';
import { listTickets } from '../tickets/tickets.repository';
import { complaintSourceKey } from '@shared/review-identity';
import { logComplaint } from './complaints.service';

export const complaintsRouter = router({
  /** Idempotent on site + review id: returns the existing ticket with `created: false`. */
  log: agentProcedure
    .input(
      z.object({
        review: reviewSchema,
        pageUrl: urlText(2048, 'must be a URL'),
        /** Ratings at or below this (stars out of 5) get high priority. */
        highPriorityAtOrBelow: z.number().min(0).max(5).default(2),
      }),
    )
    .mutation(({ ctx, input }) =>
      logComplaint(ctx.db, { ...input, agentId: ctx.agent.id, now: ctx.now() }),
    ),

  /** Which of these reviews already have a ticket, and its status. */
  status: agentProcedure
    .input(z.object({ reviews: z.array(z.object({ site: plainText(40), reviewId: plainText(300) })).max(200) }))
    .query(async ({ ctx, input }) => {
      const keys = input.reviews.map((r) => complaintSourceKey(r.site, r.reviewId));
      if (!keys.length) return [];
      const { items } = await listTickets(ctx.db, { sourceKeys: keys, limit: keys.length });
      const byKey = new Map(items.map((t) => [t.sourceKey, t]));
      return input.reviews.map((r) => ({ ...r, ticket: byKey.get(complaintSourceKey(r.site, r.reviewId)) ?? null }));
    }),
});
