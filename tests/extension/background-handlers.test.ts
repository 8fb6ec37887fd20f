// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parseEnv } from '../../api/env';
import { startServer, type RunningServer } from '../../api/server';
import { createHandlers } from '../../extension/background/handlers';
import { TEAM_INFO_TTL_MS } from '../../extension/background/team-handlers';
import type { Request } from '../../extension/messaging/protocol';
import type { Review } from '@shared/page-context';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { outboxItem } from '../../extension/background/outbox';
import { sampleReview } from './sample-review';

// The background's handlers against a real API on a temporary database with the demo data.
let server: RunningServer;
let dir: string;
let token: string;
let requests = 0;
/** The tRPC paths of every request, in order (`customers.lookupWithView`, `customers.get,timeline.list,…`). */
const paths: string[] = [];
/** A test's stand-in for the network on some requests (a slow answer, an older server); null: the real one. */
let intercept: ((url: URL, send: () => Promise<Response>) => Promise<Response> | null) | null = null;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rafiq-bg-'));
  server = await startServer(parseEnv({ PORT: '0', DATA_DIR: dir, SEED_DEMO: '1' }), { sqliteFile: join(dir, 'db.sqlite'), quiet: true, tokenFile: join(dir, 'token.txt') });
  token = server.demoToken!;
  globalThis.fetch = (...args: Parameters<typeof fetch>) => {
    requests++;
    const url = new URL(args[0] instanceof Request ? args[0].url : String(args[0]));
    paths.push(url.pathname.replace(/^\/trpc\//, ''));
    return intercept?.(url, () => realFetch(...args)) ?? realFetch(...args);
  };
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const handlersWith = (t: () => string) =>
  createHandlers({ openOptions: async () => undefined, getServerUrl: async () => server.url, getToken: async () => t(), getHighPriorityRating: async () => 2 });
const ok = async <T>(promise: Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>) => {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as T;
};

const layla = { displayName: 'Layla Haddad', identities: [{ kind: 'email' as const, value: 'Layla.Haddad@example.com' }] };

describe('background handlers', () => {
  test('status: not configured, unauthorized, connected', async () => {
    expect((await ok<{ state: string }>(handlersWith(() => '').handle({ type: 'getStatus' })))).toMatchObject({ state: 'not-configured' });
    expect(await ok(handlersWith(() => 'rfq_wrong').handle({ type: 'getStatus' }))).toMatchObject({ state: 'unauthorized' });
    expect(await ok(handlersWith(() => token).handle({ type: 'getStatus' }))).toMatchObject({ state: 'connected', agent: { name: 'Sara Ahmed' } });
  });

  test('lookups are cached, and a write invalidates the cache', async () => {
    const handlers = handlersWith(() => token);
    const first = await ok<{ customer: { id: number; displayName: string } }>(handlers.handle({ type: 'lookupPerson', person: layla }));
    expect(first.customer.displayName).toBe('Layla Haddad');
    const before = requests;
    await ok(handlers.handle({ type: 'lookupPerson', person: layla }));
    expect(requests).toBe(before);

    const viewBefore = await ok<{ notes: unknown[] }>(handlers.handle({ type: 'getCustomerView', customerId: first.customer.id }));
    await ok(handlers.handle({ type: 'addNote', idempotencyKey: 'k-00000001', customerId: first.customer.id, body: 'Called back, all fine' }));
    const viewAfter = await ok<{ notes: { body: string }[]; timeline: { items: { channel: string; summary: string }[] } }>(
      handlers.handle({ type: 'getCustomerView', customerId: first.customer.id }),
    );
    expect(viewAfter.notes.length).toBe(viewBefore.notes.length + 1);
    expect(viewAfter.notes[0]!.body).toBe('Called back, all fine');
    expect(viewAfter.timeline.items[0]).toMatchObject({ channel: 'note', summary: 'Called back, all fine' });
  });

  test('a cold switch is one request: the lookup brings the card, and the card asks nothing more', async () => {
    const handlers = handlersWith(() => token);
    const mehmet = { displayName: 'Mehmet Yılmaz', identities: [{ kind: 'email' as const, value: 'mehmet.yilmaz@example.com.tr' }] };
    const before = paths.length;
    const found = await ok<{ customer: { id: number } }>(handlers.handle({ type: 'lookupPerson', person: mehmet }));
    const view = await ok<{ customer: { id: number; displayName: string }; timeline: { items: unknown[] }; staleSince: string | null }>(
      handlers.handle({ type: 'getCustomerView', customerId: found.customer.id }),
    );
    expect(paths.slice(before)).toEqual(['customers.lookupWithView']);
    expect(view).toMatchObject({ customer: { id: found.customer.id, displayName: 'Mehmet Yılmaz' }, staleSince: null });
    // The same card the separate reads give (a fresh background, asking for the view alone).
    const separate = await ok(handlersWith(() => token).handle({ type: 'getCustomerView', customerId: found.customer.id }));
    expect(view).toEqual(separate);
    expect(paths.at(-1)).toBe('customers.get,timeline.list,tickets.list,orders.list,notes.list');
  });

  test('nobody matches: one request, and no card is cached for anyone', async () => {
    const handlers = handlersWith(() => token);
    const before = paths.length;
    const result = await ok<{ customer: null; suggestions: unknown[] }>(
      handlers.handle({ type: 'lookupPerson', person: { displayName: 'Nobody', identities: [{ kind: 'email', value: 'nobody-cold@nowhere.example' }] } }),
    );
    expect(result.customer).toBeNull();
    expect(paths.slice(before)).toEqual(['customers.lookupWithView']);
  });

  test('a write while the lookup is in flight: neither its lookup nor its card is kept, the card after the write has the write', async () => {
    const handlers = handlersWith(() => token);
    const ayse = { displayName: 'Ayşe Demir', identities: [{ kind: 'email' as const, value: 'ayse.demir@example.com.tr' }] };
    const customerId = (await server.db.db.selectFrom('identities').select('customer_id').where('value', '=', 'ayse.demir@example.com.tr').executeTakeFirstOrThrow()).customer_id;
    // Hold the lookup's answer (read before the write) until the write is done.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    intercept = (url, send) => (url.pathname.endsWith('customers.lookupWithView') ? send().then(async (r) => (await released, r)) : null);
    try {
      const lookup = handlers.handle({ type: 'lookupPerson', person: ayse });
      await expect.poll(() => paths.at(-1)).toBe('customers.lookupWithView');
      await ok(handlers.handle({ type: 'addNote', idempotencyKey: 'k-inflight-01', customerId, body: 'written during the lookup' }));
      release();
      expect((await ok<{ customer: { id: number } }>(lookup)).customer.id).toBe(customerId);
    } finally {
      intercept = null;
    }
    const before = paths.length;
    const view = await ok<{ notes: { body: string }[] }>(handlers.handle({ type: 'getCustomerView', customerId }));
    expect(view.notes.map((n) => n.body)).toContain('written during the lookup');
    expect(paths.slice(before)).toEqual(['customers.get,timeline.list,tickets.list,orders.list,notes.list']);
    // The lookup read before the write is not cached either: asking again goes to the server.
    await ok(handlers.handle({ type: 'lookupPerson', person: ayse }));
    expect(paths.at(-1)).toBe('customers.lookupWithView');
  });

  test('an identity moved to another customer: the lookup asks again and brings the new customer’s card, never the old one', async () => {
    const handlers = handlersWith(() => token);
    const write = <T>(request: Request) => ok<T>(handlers.handle(request));
    const first = await write<{ id: number; identities: { id: number }[] }>({
      type: 'createCustomer',
      idempotencyKey: 'move-create-0001',
      displayName: 'Old Owner',
      identities: [{ kind: 'email', value: 'moving@example.org' }],
    });
    const second = await write<{ id: number }>({ type: 'createCustomer', idempotencyKey: 'move-create-0002', displayName: 'New Owner', identities: [{ kind: 'email', value: 'new-owner@example.org' }] });
    const person = { displayName: 'Moving', identities: [{ kind: 'email' as const, value: 'moving@example.org' }] };
    const before = await ok<{ customer: { id: number } }>(handlers.handle({ type: 'lookupPerson', person }));
    expect(before.customer.id).toBe(first.id);
    expect((await ok<{ customer: { displayName: string } }>(handlers.handle({ type: 'getCustomerView', customerId: first.id }))).customer.displayName).toBe('Old Owner');

    await write({ type: 'unlinkIdentity', idempotencyKey: 'move-unlink-0001', identityId: first.identities[0]!.id });
    await write({ type: 'linkIdentity', idempotencyKey: 'move-link-0001', customerId: second.id, identity: { kind: 'email', value: 'moving@example.org' } });
    const count = paths.length;
    const after = await ok<{ customer: { id: number } }>(handlers.handle({ type: 'lookupPerson', person }));
    expect(after.customer.id).toBe(second.id);
    const card = await ok<{ customer: { id: number; displayName: string; identities: { value: string }[] } }>(handlers.handle({ type: 'getCustomerView', customerId: second.id }));
    expect(card.customer).toMatchObject({ id: second.id, displayName: 'New Owner' });
    expect(card.customer.identities.map((i) => i.value)).toContain('moving@example.org');
    expect(paths.slice(count)).toEqual(['customers.lookupWithView']);
  });

  test('a server without lookupWithView (older than the extension): the plain lookup, then the card as before', async () => {
    const handlers = handlersWith(() => token);
    // What such a server answers: its tRPC has no procedure on that path.
    intercept = (url) =>
      url.pathname.endsWith('customers.lookupWithView')
        ? realFetch(url.href.replace('customers.lookupWithView', 'customers.noSuchProcedure'), { headers: { authorization: `Bearer ${token}` } })
        : null;
    try {
      const before = paths.length;
      const found = await ok<{ customer: { id: number; displayName: string } }>(handlers.handle({ type: 'lookupPerson', person: layla }));
      expect(found.customer.displayName).toBe('Layla Haddad');
      const view = await ok<{ customer: { id: number } }>(handlers.handle({ type: 'getCustomerView', customerId: found.customer.id }));
      expect(view.customer.id).toBe(found.customer.id);
      expect(paths.slice(before)).toEqual(['customers.lookupWithView', 'customers.lookup', 'customers.get,timeline.list,tickets.list,orders.list,notes.list']);
    } finally {
      intercept = null;
    }
  });

  test('presence reads from several tabs within the batch window go out in one HTTP request, each answered', async () => {
    const handlers = handlersWith(() => token);
    const keys = ['email:batch-a', 'email:batch-b', 'x:batch-c', 'email:batch-d', 'review:trustpilot:batch-e'];
    const opened = await Promise.all(
      keys.map((conversationKey, i) => ok<{ openedAt: string }>(handlers.handle({ type: 'presenceHeartbeat', tabId: `batch-tab-${i}-0001`, conversationKey, activity: 'viewing' }))),
    );
    const before = requests;
    // Tabs polling on the same second reach the background a few milliseconds apart.
    const answers = await Promise.all(
      keys.map(async (conversationKey, i) => {
        await new Promise((r) => setTimeout(r, i * 4));
        return ok<{ unchanged: boolean; viewers: unknown[] }>(handlers.handle({ type: 'presenceRead', conversationKey, since: opened[i]!.openedAt }));
      }),
    );
    expect(answers).toHaveLength(5);
    for (const answer of answers) expect(answer).toMatchObject({ unchanged: false, viewers: [] });
    expect(requests - before).toBe(1);
  });

  test('team info is read once a minute per connection, and again at once after this browser changes it (issue 20)', async () => {
    let current = token;
    const handlers = handlersWith(() => current);
    const teamReads = () => paths.filter((p) => p.split(',').includes('sla.teams')).length;
    const before = teamReads();
    const first = await ok<{ members: { name: string }[] }>(handlers.handle({ type: 'teamInfo' }));
    expect(first.members.length).toBeGreaterThan(0);
    // Three cards in a row (three thread switches): one read.
    const again = await Promise.all([1, 2, 3].map(() => ok(handlers.handle({ type: 'teamInfo' }))));
    expect(again).toEqual([first, first, first]);
    expect(teamReads() - before).toBe(1);
    // Marking myself away is seen by the next card.
    await ok(handlers.handle({ type: 'setAvailable', available: true }));
    await ok(handlers.handle({ type: 'teamInfo' }));
    expect(teamReads() - before).toBe(2);
    // A minute later it is read again.
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + TEAM_INFO_TTL_MS + 1);
    try {
      await ok(handlers.handle({ type: 'teamInfo' }));
    } finally {
      clock.mockRestore();
    }
    expect(teamReads() - before).toBe(3);
    // Another connection (here: a token the server refuses) never gets this one's answer.
    current = 'rfq_wrong';
    const other = await handlers.handle({ type: 'teamInfo' });
    expect(other.ok).toBe(false);
  });

  test('lookupMany answers each author, in order, in one request', async () => {
    const handlers = handlersWith(() => token);
    const before = requests;
    const results = await ok<{ customer: { displayName: string } | null }[]>(
      handlers.handle({
        type: 'lookupMany',
        people: [
          { displayName: 'x', identities: [{ kind: 'x', value: '@Mehmet_Yilmaz' }] },
          { displayName: 'y', identities: [{ kind: 'x', value: 'nobody_here_123' }] },
          { displayName: 'z', identities: [{ kind: 'x', value: 'layla_haddad' }] },
        ],
      }),
    );
    expect(results.map((r) => r.customer?.displayName ?? null)).toEqual(['Mehmet Yılmaz', null, 'Layla Haddad']);
    expect(requests - before).toBe(1);
  });

  test('logging a complaint twice makes one ticket, high priority for one star', async () => {
    const handlers = handlersWith(() => token);
    const review: Review = { ...sampleReview(), reviewerProfileUrl: 'https://www.trustpilot.com/users/ali-k-1' };
    const request: Request = { type: 'logComplaint', idempotencyKey: 'k-00000002', review, pageUrl: 'https://www.trustpilot.com/review/rafiq.example' };
    const first = await ok<{ ticket: { id: number; priority: string; channel: string }; created: boolean }>(handlers.handle(request));
    const second = await ok<{ ticket: { id: number }; created: boolean }>(handlers.handle({ ...request, idempotencyKey: 'k-00000003' }));
    expect(first).toMatchObject({ created: true, ticket: { priority: 'high', channel: 'review' } });
    expect(second).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    const status = await ok<{ ticket: { id: number } | null }[]>(handlers.handle({ type: 'complaintStatus', reviews: [{ site: 'trustpilot', reviewId: 'rev-1' }, { site: 'trustpilot', reviewId: 'other' }] }));
    expect(status.map((s) => s.ticket?.id ?? null)).toEqual([first.ticket.id, null]);
  });

  test('API errors come back with the code and the field', async () => {
    const result = await handlersWith(() => token).handle({ type: 'getCustomerView', customerId: 999_999 });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  test('an unreachable server with nothing cached is a clear error, not a crash', async () => {
    fakeBrowser.reset();
    const handlers = createHandlers({ openOptions: async () => undefined, getServerUrl: async () => 'http://127.0.0.1:9', getToken: async () => token, getHighPriorityRating: async () => 2 });
    const result = await handlers.handle({ type: 'lookupPerson', person: layla });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
  });

  test('API down: the last known card, marked offline; writes wait in the outbox and arrive once', async () => {
    fakeBrowser.reset();
    let url = server.url;
    const handlers = createHandlers({ openOptions: async () => undefined, getServerUrl: async () => url, getToken: async () => token, getHighPriorityRating: async () => 2 });
    const { customer } = await ok<{ customer: { id: number } }>(handlers.handle({ type: 'lookupPerson', person: layla }));
    await ok(handlers.handle({ type: 'getCustomerView', customerId: customer.id }));

    url = 'http://127.0.0.1:9';
    const offline = createHandlers({ openOptions: async () => undefined, getServerUrl: async () => url, getToken: async () => token, getHighPriorityRating: async () => 2 });
    const stale = await ok<{ staleSince: string | null; customer: { displayName: string } }>(offline.handle({ type: 'getCustomerView', customerId: customer.id }));
    expect(stale.customer.displayName).toBe('Layla Haddad');
    expect(stale.staleSince).not.toBeNull();

    const note = { type: 'addNote' as const, idempotencyKey: 'offline-note-0001', customerId: customer.id, body: 'written while offline' };
    expect(await offline.handle(note)).toMatchObject({ ok: false, error: { code: 'QUEUED' } });
    expect(await offline.handle({ ...note, idempotencyKey: 'offline-note-0002', body: 'second offline note' })).toMatchObject({ ok: false, error: { code: 'QUEUED' } });
    expect((await outboxItem.getValue()).map((i) => i.key)).toEqual(['offline-note-0001', 'offline-note-0002']);

    url = server.url;
    expect(await offline.flushOutbox(true)).toBe(2);
    // Delivering again (a retry after a lost answer) must not write twice.
    await outboxItem.setValue([{ key: 'offline-note-0001', request: note, attempts: 1, nextAttemptAt: 0, createdAt: 0, lastError: null }]);
    expect(await offline.flushOutbox(true)).toBe(1);
    const bodies = (await server.db.db.selectFrom('notes').select('body').where('customer_id', '=', customer.id).execute()).map((n) => n.body);
    expect(bodies.filter((b) => b === 'written while offline')).toHaveLength(1);
    expect(bodies.filter((b) => b === 'second offline note')).toHaveLength(1);
    expect(await outboxItem.getValue()).toEqual([]);
  });
});

// Issue 17: a write from a content script lands only on the page context (and customer) the tab shows now.
describe('background context guard', () => {
  const tab = { tab: '12:0' };
  const noteOn = (customerId: number, key: string | undefined, idempotencyKey: string) =>
    ({ type: 'addNote', idempotencyKey, customerId, body: `note ${idempotencyKey}`, ...(key ? { context: { key, customerId } } : {}) }) as Request;
  const notesWith = async (body: string) => (await server.db.db.selectFrom('notes').select(['customer_id']).where('body', '=', body).execute()).map((n) => n.customer_id);

  test('refuses a write made on a context the tab has left, and one with no context at all', async () => {
    const handlers = handlersWith(() => token);
    const { customer } = await ok<{ customer: { id: number } }>(handlers.handle({ type: 'lookupPerson', person: layla }));
    await ok(handlers.handle({ type: 'pageContext', key: 'email-thread|A|layla' }, tab));
    await ok(handlers.handle(noteOn(customer.id, 'email-thread|A|layla', 'ctx-ok-0001'), tab));
    expect(await notesWith('note ctx-ok-0001')).toEqual([customer.id]);

    await ok(handlers.handle({ type: 'pageContext', key: 'email-thread|B|stranger' }, tab));
    const stale = await handlers.handle(noteOn(customer.id, 'email-thread|A|layla', 'ctx-stale-0001'), tab);
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONTEXT_CHANGED', message: expect.stringContaining('nothing was saved') } });
    const bare = await handlers.handle(noteOn(customer.id, undefined, 'ctx-bare-0001'), tab);
    expect(bare).toMatchObject({ ok: false, error: { code: 'CONTEXT_CHANGED' } });
    expect(await notesWith('note ctx-stale-0001')).toEqual([]);
    expect(await notesWith('note ctx-bare-0001')).toEqual([]);
    // Another tab's context is its own.
    await ok(handlers.handle({ type: 'pageContext', key: 'email-thread|A|layla' }, { tab: '13:0' }));
    expect(await handlers.handle(noteOn(customer.id, 'email-thread|A|layla', 'ctx-stale-0002'), tab)).toMatchObject({ ok: false });
  });

  test('refuses a write whose customer is not the one the agent saw', async () => {
    const handlers = handlersWith(() => token);
    await ok(handlers.handle({ type: 'pageContext', key: 'k1' }, tab));
    const result = await handlers.handle({ type: 'addNote', idempotencyKey: 'ctx-who-0001', customerId: 1, body: 'note ctx-who-0001', context: { key: 'k1', customerId: 2 } }, tab);
    expect(result).toMatchObject({ ok: false, error: { code: 'CONTEXT_CHANGED' } });
    expect(await notesWith('note ctx-who-0001')).toEqual([]);
  });

  test('assigning a ticket and recording a reply used are bound to the page context too', async () => {
    const handlers = handlersWith(() => token);
    const ticket = await server.db.db.selectFrom('tickets').select(['id', 'assignee_id']).orderBy('id').executeTakeFirstOrThrow();
    // Whatever the demo ticket's assignee, the write would change it.
    const to = ticket.assignee_id === null ? ('me' as const) : null;
    await ok(handlers.handle({ type: 'pageContext', key: 'email-thread|D|layla' }, tab));
    await ok(handlers.handle({ type: 'pageContext', key: 'email-thread|E|mehmet' }, tab));

    const stale = await handlers.handle({ type: 'assignTicket', ticketId: ticket.id, to, context: { key: 'email-thread|D|layla', customerId: null } }, tab);
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONTEXT_CHANGED', message: expect.stringContaining('nothing was saved') } });
    expect(await handlers.handle({ type: 'assignTicket', ticketId: ticket.id, to }, tab)).toMatchObject({ ok: false, error: { code: 'CONTEXT_CHANGED' } });
    const assignee = async () => (await server.db.db.selectFrom('tickets').select('assignee_id').where('id', '=', ticket.id).executeTakeFirstOrThrow()).assignee_id;
    expect(await assignee()).toBe(ticket.assignee_id);

    const reply = 'a reply recorded on a page left behind';
    const used = { type: 'recordReplyUse', customerId: null, templateId: null, channel: 'email', incoming: 'Where is my order?', reply, source: 'suggestion' } as const;
    expect(await handlers.handle({ ...used, context: { key: 'email-thread|D|layla', customerId: null } }, tab)).toMatchObject({ ok: false, error: { code: 'CONTEXT_CHANGED' } });
    const history = () => server.db.db.selectFrom('reply_history').select('id').where('reply', '=', reply).execute();
    expect(await history()).toEqual([]);

    // On the context the tab shows now, both go through.
    await ok(handlers.handle({ type: 'assignTicket', ticketId: ticket.id, to, context: { key: 'email-thread|E|mehmet', customerId: null } }, tab));
    expect(await assignee()).not.toBe(ticket.assignee_id);
    await ok(handlers.handle({ ...used, context: { key: 'email-thread|E|mehmet', customerId: null } }, tab));
    expect(await history()).toHaveLength(1);
  });

  test('a reply the agent sent is recorded as logged, on the open ticket', async () => {
    const handlers = handlersWith(() => token);
    const ticket = await server.db.db.selectFrom('tickets').select(['id', 'customer_id']).orderBy('id').executeTakeFirstOrThrow();
    await ok(handlers.handle({ type: 'pageContext', key: 'email-thread|F|layla' }, tab));
    const reply = 'a reply the agent typed and sent';
    const sent = { type: 'recordReplyUse', context: { key: 'email-thread|F|layla', customerId: ticket.customer_id }, customerId: ticket.customer_id, templateId: null, ticketId: ticket.id, channel: 'email', incoming: 'Where is my order?', reply, source: 'logged' } as const;
    await ok(handlers.handle(sent, tab));
    const rows = await server.db.db.selectFrom('reply_history').select(['source', 'ticket_id', 'template_id']).where('reply', '=', reply).execute();
    expect(rows).toEqual([{ source: 'logged', ticket_id: ticket.id, template_id: null }]);
  });

  test("Rafiq's own pages are not bound to a tab context; the context survives a service-worker restart", async () => {
    const saved: Record<string, string | null>[] = [];
    const store = { load: async () => saved.at(-1) ?? {}, save: async (c: Record<string, string | null>) => void saved.push({ ...c }) };
    const deps = { openOptions: async () => undefined, getServerUrl: async () => server.url, getToken: async () => token, getHighPriorityRating: async () => 2, tabContexts: store };
    const { customer } = await ok<{ customer: { id: number } }>(handlersWith(() => token).handle({ type: 'lookupPerson', person: layla }));
    await ok(createHandlers(deps).handle(noteOn(customer.id, undefined, 'ctx-page-0001')));
    await ok(createHandlers(deps).handle({ type: 'pageContext', key: 'email-thread|C|layla' }, tab));
    // A new handlers object is a restarted worker: it reads the saved contexts.
    await ok(createHandlers(deps).handle(noteOn(customer.id, 'email-thread|C|layla', 'ctx-restart-0001'), tab));
    expect(await notesWith('note ctx-restart-0001')).toEqual([customer.id]);
  });
});

describe('identity changes reach the tabs (issue 17: X badges update without a reload)', () => {
  test('creating and linking a customer (and merging) notify; a note does not; a refused write does not', async () => {
    let notified = 0;
    const handlers = createHandlers({
      openOptions: async () => undefined,
      getServerUrl: async () => server.url,
      getToken: async () => token,
      getHighPriorityRating: async () => 2,
      onIdentityChanged: () => void notified++,
    });
    const lookup = async (handle: string) =>
      (await ok<{ customer: { id: number } | null }[]>(handlers.handle({ type: 'lookupMany', people: [{ displayName: handle, identities: [{ kind: 'x', value: handle }] }] })))[0]!.customer;
    expect(await lookup('badge_new_one')).toBeNull();
    const created = await ok<{ id: number }>(
      handlers.handle({ type: 'createCustomer', idempotencyKey: 'badge-create-0001', displayName: 'Badge New', identities: [{ kind: 'x', value: '@badge_new_one' }] }),
    );
    expect(notified).toBe(1);
    // The cached "not a customer" answer is gone: the badge's re-ask sees the new customer.
    expect((await lookup('badge_new_one'))?.id).toBe(created.id);
    await ok(handlers.handle({ type: 'linkIdentity', idempotencyKey: 'badge-link-0001', customerId: created.id, identity: { kind: 'x', value: '@badge_linked' } }));
    expect(notified).toBe(2);
    expect((await lookup('badge_linked'))?.id).toBe(created.id);
    await ok(handlers.handle({ type: 'addNote', idempotencyKey: 'badge-note-0001', customerId: created.id, body: 'no identity change' }));
    expect(notified).toBe(2);
    // A complaint makes its reviewer a customer: the review page's card must ask again.
    await ok(
      handlers.handle({
        type: 'logComplaint',
        idempotencyKey: 'badge-complaint-0001',
        pageUrl: 'https://www.trustpilot.com/review/rafiq.example',
        review: sampleReview({
          reviewId: 'rev-identity-1',
          reviewerName: 'Defne Kaya',
          reviewerProfileUrl: 'https://www.trustpilot.com/users/defne-kaya-1',
          rating: { value: 2, best: 5, worst: 1 },
          title: 'Late',
          text: 'Late again.',
          date: { iso: '2026-11-02T10:00:00.000Z', raw: '2 Nov 2026', yearKnown: true },
        }),

      }),
    );
    expect(notified).toBe(3);
    const refused = await handlers.handle({ type: 'linkIdentity', idempotencyKey: 'badge-link-0002', customerId: created.id, identity: { kind: 'x', value: 'not a handle!' } });
    expect(refused.ok).toBe(false);
    expect(notified).toBe(3);
  });
});

describe('testing a connection (issue 17: an answer within 5 s)', () => {
  test('a server that accepts the connection and never answers is reported unreachable, not waited on', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const handlers = handlersWith(() => token);
      const status = await ok<{ state: string; serverUrl: string }>(handlers.handle({ type: 'testConnection', serverUrl: `http://127.0.0.1:${port}`, token }));
      expect(status).toMatchObject({ state: 'unreachable', serverUrl: `http://127.0.0.1:${port}` });
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  }, 8_000);
});
