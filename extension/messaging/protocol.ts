import { z } from 'zod';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../api/router';
import { identityInputSchema } from '@shared/identity';
import { pagePersonSchema, reviewSchema } from '@shared/page-context';
import { ticketStatusSchema } from '@shared/ticket';
import { metricsGroupBySchema, timeZoneSchema } from '@shared/metrics';
import { isoTimeSchema } from '@shared/timeline';
import { conversationKeySchema, presenceActivitySchema, tabIdSchema } from '@shared/presence';
import { businessCalendarSchema, slaPolicySchema } from '@shared/sla-schema';

/**
 * Every message a content script or extension page sends to the background, named by intent.
 * The background validates each one with these schemas before acting: content scripts run inside
 * hostile pages, so nothing they send is trusted (and only this extension's own scripts are
 * heard: see `isTrustedSender` in background).
 */
const id = z.number().int().positive();
const idempotencyKey = z.string().min(8).max(100);
/**
 * The page context a sidebar write was made on (issue 17): the context key the content script
 * last reported for its tab, and the customer the agent saw. The background refuses the write when
 * that context is no longer the tab's current one, so a write never lands on another person.
 */
export const writeContextSchema = z.object({ key: z.string().min(1).max(2000), customerId: id.nullable() });
export type WriteContext = z.infer<typeof writeContextSchema>;
const context = writeContextSchema.optional();

/** Team workflows (issue 21): SLA clock, presence and collision guard, assignment, queues, team settings. */
const teamWorkflowRequests = [
  z.object({ type: z.literal('ticketSla'), ticketId: id }),
  z.object({ type: z.literal('presenceHeartbeat'), tabId: tabIdSchema, conversationKey: conversationKeySchema, activity: presenceActivitySchema, read: z.boolean().optional() }),
  z.object({ type: z.literal('presenceLeave'), tabId: tabIdSchema }),
  z.object({ type: z.literal('presenceRead'), conversationKey: conversationKeySchema, since: z.iso.datetime({ offset: true }), ifVersion: z.string().max(2000).optional() }),
  z.object({ type: z.literal('presenceRecord'), conversationKey: conversationKeySchema, kind: z.enum(['replied', 'logged']), ticketId: id.nullable() }),
  z.object({ type: z.literal('assignTicket'), context, ticketId: id, to: z.union([z.literal('me'), id, z.null()]) }),
  z.object({ type: z.literal('teamInfo') }),
  z.object({ type: z.literal('queueCounts') }),
  z.object({ type: z.literal('queueList'), queue: z.enum(['mine', 'unassigned', 'breaching']), cursor: z.number().int().min(0).nullable() }),
  z.object({ type: z.literal('slaAttainment'), from: z.iso.date(), to: z.iso.date(), tz: timeZoneSchema }),
  z.object({ type: z.literal('slaPolicies') }),
  z.object({ type: z.literal('setSlaPolicy'), policy: slaPolicySchema }),
  z.object({ type: z.literal('removeSlaPolicy'), policyId: id }),
  z.object({
    type: z.literal('updateTeam'),
    teamId: id,
    name: z.string().trim().min(1).max(100).optional(),
    calendar: businessCalendarSchema.optional(),
    claimOnFirstReply: z.boolean().optional(),
    roundRobin: z.boolean().optional(),
  }),
  z.object({ type: z.literal('setAvailable'), available: z.boolean() }),
] as const;

