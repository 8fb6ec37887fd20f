import type { PagePerson } from '@shared/page-context';
import type { ConnectionStatus, CustomerView, LookupResult, Request, RequestOf, RequestType, ResponseMap, WriteContext } from '../messaging/protocol';

type WriteRequest = Extract<Request, { idempotencyKey: string }>;
import { isRetryable, makeApiClient, makeWriteClient, toErrorInfo, type ApiClient, type WriteClient } from './api-client';
import { ReadCache } from './cache';
import { Outbox, type OutboxItem } from './outbox';
import { staleReads } from './stale-reads';
import { createTeamHandlers } from './team-handlers';
import { catalogs } from '../i18n/all';
import { customerViewInputs } from '@shared/customer-view';

/** Who sent a message: a content script's tab and frame, or null for Rafiq's own pages. */
export interface SenderInfo {
  tab: string | null;
}

/**
 * Where the background keeps each tab's current page context. The service worker can be stopped
 * between two messages, so the entrypoint keeps it in `storage.session`; tests keep it in memory.
 */
export interface TabContextStore {
  load(): Promise<Record<string, string | null>>;
  save(contexts: Record<string, string | null>): Promise<void>;
}

/**
 * Sidebar writes that concern the person on the page: refused when the page moved on. Assigning
 * the page's ticket and recording a reply used on it belong here too (issue 17: every write). A
 * presence record is not: it is a signal about the conversation key it names, not customer data.
 */
const CONTEXT_BOUND: ReadonlySet<RequestType> = new Set([
  'createCustomer',
  'linkIdentity',
  'unlinkIdentity',
  'addNote',
  'createTicket',
  'updateTicket',
  'logInteraction',
  'mergeCustomers',
  'unmergeCustomers',
  'assignTicket',
  'recordReplyUse',
]);
export const CONTEXT_CHANGED_MESSAGE = 'The conversation changed before this was saved: nothing was saved';

export interface BackgroundDeps {
  openOptions(): Promise<void>;
  getServerUrl(): Promise<string>;
  getToken(): Promise<string>;
  getHighPriorityRating(): Promise<number>;
  now?: () => number;
  tabContexts?: TabContextStore;
  /** Called after a write that changes who is a customer (X badges re-ask; see IDENTITY_WRITES). */
  onIdentityChanged?(): void;
}

/**
 * Writes after which a page's "is this author a customer?" answers may be stale. A logged
 * complaint makes its reviewer a customer when they were not one (wandering e2e, seed 596885740:
 * the review's card kept saying "New to us" after its complaint created the customer).
 */
const IDENTITY_WRITES: ReadonlySet<RequestType> = new Set(['createCustomer', 'linkIdentity', 'unlinkIdentity', 'mergeCustomers', 'unmergeCustomers', 'logComplaint']);

/**
 * What the background does for each message. Kept apart from the entrypoint so tests drive it
 * with WXT's fakeBrowser and a real API server.
 */
