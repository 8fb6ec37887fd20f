import { z } from 'zod';
import { metricsSummaryInputSchema } from '@shared/metrics';
import { agentProcedure, router } from '../../trpc';
import { getCustomer } from '../customers/customers.repository';
import { customerMetrics, metricsSummary } from './metrics.service';

export const metricsRouter = router({
  /** Service metrics over a date range in a time zone (docs/metrics.md). */
  summary: agentProcedure.input(metricsSummaryInputSchema).query(({ ctx, input }) => metricsSummary(ctx.conn, input)),

  /** Open tickets, last CSAT/NPS answer and lifetime orders of one customer (the sidebar). */
  customer: agentProcedure.input(z.object({ customerId: z.number().int().positive() })).query(async ({ ctx, input }) => {
    await getCustomer(ctx.db, input.customerId);
    return customerMetrics(ctx.conn, input.customerId);
  }),
});
