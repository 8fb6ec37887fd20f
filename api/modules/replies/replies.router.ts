import { z } from 'zod';
import { lineText, plainText } from '@shared/text-schema';
import { TRPCError } from '@trpc/server';
import { renderTemplate, replyTemplateInputSchema, templateSlots, validateTemplate, type TemplateValues } from '@shared/reply-template';
import { adminProcedure, agentProcedure, router } from '../../trpc';
import { DomainError } from '../../errors';
import { getCustomer } from '../customers/customers.repository';
import { lastOrder } from '../orders/orders.repository';
import { listTickets } from '../tickets/tickets.repository';
import { surveyForLatestResolvedTicket, surveyUrl } from '../surveys/surveys.repository';
import { createReplyTemplate, findReplyTemplate, listReplyTemplates } from './replies.repository';

const firstWord = (name: string) => name.trim().split(/\s+/)[0] ?? name;

export const repliesRouter = router({
  list: agentProcedure
    .input(z.object({ query: lineText(100, { min: 0 }).optional(), language: lineText(20, { min: 0 }).optional(), limit: z.number().int().min(1).max(100).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listReplyTemplates(ctx.db.db, input)),

  /** Template + customer + agent → text. An unknown variable is a BAD_REQUEST naming the allowed ones. */
  render: agentProcedure
    .input(
      z
        .object({
          templateId: z.number().int().positive().optional(),
          shortcut: plainText(40).optional(),
          /** Render a draft body instead of a stored template (the template editor's preview). */
          body: plainText(10_000).optional(),
          customerId: z.number().int().positive(),
          ticketId: z.number().int().positive().optional(),
        })
        .refine((v) => v.templateId !== undefined || v.shortcut !== undefined || v.body !== undefined, {
          message: 'give templateId, shortcut or body',
          path: ['templateId'],
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const body =
        input.body ?? (await findReplyTemplate(ctx.db.db, { id: input.templateId, shortcut: input.shortcut })).body;
      const customer = await getCustomer(ctx.db.db, input.customerId);
      const order = await lastOrder(ctx.db.db, customer.id);
      const openTickets = await listTickets(ctx.db.db, { customerId: customer.id, status: ['open', 'pending'], limit: 1 });
      const ticket = openTickets.items[0];
      const values: TemplateValues = {
        'customer.name': customer.displayName,
        'customer.firstName': firstWord(customer.displayName),
        'customer.company': customer.company,
        'agent.name': ctx.agent.name,
        'agent.firstName': firstWord(ctx.agent.name),
        'agent.email': ctx.agent.email,
        'order.number': order?.number,
        'order.status': order?.status,
        'order.total': order ? new Intl.NumberFormat('en', { style: 'currency', currency: order.currency }).format(order.total) : null,
        'order.date': order?.placedAt.slice(0, 10),
        'ticket.id': ticket ? `#${ticket.id}` : null,
        'ticket.subject': ticket?.subject,
        // Made (or reused) only when the template asks for it: the latest resolved ticket's CSAT link.
        'survey.link': templateSlots(body).includes('survey.link')
          ? await surveyForLatestResolvedTicket(ctx.db.db, { customerId: customer.id, scale: 'csat', agentId: ctx.agent.id, now: ctx.now() }).then((s) =>
              s ? surveyUrl(ctx.baseUrl, s.token) : null,
            )
          : null,
      };
      const result = renderTemplate(body, values);
      if (!result.ok) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: result.message,
          cause: new DomainError('invalid', result.message, { field: result.variable }),
        });
      }
      return { text: result.text };
    }),

  create: adminProcedure.input(replyTemplateInputSchema).mutation(async ({ ctx, input }) => {
    const checked = validateTemplate(input.body);
    if (!checked.ok) throw new DomainError('invalid', checked.message, { field: 'body' });
    return createReplyTemplate(ctx.db.db, input, ctx.now());
  }),
});