export function createHandlers(deps: BackgroundDeps) {
  const lookups = new ReadCache<LookupResult>(60_000, 500);
  const views = new ReadCache<CustomerView>(30_000, 100);
  /** Views being fetched, so a prefetch and the card's own ask share one request. */
  const viewsInFlight = new Map<number, Promise<CustomerView>>();
  /** Bumped by every write: a view fetched before it is neither cached nor shared after it. */
  let readGeneration = 0;
  function loadView(customerId: number): Promise<CustomerView> {
    const pending = viewsInFlight.get(customerId);
    if (pending) return pending;
    const promise = (async () => {
      const client = await api();
      // Read after `api()`: a new connection bumps the generation itself (the first view was never kept).
      const generation = readGeneration;
      const reads = customerViewInputs(customerId);
      // One HTTP request: the batch link sends these five together.
      const [customer, timeline, tickets, orders, notes] = await Promise.all([
        client.customers.get.query(reads.customer),
        client.timeline.list.query(reads.timeline),
        client.tickets.list.query(reads.tickets),
        client.orders.list.query(reads.orders),
        client.notes.list.query(reads.notes),
      ]);
      const view: CustomerView = { customer, timeline, openTickets: tickets.items, orders, notes, staleSince: null };
      if (generation === readGeneration) {
        views.set(String(customerId), view);
        staleReads.saveView(customerId, view);
      }
      void flushOutbox();
      return view;
    })();
    viewsInFlight.set(customerId, promise);
    const forget = () => {
      if (viewsInFlight.get(customerId) === promise) viewsInFlight.delete(customerId);
    };
    promise.then(forget, forget);
    return promise;
  }
  /**
   * `customers.lookupWithView`; a server without it (older than this extension) or a card that
   * could not be read (the customer erased a moment ago) falls back to the plain lookup, and the
   * card then asks for its view as before.
   */
  async function lookupWithView(client: ApiClient, person: PagePerson): Promise<{ lookup: LookupResult; view: CustomerView | null }> {
    const input = { identities: person.identities, name: person.displayName };
    try {
      const { lookup, view } = await client.customers.lookupWithView.query(input);
      return { lookup, view: view && { ...view, staleSince: null } };
    } catch (error) {
      if (toErrorInfo(error).code !== 'NOT_FOUND') throw error;
      return { lookup: await client.customers.lookup.query(input), view: null };
    }
  }
  /** Who is this person: the cached answer, or one call that also brings their card (cached too). */
  async function lookupPerson(person: PagePerson): Promise<LookupResult> {
    const key = personKey(person);
    const cached = lookups.get(key);
    if (cached) return cached;
    try {
      const client = await api();
      // Read after `api()`: a new connection bumps the generation itself.
      const generation = readGeneration;
      // The lookup and, when it names a customer, that customer's card in one round trip: the
      // card asks for the view next and finds it cached (issue 20: cold switch vs the bare extension).
      const { lookup, view } = await lookupWithView(client, person);
      // A write since this was asked may have changed who this is: answer, but keep nothing.
      if (generation === readGeneration) {
        lookups.set(key, lookup);
        staleReads.saveLookup(key, lookup);
        // Only ever under the id of the customer the view is of, and only that lookup's customer.
        if (view && lookup.customer && view.customer.id === lookup.customer.id) {
          views.set(String(view.customer.id), view);
          staleReads.saveView(view.customer.id, view);
        }
      }
      // The server answered: queued writes can go (as after any card read).
      if (view) void flushOutbox();
      return lookup;
    } catch (error) {
      const stale = isRetryable(toErrorInfo(error)) ? await staleReads.lookup(key) : null;
      if (stale) return stale;
      throw error;
    }
  }
  let client: { key: string; api: ApiClient; write: WriteClient } | null = null;
  const outbox = new Outbox(deps.now);
  let lastStatus: ConnectionStatus | null = null;

  // Each tab's current page context, as its content script last reported it (issue 17).
  const contextStore: TabContextStore = deps.tabContexts ?? memoryContextStore();
  let tabContexts: Map<string, string | null> | null = null;
  let loadingContexts: Promise<Map<string, string | null>> | null = null;
  const contexts = () =>
    tabContexts
      ? Promise.resolve(tabContexts)
      : (loadingContexts ??= contextStore.load().then((saved) => {
          // Reports that arrived while loading are newer than what was saved.
          tabContexts = new Map([...Object.entries(saved), ...(tabContexts ?? [])]);
          return tabContexts;
        }));
  const MAX_TABS = 500;
  async function setTabContext(tab: string, key: string | null) {
    const map = await contexts();
    map.delete(tab);
    map.set(tab, key);
    while (map.size > MAX_TABS) map.delete(map.keys().next().value!);
    await contextStore.save(Object.fromEntries(map));
  }
  async function forgetTab(tabId: number) {
    const map = await contexts();
    for (const key of [...map.keys()]) if (key.startsWith(`${tabId}:`)) map.delete(key);
    await contextStore.save(Object.fromEntries(map));
  }
  /** A sidebar write from a content script must name the context its tab shows now. */
  async function contextGuard(request: Request, sender: SenderInfo): Promise<string | null> {
    if (sender.tab === null || !CONTEXT_BOUND.has(request.type)) return null;
    const claimed = (request as { context?: WriteContext }).context;
    const current = (await contexts()).get(sender.tab);
    if (!claimed || !current || claimed.key !== current) return CONTEXT_CHANGED_MESSAGE;
    // The customer the agent saw is the one the write names.
    if ('customerId' in request && claimed.customerId !== null && claimed.customerId !== request.customerId) return CONTEXT_CHANGED_MESSAGE;
    return null;
  }

  async function clients(): Promise<{ api: ApiClient; write: WriteClient }> {
    const [serverUrl, token] = await Promise.all([deps.getServerUrl(), deps.getToken()]);
    if (!token) throw Object.assign(new Error('Rafiq is not connected: open the options and paste the connection string'), { code: 'NOT_CONFIGURED' });
    const key = `${serverUrl}\u0000${token}`;
    if (client?.key !== key) {
      client = { key, api: makeApiClient(serverUrl, token), write: makeWriteClient(serverUrl, token) };
      lookups.clear();
      views.clear();
      viewsInFlight.clear();
      readGeneration++;
    }
    return client;
  }
  const api = async () => (await clients()).api;

  /** Every write, by message type. Used for the first attempt and for outbox redelivery alike. */
  async function performWrite(request: WriteRequest): Promise<unknown> {
    const { write } = await clients();
    const opts = { context: { idempotencyKey: request.idempotencyKey } };
    switch (request.type) {
      case 'createCustomer':
        return write.customers.create.mutate({ displayName: request.displayName, identities: request.identities }, opts);
      case 'linkIdentity':
        return write.identities.link.mutate({ customerId: request.customerId, identity: request.identity }, opts);
      case 'unlinkIdentity':
        return write.identities.unlink.mutate({ identityId: request.identityId, customerId: request.context?.customerId ?? undefined }, opts);
      case 'addNote':
        return write.notes.add.mutate({ customerId: request.customerId, body: request.body }, opts);
      case 'createTicket':
        return write.tickets.create.mutate(
          { customerId: request.customerId, subject: request.subject, channel: request.channel, sourceUrl: request.sourceUrl, sourceKey: request.sourceKey, excerpt: request.excerpt },
          opts,
        );
      case 'updateTicket':
        return write.tickets.update.mutate({ id: request.ticketId, status: request.status, customerId: request.context?.customerId ?? undefined }, opts);
      case 'logInteraction':
        return write.interactions.log.mutate(
          {
            customerId: request.customerId,
            channel: request.channel,
            direction: request.direction,
            summary: request.summary,
            excerpt: request.excerpt,
            url: request.url,
            externalId: request.externalId,
            occurredAt: request.occurredAt ?? undefined,
          },
          opts,
        );
      case 'logComplaint':
        return write.complaints.log.mutate({ review: request.review, pageUrl: request.pageUrl, highPriorityAtOrBelow: await deps.getHighPriorityRating() }, opts);
    }
  }

  /**
   * A write: sent now when the API answers; kept in the durable outbox when it can't be reached
   * (the agent sees "queued"), and redelivered later with the same idempotency key.
   */
  async function write<T>(request: WriteRequest): Promise<T> {
    try {
      const result = (await performWrite(request)) as T;
      afterWrite(request.type);
      void flushOutbox();
      return result;
    } catch (error) {
      const info = toErrorInfo(error);
      if (!isRetryable(info)) throw error;
      const queued = await outbox.add(request, info.message);
      throw Object.assign(new Error(`Saved offline: Rafiq will send it when the server is back (queued ${queued}).`), { code: 'QUEUED' });
    }
  }

  async function deliver(item: OutboxItem) {
    try {
      await performWrite(item.request);
      afterWrite(item.request.type);
      return { result: 'delivered' as const };
    } catch (error) {
      const info = toErrorInfo(error);
      // A key still being answered holds up only itself: the outbox skips past it (issue 18).
      const result = info.code === 'CONFLICT_IN_PROGRESS' ? ('waiting' as const) : isRetryable(info) ? ('retry' as const) : ('rejected' as const);
      return { result, error: info.message };
    }
  }
  async function flushOutbox(force = false): Promise<number> {
    if (!(await deps.getToken())) return 0;
    return outbox.flush(deliver, { force });
  }

  const personKey = (person: PagePerson) => JSON.stringify(person.identities.map((i) => [i.kind, i.value.toLowerCase()]));
  const afterWrite = (type?: RequestType) => {
    lookups.clear();
    views.clear();
    viewsInFlight.clear();
    readGeneration++;
    if (type && IDENTITY_WRITES.has(type)) deps.onIdentityChanged?.();
  };

  async function status(serverUrl: string, token: string): Promise<ConnectionStatus> {
    const base = { serverUrl, queued: await outbox.size(), configured: Boolean(token) };
    if (!token) return { ...base, state: 'not-configured', agent: null, message: 'No token yet: paste the connection string `npm start` printed.' };
    try {
      // Bounded: a server that never answers is reported within 5 s, not after the browser's minutes.
      const agent = await makeApiClient(serverUrl, token).agents.me.query(undefined, { signal: AbortSignal.timeout(4_500) });
      if (base.queued) void flushOutbox(true);
      return { ...base, state: 'connected', agent, message: null };
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === 'UNAUTHORIZED') return { ...base, state: 'unauthorized', agent: null, message: 'The server is reachable but refused the token (unknown, revoked or expired).' };
      return { ...base, state: 'unreachable', agent: null, message: info.message };
    }
  }

  const handlers: { [T in RequestType]: (request: RequestOf<T>) => Promise<ResponseMap[T]> } = {
    async getStatus() {
      lastStatus = await status(await deps.getServerUrl(), await deps.getToken());
      return lastStatus;
    },
    // Recorded in `handle` (it needs the sender), answered here.
    pageContext: async () => null,
    getCatalog: async (request) => ({ ...(catalogs[request.language] as Record<string, string>) }),
    async openOptions() {
      await deps.openOptions();
      return null;
    },
    testConnection: (request) => status(request.serverUrl.replace(/\/+$/, ''), request.token),
    // Team workflows (issue 21): SLA clock, presence, assignment, queues, team settings.
    ...createTeamHandlers(api, () => afterWrite()),

    async lookupPerson({ person, withView }) {
      const result = await lookupPerson(person);
      // The card of exactly this customer, as `getCustomerView` would answer it from the cache now.
      const view = withView && result.customer ? views.get(String(result.customer.id)) : undefined;
      return view && view.customer.id === result.customer?.id ? { ...result, view } : result;
    },

    async lookupMany({ people }) {
      const misses = people.filter((p) => !lookups.get(personKey(p)));
      if (misses.length) {
        const results = await (await api()).customers.lookupMany.query({
          lookups: misses.map((p) => ({ identities: p.identities, name: p.displayName })),
        });
        misses.forEach((p, i) => lookups.set(personKey(p), results[i]!));
      }
      return people.map((p) => lookups.get(personKey(p)) ?? { customer: null, matchedIdentity: null, suggestions: [] });
    },

    async getCustomerView({ customerId }) {
      const cached = views.get(String(customerId));
      if (cached) return cached;
      try {
        return await loadView(customerId);
      } catch (error) {
        // API down: the last known card at once, marked offline with its age.
        const stale = isRetryable(toErrorInfo(error)) ? await staleReads.view(customerId) : null;
        if (stale) return stale;
        throw error;
      }
    },

    async timelinePage({ customerId, cursor }) {
      return (await api()).timeline.list.query({ customerId, cursor, limit: 30 });
    },
    async searchCustomers({ query }) {
      return (await api()).customers.search.query({ query, limit: 10 });
    },
    createCustomer: (request) => write(request),
    linkIdentity: (request) => write(request),
    unlinkIdentity: (request) => write(request),
    addNote: (request) => write(request),
    createTicket: (request) => write(request),
    updateTicket: (request) => write(request),
    logInteraction: (request) => write(request),
    async listTemplates({ query }) {
      return (await api()).replies.list.query({ query: query || undefined, limit: 50 });
    },
    async renderTemplate({ templateId, customerId }) {
      return (await api()).replies.render.mutate({ templateId, customerId });
    },
    async expandSnippet({ shortcut, customerId, incoming }) {
      return (await api()).replies.expand.mutate({ shortcut, customerId, incoming });
    },
    async suggestReplies({ customerId, channel, incoming }) {
      return (await api()).replies.suggest.query({ customerId, channel, incoming });
    },
    // Learning, not a customer write: best effort, never queued (a lost one costs one example).
    async recordReplyUse(request) {
      const { type: _type, context: _context, ...input } = request;
      return (await api()).replies.recordUse.mutate(input);
    },
    logComplaint: (request) => write(request),
    async complaintStatus({ reviews }) {
      if (!reviews.length) return [];
      return (await api()).complaints.status.query({ reviews });
    },
    async metricsSummary({ from, to, groupBy, tz, reopenWindowDays }) {
      return (await api()).metrics.summary.query({ from, to, groupBy, tz, reopenWindowDays });
    },
    async customerMetrics({ customerId }) {
      return (await api()).metrics.customer.query({ customerId });
    },
    async surveyFollowUps({ answeredFrom, answeredBefore }) {
      return (await api()).surveys.followUps.query({ limit: 50, answeredFrom, answeredBefore });
    },
    async mergeCustomers({ survivorId, mergedId }) {
      const result = await (await api()).customers.merge.mutate({ survivorId, mergedId });
      afterWrite('mergeCustomers');
      return result;
    },
    async unmergeCustomers({ mergeId }) {
      const result = await (await api()).customers.unmerge.mutate({ mergeId });
      afterWrite('unmergeCustomers');
      return result;
    },
    async findDuplicates({ cursor }) {
      return (await api()).customers.duplicates.query({ limit: 20, cursor });
    },
  };

  return {
    async handle(request: Request, sender: SenderInfo = { tab: null }): Promise<{ ok: true; data: unknown } | { ok: false; error: ReturnType<typeof toErrorInfo> }> {
      try {
        if (request.type === 'pageContext') {
          if (sender.tab !== null) await setTabContext(sender.tab, request.key);
          return { ok: true, data: null };
        }
        const refused = await contextGuard(request, sender);
        if (refused) return { ok: false, error: { code: 'CONTEXT_CHANGED', message: refused } };
        const handler = handlers[request.type] as (r: Request) => Promise<unknown>;
        return { ok: true, data: await handler(request) };
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'NOT_CONFIGURED' || code === 'QUEUED') return { ok: false, error: { code, message: (error as Error).message } };
        return { ok: false, error: toErrorInfo(error) };
      }
    },
    lastStatus: () => lastStatus,
    forgetTab,
    flushOutbox,
    outbox,
  };
}

function memoryContextStore(): TabContextStore {
  let saved: Record<string, string | null> = {};
  return {
    load: async () => saved,
    save: async (contexts) => {
      saved = contexts;
    },
  };
}
