import { z } from 'zod';
import { agentProcedure, router } from '../../trpc';
import { getCustomer } from '../customers/customers.repository';
import { listOrders, orderTotals } from './orders.repository';

export const ordersRouter = router({
  list: agentProcedure
    .input(
      z.object({
        customerId: z.number().int().positive(),
        limit: z.number().int().min(1).max(100).default(20),
        cursor: z.number().int().positive().nullish(),
      }),
    )
    .query(async ({ ctx, input }) => {
      await getCustomer(ctx.db, input.customerId);
      const page = await listOrders(ctx.db, input.customerId, input.limit, input.cursor);
      return { ...page, lifetime: await orderTotals(ctx.db, input.customerId) };
    }),
});
