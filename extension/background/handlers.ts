import type { PagePerson } from '@shared/page-context';
import type { ConnectionStatus, CustomerView, LookupResult, Request, RequestOf, RequestType, ResponseMap } from '../messaging/protocol';
import { makeApiClient, toErrorInfo, type ApiClient } from './api-client';
import { ReadCache } from './cache';

export interface BackgroundDeps {
  openOptions(): Promise<void>;
  getServerUrl(): Promise<string>;
  getToken(): Promise<string>;
  getHighPriorityRating(): Promise<number>;
  now?: () => number;
}

/**
 * What the background does for each message. Kept apart from the entrypoint so tests drive it
 * with WXT's fakeBrowser and a real API server.
 */
export function createHandlers(deps: BackgroundDeps) {
  const lookups = new ReadCache<LookupResult>(60_000, 500);
  const views = new ReadCache<CustomerView>(30_000, 100);
  let client: { key: string; api: ApiClient } | null = null;
  let lastStatus: ConnectionStatus | null = null;

  async function api(): Promise<ApiClient> {
    const [serverUrl, token] = await Promise.all([deps.getServerUrl(), deps.getToken()]);
    if (!token) throw Object.assign(new Error('Rafiq is not connected: open the options and paste the connection string'), { code: 'NOT_CONFIGURED' });
    const key = `${serverUrl}\u0000${token}`;
    if (client?.key !== key) {
      client = { key, api: makeApiClient(serverUrl, token) };
      lookups.clear();
      views.clear();
    }
    return client.api;
  }

  const personKey = (person: PagePerson) => JSON.stringify(person.identities.map((i) => [i.kind, i.value.toLowerCase()]));
  const afterWrite = () => {
    lookups.clear();
    views.clear();
  };

  async function status(serverUrl: string, token: string): Promise<ConnectionStatus> {
    const base = { serverUrl, queued: 0, configured: Boolean(token) };
    if (!token) return { ...base, state: 'not-configured', agent: null, message: 'No token yet: paste the connection string `npm start` printed.' };
    try {
      const agent = await makeApiClient(serverUrl, token).agents.me.query();
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
    async openOptions() {
      await deps.openOptions();
      return null;
    },
    testConnection: (request) => status(request.serverUrl.replace(/\/+$/, ''), request.token),

    async lookupPerson({ person }) {
      const key = personKey(person);
      const cached = lookups.get(key);
      if (cached) return cached;
      const result = await (await api()).customers.lookup.query({ identities: person.identities, name: person.displayName });
      lookups.set(key, result);
      return result;
    },

    async lookupMany({ people }) {
      const misses = people.filter((p) => !lookups.get(personKey(p)));
      if (misses.length) {
        const results = await (await api()).customers.lookupMany.query({
          lookups: misses.map((p) => ({ identities: p.identities, name: p.displayName })),
        });
        misses.forEach((p, i) => lookups.set(personKey(p), results[i]!));
      }
      return people.map((p) => lookups.get(personKey(p)) ?? { customer: null, matchedIdentity: null });
    },

    async getCustomerView({ customerId }) {
      const key = String(customerId);
      const cached = views.get(key);
      if (cached) return cached;
      const client = await api();
      // One HTTP request: the batch link sends these five together.
      const [customer, timeline, tickets, orders, notes] = await Promise.all([
        client.customers.get.query({ id: customerId }),
        client.timeline.list.query({ customerId, limit: 30 }),
        client.tickets.list.query({ customerId, status: ['open', 'pending'], limit: 20 }),
        client.orders.list.query({ customerId, limit: 10 }),
        client.notes.list.query({ customerId, limit: 10 }),
      ]);
      const view: CustomerView = { customer, timeline, openTickets: tickets.items, orders, notes };
      views.set(key, view);
      return view;
    },

    async timelinePage({ customerId, cursor }) {
      return (await api()).timeline.list.query({ customerId, cursor, limit: 30 });
    },
    async searchCustomers({ query }) {
      return (await api()).customers.search.query({ query, limit: 10 });
    },
    async createCustomer({ displayName, identities }) {
      const result = await (await api()).customers.create.mutate({ displayName, identities });
      afterWrite();
      return result;
    },
    async linkIdentity({ customerId, identity }) {
      const result = await (await api()).identities.link.mutate({ customerId, identity });
      afterWrite();
      return result;
    },
    async unlinkIdentity({ identityId }) {
      const result = await (await api()).identities.unlink.mutate({ identityId });
      afterWrite();
      return result;
    },
    async addNote({ customerId, body }) {
      const result = await (await api()).notes.add.mutate({ customerId, body });
      afterWrite();
      return result;
    },
    async createTicket(request) {
      const result = await (await api()).tickets.create.mutate({
        customerId: request.customerId,
        subject: request.subject,
        channel: request.channel,
        sourceUrl: request.sourceUrl,
        sourceKey: request.sourceKey,
        excerpt: request.excerpt,
      });
      afterWrite();
      return result;
    },
    async updateTicket({ ticketId, status: next }) {
      const result = await (await api()).tickets.update.mutate({ id: ticketId, status: next });
      afterWrite();
      return result;
    },
    async logInteraction(request) {
      const result = await (await api()).interactions.log.mutate({
        customerId: request.customerId,
        channel: request.channel,
        direction: request.direction,
        summary: request.summary,
        excerpt: request.excerpt,
        url: request.url,
        externalId: request.externalId,
        occurredAt: request.occurredAt ?? undefined,
      });
      afterWrite();
      return result;
    },
    async listTemplates({ query }) {
      return (await api()).replies.list.query({ query: query || undefined, limit: 50 });
    },
    async renderTemplate({ templateId, customerId }) {
      return (await api()).replies.render.mutate({ templateId, customerId });
    },
    async logComplaint({ review, pageUrl }) {
      const result = await (await api()).complaints.log.mutate({
        review,
        pageUrl,
        highPriorityAtOrBelow: await deps.getHighPriorityRating(),
      });
      afterWrite();
      return result;
    },
    async complaintStatus({ reviews }) {
      if (!reviews.length) return [];
      return (await api()).complaints.status.query({ reviews });
    },
  };

  return {
    async handle(request: Request): Promise<{ ok: true; data: unknown } | { ok: false; error: ReturnType<typeof toErrorInfo> }> {
      try {
        const handler = handlers[request.type] as (r: Request) => Promise<unknown>;
        return { ok: true, data: await handler(request) };
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'NOT_CONFIGURED') return { ok: false, error: { code, message: (error as Error).message } };
        return { ok: false, error: toErrorInfo(error) };
      }
    },
    lastStatus: () => lastStatus,
  };
}
