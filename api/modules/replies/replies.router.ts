import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { z } from 'zod';
import { blockText, clippedText, lineText, plainText } from '@shared/text-schema';
import { TRPCError } from '@trpc/server';
import { renderTemplate, replyTemplateInputSchema, templateSlots, validateTemplate, type TemplateValues } from '@shared/reply-template';
import { adminProcedure, agentProcedure, router } from '../../trpc';
import { DomainError } from '../../errors';
import { getCustomer } from '../customers/customers.repository';
import { lastOrder } from '../orders/orders.repository';
import { listTickets } from '../tickets/tickets.repository';
import { surveyForLatestResolvedTicket, surveyUrl } from '../surveys/surveys.repository';
import { createReplyTemplate, findReplyTemplate, listReplyTemplates, setTemplateVariant, templateBodies } from './replies.repository';
import { latestTemplateOfChannel, recordReplies, suggestReplies } from './replies.history';
import { detectLanguage, localeLanguage, pickVariant } from '@shared/reply-language';
import type { Context } from '../../trpc';
import type { AgentRow } from '../../db/database';

type AgentContext = Context & { agent: AgentRow; db: Kysely<Database> };

const firstWord = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/**
 * What a template's slots are filled with for this customer and agent. Null for what the customer
 * does not have (no order yet): the caller asks the agent or uses the slot's fallback.
 */
async function templateValues(ctx: AgentContext, customerId: number | null, body: string): Promise<TemplateValues> {
  const agentValues: TemplateValues = { 'agent.name': ctx.agent.name, 'agent.firstName': firstWord(ctx.agent.name), 'agent.email': ctx.agent.email };
  if (customerId === null) return agentValues;
  const customer = await getCustomer(ctx.db, customerId);
  const order = await lastOrder(ctx.db, customer.id);
  const openTickets = await listTickets(ctx.db, { customerId: customer.id, status: ['open', 'pending'], limit: 1 });
  const ticket = openTickets.items[0];
  return {
    ...agentValues,
    'customer.name': customer.displayName,
    'customer.firstName': firstWord(customer.displayName),
    'customer.company': customer.company,
    'order.number': order?.number,
    'order.status': order?.status,
    'order.total': order ? new Intl.NumberFormat('en', { style: 'currency', currency: order.currency }).format(order.total) : null,
    'order.date': order?.placedAt.slice(0, 10),
    'ticket.id': ticket ? `#${ticket.id}` : null,
    'ticket.subject': ticket?.subject,
    // Made (or reused) only when the template asks for it: the latest resolved ticket's CSAT link.
    'survey.link': templateSlots(body).includes('survey.link')
      ? await surveyForLatestResolvedTicket(ctx.db, { customerId: customer.id, scale: 'csat', agentId: ctx.agent.id, now: ctx.now() }).then((s) =>
          s ? surveyUrl(ctx.baseUrl, s.token) : null,
        )
      : null,
  };
}

const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language code like "fa" or "tr-TR"');
const channel = z.enum(['email', 'x', 'review', 'chat', 'call']);
/** An incoming message as the page shows it: bounded, cleaned of invisible characters. */
const incomingText = clippedText(20_000, 5000);

