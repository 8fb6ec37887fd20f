import { z } from 'zod';
import { lineText } from '@shared/text-schema';
import { customerCreateSchema, customerLookupSchema, customerUpdateSchema } from '@shared/customer';
import { identityInputSchema } from '@shared/identity';
import { adminProcedure, agentProcedure, idInput, router } from '../../trpc';
import { writeAudit } from '../audit/audit.repository';
import {
  createCustomer,
  findCustomersByIds,
  getCustomer,
  lookupCustomers,
  normalizeIdentities,
  searchCustomers,
  updateCustomer,
} from './customers.repository';
import { eraseCustomer, exportCustomer, findDuplicates, listMerges, mergeCustomers, unmergeCustomers } from './customers.service';
import { scoreSuggestions, type Suggestion } from './matching';

export const customersRouter = router({
  /** Who is this? Exact normalized identity match; `customer: null` when nobody matches. */
  lookup: agentProcedure.input(customerLookupSchema).query(async ({ ctx, input }) => {
    const identities = normalizeIdentities(input.identities);
    const [result] = await lookupCustomers(ctx.db, [identities]);
    // Only when nothing matches exactly: fuzzy matches are suggestions an agent confirms, never links.
    let suggestions: Suggestion[] = [];
    if (!result!.customer) {
      const scored = await scoreSuggestions(ctx.db, { identities, name: input.name });
      const customers = new Map((await findCustomersByIds(ctx.db, scored.map((s) => s.customerId))).map((c) => [c.id, c]));
      suggestions = scored.flatMap((s) => {
        const customer = customers.get(s.customerId);
        return customer ? [{ customer, score: s.score, reasons: s.reasons }] : [];
      });
    }
    return { customer: result!.customer, matchedIdentity: result!.matched, suggestions };
  }),

  /** Up to 100 lookups in one call and one query (every author on an X timeline). */
  lookupMany: agentProcedure
    .input(z.object({ lookups: z.array(customerLookupSchema).min(1).max(100, 'at most 100 lookups per call') }))
    .query(async ({ ctx, input }) => {
      const results = await lookupCustomers(
        ctx.db,
        input.lookups.map((lookup, index) => normalizeIdentities(lookup.identities, `lookups.${index}.identities`)),
      );
      // No suggestions here: a timeline of 100 authors must stay one query (lookup suggests per person).
      return results.map((r) => ({ customer: r.customer, matchedIdentity: r.matched, suggestions: [] as Suggestion[] }));
    }),

  get: agentProcedure.input(idInput).query(({ ctx, input }) => getCustomer(ctx.db, input.id)),

  create: agentProcedure.input(customerCreateSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const customer = await createCustomer(
      ctx.db,
      { ...input, identities: normalizeIdentities(input.identities), linkedBy: 'agent', agentId: ctx.agent.id },
      now,
    );
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'customer.create', entity: 'customer', entityId: customer.id, after: customer, at: now });
    return customer;
  }),

  update: agentProcedure.input(customerUpdateSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { before, after } = await updateCustomer(ctx.db, input.id, input.patch, now);
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'customer.update', entity: 'customer', entityId: input.id, before, after, at: now });
    return after;
  }),

  search: agentProcedure
    .input(
      z.object({
        query: lineText(200, { minMessage: 'type at least one character' }),
        limit: z.number().int().min(1).max(50).default(20),
        cursor: z.string().max(20).nullish(),
      }),
    )
    .query(({ ctx, input }) => searchCustomers(ctx.db, input.query, input.limit, input.cursor ?? null)),

  /** Moves everything of `mergedId` to `survivorId`; the merge record lets `unmerge` undo it exactly. */
  merge: agentProcedure
    .input(z.object({ survivorId: z.number().int().positive(), mergedId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => mergeCustomers(ctx.db, { ...input, agentId: ctx.agent.id }, ctx.now())),

  unmerge: agentProcedure
    .input(z.object({ mergeId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => unmergeCustomers(ctx.db, { mergeId: input.mergeId, agentId: ctx.agent.id }, ctx.now())),

  /** Merges into this customer, newest first (to offer an undo). */
  merges: agentProcedure
    .input(z.object({ customerId: z.number().int().positive(), limit: z.number().int().min(1).max(50).default(10) }))
    .query(({ ctx, input }) => listMerges(ctx.db, input.customerId, input.limit)),

  /** Probable duplicates (same name in any word order or script), with reasons; `limit` counts names. */
  duplicates: agentProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20), cursor: z.string().max(400).nullish() }))
    .query(({ ctx, input }) => findDuplicates(ctx.db, input.limit, input.cursor ?? null)),

  /** Right of access: everything stored about one customer. */
  exportOne: agentProcedure.input(idInput).query(({ ctx, input }) => exportCustomer(ctx.db, input.id)),

  /** Right to erasure: the customer and all their personal data; the audit entry keeps counts only. */
  erase: adminProcedure.input(idInput).mutation(({ ctx, input }) => eraseCustomer(ctx.db, { id: input.id, agentId: ctx.agent.id }, ctx.now())),
});

export const identityLinkInput = z.object({ customerId: z.number().int().positive(), identity: identityInputSchema });
