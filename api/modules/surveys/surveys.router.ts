import { z } from 'zod';
import { agentProcedure, router } from '../../trpc';
import { isoTimeSchema } from '@shared/timeline';
import { findOrCreateSurvey, listFollowUps, toSurvey } from './surveys.repository';

export const surveysRouter = router({
  /** The ticket's survey link on a scale: made once, the same link on every later call. */
  create: agentProcedure
    .input(z.object({ ticketId: z.number().int().positive(), scale: z.enum(['csat', 'nps']).default('csat') }))
    .mutation(async ({ ctx, input }) => {
      const { survey, created } = await findOrCreateSurvey(ctx.db, { ...input, agentId: ctx.agent.id, now: ctx.now() });
      return { ...toSurvey(survey, ctx.baseUrl), created };
    }),

  /** Low scores (CSAT 1–2, NPS 0–6) that came with a comment, newest first: the lead's call list. */
  followUps: agentProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(100).default(30),
          cursor: z.number().int().positive().nullish(),
          // Only answers in [answeredFrom, answeredBefore): the dashboard's date range.
          answeredFrom: isoTimeSchema.nullish(),
          answeredBefore: isoTimeSchema.nullish(),
        })
        .default({ limit: 30 }),
    )
    .query(({ ctx, input }) => listFollowUps(ctx.db, { ...input, baseUrl: ctx.baseUrl })),
});
