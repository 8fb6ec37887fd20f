import { z } from 'zod';

export const orderSchema = z.object({
  id: z.number(),
  customerId: z.number(),
  number: z.string(),
  status: z.string(),
  total: z.number(),
  totalCents: z.number(),
  currency: z.string(),
  placedAt: z.string(),
  items: z.array(z.object({ name: z.string(), quantity: z.number(), priceCents: z.number() })),
});
export type Order = z.infer<typeof orderSchema>;