export const repliesRouter = router({
  list: agentProcedure
    .input(z.object({ query: lineText(100, { min: 0 }).optional(), language: lineText(20, { min: 0 }).optional(), limit: z.number().int().min(1).max(100).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listReplyTemplates(ctx.db, input)),

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
        input.body ?? (await findReplyTemplate(ctx.db, { id: input.templateId, shortcut: input.shortcut })).body;
      const values = await templateValues(ctx, input.customerId, body);
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

  /**
   * A shortcut typed in a reply box (issue 22): the template's variant in the customer's language
   * (else the message's), and the values known for this customer. The extension fills the slots,
   * asking the agent for those left null, so nothing blank is ever inserted.
   */
  expand: agentProcedure
    .input(
      z.object({
        shortcut: lineText(40),
        customerId: z.number().int().positive().nullable(),
        /** The message being answered, for the language when the customer has no locale. */
        incoming: incomingText.nullable().default(null),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const template = await findReplyTemplate(ctx.db, { shortcut: input.shortcut.replace(/^[;/]/, '') });
      const bodies = (await templateBodies(ctx.db, [template.id])).get(template.id) ?? [];
      const customerLocale = input.customerId === null ? null : (await getCustomer(ctx.db, input.customerId)).locale;
      const fallback = bodies.find((b) => b.language === template.language) ?? { language: template.language, body: template.body };
      const variant = pickVariant(bodies, { customerLocale, messageText: input.incoming }, fallback);
      const checked = validateTemplate(variant.body);
      if (!checked.ok) throw new DomainError('invalid', checked.message, { field: 'body' });
      return {
        template: { id: template.id, name: template.name, shortcut: template.shortcut },
        language: variant.language,
        languages: bodies.map((b) => b.language),
        body: variant.body,
        values: await templateValues(ctx, input.customerId, variant.body),
      };
    }),

  /** Language variants of a template (its own body is the default one). */
  variants: agentProcedure.input(z.object({ templateId: z.number().int().positive() })).query(async ({ ctx, input }) => {
    await findReplyTemplate(ctx.db, { id: input.templateId });
    return (await templateBodies(ctx.db, [input.templateId])).get(input.templateId) ?? [];
  }),

  setVariant: adminProcedure
    .input(z.object({ templateId: z.number().int().positive(), language: languageCode, body: blockText(10_000) }))
    .mutation(async ({ ctx, input }) => {
      const checked = validateTemplate(input.body);
      if (!checked.ok) throw new DomainError('invalid', checked.message, { field: 'body' });
      return setTemplateVariant(ctx.db, input, ctx.now());
    }),

  /**
   * Up to 3 replies for the incoming message on the page, each citing where it came from. Only
   * suggests: the extension inserts one when the agent picks it, and nothing is ever sent.
   */
  suggest: agentProcedure
    .input(
      z.object({
        customerId: z.number().int().positive().nullable(),
        channel,
        incoming: incomingText,
        limit: z.number().int().min(1).max(3).default(3),
      }),
    )
    .query(async ({ ctx, input }) => {
      const customer = input.customerId === null ? null : await getCustomer(ctx.db, input.customerId);
      const language = localeLanguage(customer?.locale) ?? detectLanguage(input.incoming);
      const all = await listReplyTemplates(ctx.db, { limit: 100 });
      const bodies = await templateBodies(ctx.db, all.map((t) => t.id));
      const ranked = await suggestReplies(
        ctx.db,
        { customerId: input.customerId, channel: input.channel, incoming: input.incoming, language, limit: input.limit },
        all.map((t) => ({ id: t.id, name: t.name, shortcut: t.shortcut, bodies: bodies.get(t.id) ?? [] })),
      );
      const byId = new Map(all.map((t) => [t.id, t]));
      return Promise.all(
        ranked.map(async (s) => {
          const template = s.templateId !== null ? byId.get(s.templateId) : undefined;
          let text = s.reply ?? '';
          let templateLanguage: string | null = null;
          if (template) {
            const list = bodies.get(template.id) ?? [];
            const variant = pickVariant(list, { customerLocale: customer?.locale, messageLanguage: language }, list[0] ?? { language: template.language, body: template.body });
            templateLanguage = variant.language;
            // Filled for this customer; a slot without a value keeps a visible marker to edit.
            const values = await templateValues(ctx, input.customerId, variant.body);
            text = variant.body.replace(/\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g, (_m, name: string, fallback?: string) =>
              name === 'cursor' ? '' : (values[name as keyof TemplateValues] ?? fallback ?? `[${name}]`),
            );
          }
          return {
            kind: s.kind,
            templateId: template?.id ?? null,
            templateName: template?.name ?? null,
            shortcut: template?.shortcut ?? null,
            language: templateLanguage,
            text,
            score: Math.round(s.score * 1000) / 1000,
            source: s.source ? { ticketId: s.source.ticketId, at: new Date(s.source.at).toISOString(), agentName: s.source.agentName, sameCustomer: s.source.sameCustomer } : null,
          };
        }),
      );
    }),

  /**
   * A reply the agent put in a reply box through Rafiq (a template, a snippet, a suggestion) or
   * logged: it feeds the history suggestions learn from.
   */
  recordUse: agentProcedure
    .input(
      z.object({
        customerId: z.number().int().positive().nullable(),
        ticketId: z.number().int().positive().nullable().default(null),
        templateId: z.number().int().positive().nullable().default(null),
        channel,
        incoming: incomingText,
        reply: clippedText(20_000, 10_000, { min: 1 }),
        source: z.enum(['template', 'suggestion', 'snippet', 'logged']),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (!input.incoming.trim()) return { recorded: false };
      if (input.customerId !== null) await getCustomer(ctx.db, input.customerId);
      if (input.templateId !== null) await findReplyTemplate(ctx.db, { id: input.templateId });
      const [id] = await recordReplies(ctx.db, [
        { ...input, agentId: ctx.agent.id, language: detectLanguage(input.incoming), usedAt: ctx.now() },
      ]);
      return { recorded: true, id: id! };
    }),

  /** The benchmark's baseline, kept in the API so it is the same query the product could run. */
  latestOfChannel: agentProcedure.input(z.object({ channel })).query(({ ctx, input }) => latestTemplateOfChannel(ctx.db, input.channel)),

  create: adminProcedure.input(replyTemplateInputSchema).mutation(async ({ ctx, input }) => {
    const checked = validateTemplate(input.body);
    if (!checked.ok) throw new DomainError('invalid', checked.message, { field: 'body' });
    return createReplyTemplate(ctx.db, input, ctx.now());
  }),
});
