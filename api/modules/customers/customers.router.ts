import { z } from 'zod';
import { lineText } from '@shared/text-schema';
import { customerCreateSchema, customerLookupSchema, customerUpdateSchema, type CustomerLookupInput } from '@shared/customer';
import { customerViewInputs } from '@shared/customer-view';
import { identityInputSchema } from '@shared/identity';
import type { Db } from '../../db/database';
import { adminProcedure, agentProcedure, createCallerFactory, idInput, router } from '../../trpc';
import { notesRouter } from '../notes/notes.router';
import { ordersRouter } from '../orders/orders.router';
import { ticketsRouter } from '../tickets/tickets.router';
import { timelineRouter } from '../timeline/timeline.router';
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

/** One customer with their identities (also the first read of `lookupWithView`'s card). */
const getProcedure = agentProcedure.input(idInput).query(({ ctx, input }) => getCustomer(ctx.db, input.id));

export const customersRouter = router({
  /** Who is this? Exact normalized identity match; `customer: null` when nobody matches. */
  lookup: agentProcedure.input(customerLookupSchema).query(({ ctx, input }) => lookupOne(ctx.db, input)),

  /**
   * `lookup`, and when it names a customer, that customer's card (issue 20): exactly what
   * `customers.get` and the timeline, open tickets, orders and notes lists return for
   * `customerViewInputs`, read by those same procedures, so a cold thread switch costs one round
   * trip instead of two. Rate-limited as the six calls it stands for (api/rate-limit.ts).
   */
  lookupWithView: agentProcedure.input(customerLookupSchema).query(async ({ ctx, input }) => {
    const lookup = await lookupOne(ctx.db, input);
    if (!lookup.customer) return { lookup, view: null };
    const reads = customerViewInputs(lookup.customer.id);
    const caller = viewCaller(ctx);
    const [customer, timeline, tickets, orders, notes] = await Promise.all([
      caller.customers.get(reads.customer),
      caller.timeline.list(reads.timeline),
      caller.tickets.list(reads.tickets),
      caller.orders.list(reads.orders),
      caller.notes.list(reads.notes),
    ]);
    return { lookup, view: { customer, timeline, openTickets: tickets.items, orders, notes } };
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

  get: getProcedure,

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

/** Who is this: the exact match, or (only when there is none) scored suggestions to confirm. */
async function lookupOne(db: Db, input: CustomerLookupInput) {
  const identities = normalizeIdentities(input.identities);
  const [result] = await lookupCustomers(db, [identities]);
  // Only when nothing matches exactly: fuzzy matches are suggestions an agent confirms, never links.
  let suggestions: Suggestion[] = [];
  if (!result!.customer) {
    const scored = await scoreSuggestions(db, { identities, name: input.name });
    const customers = new Map((await findCustomersByIds(db, scored.map((s) => s.customerId))).map((c) => [c.id, c]));
    suggestions = scored.flatMap((s) => {
      const customer = customers.get(s.customerId);
      return customer ? [{ customer, score: s.score, reasons: s.reasons }] : [];
    });
  }
  return { customer: result!.customer, matchedIdentity: result!.matched, suggestions };
}

/** The card's reads, called in-process with the caller's context (its verified agent: no second token lookup). */
const viewCaller = createCallerFactory(
  router({ customers: router({ get: getProcedure }), timeline: timelineRouter, tickets: ticketsRouter, orders: ordersRouter, notes: notesRouter }),
);

export const identityLinkInput = z.object({ customerId: z.number().int().positive(), identity: identityInputSchema });
