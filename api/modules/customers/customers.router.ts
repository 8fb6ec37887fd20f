import { z } from 'zod';
import { customerCreateSchema, customerLookupSchema, customerUpdateSchema } from '@shared/customer';
import { identityInputSchema } from '@shared/identity';
import { agentProcedure, idInput, router } from '../../trpc';
import { writeAudit } from '../audit/audit.repository';
import {
  createCustomer,
  getCustomer,
  lookupCustomers,
  normalizeIdentities,
  searchCustomers,
  updateCustomer,
} from './customers.repository';

export const customersRouter = router({
  /** Who is this? Exact normalized identity match; `customer: null` when nobody matches. */
  lookup: agentProcedure.input(customerLookupSchema).query(async ({ ctx, input }) => {
    const [result] = await lookupCustomers(ctx.db.db, [normalizeIdentities(input.identities)]);
    return { customer: result!.customer, matchedIdentity: result!.matched };
  }),

  /** Up to 100 lookups in one call and one query (every author on an X timeline). */
  lookupMany: agentProcedure
    .input(z.object({ lookups: z.array(customerLookupSchema).min(1).max(100, 'at most 100 lookups per call') }))
    .query(async ({ ctx, input }) => {
      const results = await lookupCustomers(
        ctx.db.db,
        input.lookups.map((lookup, index) => normalizeIdentities(lookup.identities, `lookups.${index}.identities`)),
      );
      return results.map((r) => ({ customer: r.customer, matchedIdentity: r.matched }));
    }),

  get: agentProcedure.input(idInput).query(({ ctx, input }) => getCustomer(ctx.db.db, input.id)),

  create: agentProcedure.input(customerCreateSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const customer = await createCustomer(
      ctx.db.db,
      { ...input, identities: normalizeIdentities(input.identities), linkedBy: 'agent', agentId: ctx.agent.id },
      now,
    );
    await writeAudit(ctx.db.db, { agentId: ctx.agent.id, action: 'customer.create', entity: 'customer', entityId: customer.id, after: customer, at: now });
    return customer;
  }),

  update: agentProcedure.input(customerUpdateSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { before, after } = await updateCustomer(ctx.db.db, input.id, input.patch, now);
    await writeAudit(ctx.db.db, { agentId: ctx.agent.id, action: 'customer.update', entity: 'customer', entityId: input.id, before, after, at: now });
    return after;
  }),

  search: agentProcedure
    .input(
      z.object({
        query: z.string().trim().min(1, 'type at least one character').max(200),
        limit: z.number().int().min(1).max(50).default(20),
        cursor: z.string().max(20).nullish(),
      }),
    )
    .query(({ ctx, input }) => searchCustomers(ctx.db.db, input.query, input.limit, input.cursor ?? null)),
});

export const identityLinkInput = z.object({ customerId: z.number().int().positive(), identity: identityInputSchema });