export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('getStatus') }),
  // A content script's texts in the agent's language (only English is bundled in content scripts).
  z.object({ type: z.literal('getCatalog'), language: z.enum(['ar', 'fa', 'tr']) }),
  // A content script tells the background which page context its tab shows now (null: none).
  z.object({ type: z.literal('pageContext'), key: z.string().min(1).max(2000).nullable() }),
  z.object({ type: z.literal('openOptions') }),
  z.object({ type: z.literal('testConnection'), serverUrl: z.string().url().max(500), token: z.string().max(200) }),
  // `withView`: the answer carries the matched customer's card when the background has it (the
  // sidebar's card then needs no second message; issue 20).
  z.object({ type: z.literal('lookupPerson'), person: pagePersonSchema, withView: z.boolean().optional() }),
  z.object({ type: z.literal('lookupMany'), people: z.array(pagePersonSchema).min(1).max(100) }),
  z.object({ type: z.literal('getCustomerView'), customerId: id }),
  z.object({ type: z.literal('timelinePage'), customerId: id, cursor: z.string().max(100) }),
  z.object({ type: z.literal('searchCustomers'), query: z.string().trim().min(1).max(200) }),
  z.object({
    type: z.literal('createCustomer'),
    idempotencyKey,
    context,
    displayName: z.string().trim().min(1).max(300),
    identities: z.array(identityInputSchema).max(20),
  }),
  z.object({ type: z.literal('linkIdentity'), idempotencyKey, context, customerId: id, identity: identityInputSchema }),
  z.object({ type: z.literal('unlinkIdentity'), idempotencyKey, context, identityId: id }),
  z.object({ type: z.literal('addNote'), idempotencyKey, context, customerId: id, body: z.string().trim().min(1).max(10_000) }),
  z.object({
    type: z.literal('createTicket'),
    idempotencyKey,
    context,
    customerId: id,
    subject: z.string().trim().min(1).max(500),
    channel: z.enum(['email', 'x', 'review', 'chat', 'call']),
    sourceUrl: z.string().url().max(2048).nullable(),
    sourceKey: z.string().max(400).nullable(),
    excerpt: z.string().max(5000).nullable(),
  }),
  z.object({ type: z.literal('updateTicket'), idempotencyKey, context, ticketId: id, status: ticketStatusSchema }),
  z.object({
    type: z.literal('logInteraction'),
    idempotencyKey,
    context,
    customerId: id,
    channel: z.enum(['email', 'x', 'review']),
    direction: z.enum(['inbound', 'outbound']),
    summary: z.string().trim().min(1).max(500),
    excerpt: z.string().max(5000).nullable(),
    url: z.string().url().max(2048).nullable(),
    externalId: z.string().max(300),
    occurredAt: z.string().max(64).nullable(),
  }),
  z.object({ type: z.literal('listTemplates'), query: z.string().max(100) }),
  z.object({ type: z.literal('renderTemplate'), templateId: id, customerId: id }),
  // Answer faster (issue 22): a shortcut typed in a reply box, suggested replies, and a reply
  // inserted through Rafiq or sent by the agent ('logged') feeding the history suggestions learn from.
  z.object({ type: z.literal('expandSnippet'), shortcut: z.string().trim().min(1).max(40), customerId: id.nullable(), incoming: z.string().max(20_000).nullable() }),
  z.object({ type: z.literal('suggestReplies'), customerId: id.nullable(), channel: z.enum(['email', 'x', 'review']), incoming: z.string().max(20_000) }),
  z.object({
    type: z.literal('recordReplyUse'),
    context,
    customerId: id.nullable(),
    templateId: id.nullable(),
    // The conversation's open ticket, when the sidebar knows it (a sent reply).
    ticketId: id.nullable().optional(),
    channel: z.enum(['email', 'x', 'review']),
    incoming: z.string().max(20_000),
    reply: z.string().min(1).max(20_000),
    source: z.enum(['template', 'suggestion', 'snippet', 'logged']),
  }),
  z.object({ type: z.literal('logComplaint'), idempotencyKey, review: reviewSchema, pageUrl: z.string().url().max(2048) }),
  z.object({
    type: z.literal('complaintStatus'),
    reviews: z.array(z.object({ site: z.string().max(40), reviewId: z.string().max(300) })).max(200),
  }),
  // The dashboard page and the sidebar's satisfaction section (issue 14).
  z.object({
    type: z.literal('metricsSummary'),
    from: z.iso.date(),
    to: z.iso.date(),
    groupBy: metricsGroupBySchema,
    tz: timeZoneSchema,
    reopenWindowDays: z.number().int().min(1).max(365),
  }),
  z.object({ type: z.literal('customerMetrics'), customerId: id }),
  // One customer across channels (issue 7): merge with undo, duplicates. Not queued offline: a
  // merge is confirmed against a preview and must happen now or not at all.
  z.object({ type: z.literal('mergeCustomers'), context, survivorId: id, mergedId: id }),
  z.object({ type: z.literal('unmergeCustomers'), context, mergeId: id }),
  z.object({ type: z.literal('findDuplicates'), cursor: z.string().max(400).nullable() }),
  // The dashboard's range (its metrics.summary `range.start`/`end`): follow-ups follow the dates picked.
  z.object({ type: z.literal('surveyFollowUps'), answeredFrom: isoTimeSchema.nullish(), answeredBefore: isoTimeSchema.nullish() }),
  ...teamWorkflowRequests,
]);
export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

type Out = inferRouterOutputs<AppRouter>;
export type CustomerWithIdentities = Out['customers']['get'];
export type LookupResult = Out['customers']['lookup'];
export type TimelinePage = Out['timeline']['list'];
export type TicketView = Out['tickets']['list']['items'][number];

export interface CustomerView {
  customer: CustomerWithIdentities;
  timeline: TimelinePage;
  openTickets: TicketView[];
  orders: Out['orders']['list'];
  notes: Out['notes']['list'];
  /** Set when the API is unreachable and this is the last known card (ISO time it was fetched). */
  staleSince: string | null;
}

export interface ConnectionStatus {
  configured: boolean;
  state: 'connected' | 'unreachable' | 'unauthorized' | 'not-configured' | 'unknown';
  serverUrl: string;
  agent: Out['agents']['me'] | null;
  message: string | null;
  queued: number;
}

export interface ResponseMap {
  getStatus: ConnectionStatus;
  getCatalog: Record<string, string>;
  pageContext: null;
  openOptions: null;
  testConnection: ConnectionStatus;
  lookupPerson: LookupResult & { view?: CustomerView };
  lookupMany: LookupResult[];
  getCustomerView: CustomerView;
  timelinePage: TimelinePage;
  searchCustomers: Out['customers']['search'];
  createCustomer: CustomerWithIdentities;
  linkIdentity: Out['identities']['link'];
  unlinkIdentity: Out['identities']['unlink'];
  addNote: Out['notes']['add'];
  createTicket: Out['tickets']['create'];
  updateTicket: Out['tickets']['update'];
  logInteraction: Out['interactions']['log'];
  listTemplates: Out['replies']['list'];
  renderTemplate: Out['replies']['render'];
  expandSnippet: Out['replies']['expand'];
  suggestReplies: Out['replies']['suggest'];
  recordReplyUse: Out['replies']['recordUse'];
  logComplaint: Out['complaints']['log'];
  complaintStatus: Out['complaints']['status'];
  metricsSummary: Out['metrics']['summary'];
  customerMetrics: Out['metrics']['customer'];
  surveyFollowUps: Out['surveys']['followUps'];
  mergeCustomers: Out['customers']['merge'];
  unmergeCustomers: Out['customers']['unmerge'];
  findDuplicates: Out['customers']['duplicates'];
  // Team workflows (issue 21)
  ticketSla: Out['sla']['ticket'];
  presenceHeartbeat: Out['presence']['heartbeat'];
  presenceLeave: Out['presence']['leave'];
  presenceRead: Out['presence']['read'];
  presenceRecord: Out['presence']['record'];
  assignTicket: Out['queues']['assign'];
  teamInfo: Out['sla']['teams'];
  queueCounts: Out['queues']['counts'];
  queueList: Out['queues']['list'];
  slaAttainment: Out['sla']['attainment'];
  slaPolicies: Out['sla']['policies'];
  setSlaPolicy: Out['sla']['setPolicy'];
  removeSlaPolicy: Out['sla']['removePolicy'];
  updateTeam: Out['sla']['updateTeam'];
  setAvailable: Out['sla']['setAvailable'];
}

export interface ErrorInfo {
  code: string;
  message: string;
  fieldErrors?: Record<string, string[]> | null;
}

export type Response<T extends RequestType> = { ok: true; data: ResponseMap[T] } | { ok: false; error: ErrorInfo };

/** Messages the background sends to a tab's content script. */
export type TabMessage = { type: 'toggleSidebar' } | { type: 'identityChanged' };
