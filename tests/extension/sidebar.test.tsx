import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { render } from 'solid-js/web';
import { createSignal } from 'solid-js';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PageState } from '../../extension/sidebar/page-state';
import type { ConnectionStatus, CustomerView } from '../../extension/messaging/protocol';

// The sidebar talks to the background only through `ask`; here the background is a table of answers.
const answers = new Map<string, (request: Record<string, unknown>) => unknown>();
const asked: Record<string, unknown>[] = [];
vi.mock('../../extension/messaging/client', () => ({
  BackgroundError: class BackgroundError extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  },
  newIdempotencyKey: () => 'key-12345678',
  ask: vi.fn(async (request: Record<string, unknown>) => {
    asked.push(request);
    const answer = answers.get(request.type as string);
    if (!answer) throw new Error(`no answer for ${String(request.type)}`);
    return answer(request);
  }),
}));

const { Sidebar } = await import('../../extension/sidebar/Sidebar');

const connected: ConnectionStatus = {
  configured: true,
  state: 'connected',
  serverUrl: 'http://127.0.0.1:8787',
  agent: { id: 1, name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin', locale: 'en' },
  message: null,
  queued: 0,
};

const hostileName = '<img src=x onerror="window.__pwned=1">Layla';
function view(name = 'Layla Haddad'): CustomerView {
  const now = new Date().toISOString();
  return {
    customer: {
      id: 7,
      displayName: name,
      company: 'Haddad Design',
      locale: 'ar',
      tags: ['vip'],
      customFields: {},
      createdAt: now,
      updatedAt: now,
      identities: [
        { id: 1, customerId: 7, kind: 'email', value: 'layla.haddad@example.com', normalized: 'layla.haddad@example.com', linkedBy: 'seed', linkedByAgentId: null, createdAt: now },
        { id: 2, customerId: 7, kind: 'x', value: '@layla_haddad', normalized: 'layla_haddad', linkedBy: 'seed', linkedByAgentId: null, createdAt: now },
      ],
    },
    timeline: {
      items: [{ id: 3, customerId: 7, channel: 'email', direction: 'inbound', occurredAt: now, summary: 'Order R-10042 arrived damaged', excerpt: null, url: null, externalId: null, agentId: null, ticketId: null }],
      nextCursor: null,
    },
    openTickets: [],
    orders: { items: [], nextCursor: null, lifetime: [] },
    notes: [],
    staleSince: null,
  };
}

const person = { displayName: 'Layla Haddad', identities: [{ kind: 'email' as const, value: 'layla.haddad@example.com' }] };
const thread: PageState = {
  status: 'recognized',
  person,
  context: { kind: 'email-thread', site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/abc', threadId: 'abc', subject: 'Order R-10042 arrived damaged', participants: [], messages: [], customer: person },
};
const hooks = { insertReply: vi.fn(async () => 'inserted' as const), logTarget: () => null, ticketDraft: () => null };

let container: HTMLDivElement;
let dispose: () => void;
beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  asked.length = 0;
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  dispose?.();
  container.remove();
});

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}; DOM: ${container.innerHTML.slice(0, 500)}`);
};
const testId = (id: string) => container.querySelector(`[data-testid="${id}"]`);

describe('Sidebar states', () => {
  test('not connected: a way to the options, no lookup', async () => {
    answers.set('getStatus', () => ({ ...connected, state: 'not-configured', agent: null }));
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-not-connected')), 'not-connected state');
    expect(asked.map((r) => r.type)).not.toContain('lookupPerson');
  });

  test('recognized customer: name, identity chips and timeline', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', () => ({ customer: view().customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => view());
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer card');
    expect(testId('rafiq-customer-name')!.textContent).toBe('Layla Haddad');
    expect([...container.querySelectorAll('[data-testid="rafiq-identity-chip"]')].map((c) => c.getAttribute('data-kind'))).toEqual(['email', 'x']);
    expect(container.querySelectorAll('[data-testid="rafiq-timeline-item"]')).toHaveLength(1);
  });

  test('hostile customer name renders as inert text', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', () => ({ customer: view(hostileName).customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => view(hostileName));
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer card');
    expect(testId('rafiq-customer-name')!.textContent).toBe(hostileName);
    expect(container.querySelector('img')).toBeNull();
  });

  test('unknown person: create customer prefilled with the page name', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', () => ({ customer: null, matchedIdentity: null }));
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-unknown')), 'unknown state');
    expect((testId('rafiq-create-name') as HTMLInputElement).value).toBe('Layla Haddad');
  });

  test('page not recognized: a search box', async () => {
    answers.set('getStatus', () => connected);
    dispose = render(() => <Sidebar page={() => ({ status: 'unrecognized' })} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-search')), 'search box');
  });

  test('API error on lookup: the message and a retry that asks again', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', () => {
      throw new Error('server exploded');
    });
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-error')), 'error state');
    expect(testId('rafiq-error')!.textContent).toContain('server exploded');
    answers.set('lookupPerson', () => ({ customer: view().customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => view());
    (testId('rafiq-error')!.querySelector('button') as HTMLButtonElement).click();
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer after retry');
  });

  test('switching threads switches the customer', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', (r) => {
      const email = (r.person as typeof person).identities[0]!.value;
      return { customer: { ...view().customer, id: email.startsWith('layla') ? 7 : 8 }, matchedIdentity: null };
    });
    answers.set('getCustomerView', (r) => view(r.customerId === 7 ? 'Layla Haddad' : 'Mehmet Yılmaz'));
    const [page, setPage] = createSignal<PageState>(thread);
    dispose = render(() => <Sidebar page={page} hooks={hooks} />, container);
    await until(() => testId('rafiq-customer-name')?.textContent === 'Layla Haddad', 'first customer');
    const mehmet = { displayName: 'Mehmet Yılmaz', identities: [{ kind: 'email' as const, value: 'mehmet.yilmaz@example.com.tr' }] };
    setPage({ ...thread, person: mehmet } as PageState);
    await until(() => testId('rafiq-customer-name')?.textContent === 'Mehmet Yılmaz', 'second customer');
  });
});

describe('Sidebar timeline', () => {
  test('switching customers replaces the timeline, not only the header', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', (r) => {
      const email = (r.person as typeof person).identities[0]!.value;
      return { customer: { ...view().customer, id: email.startsWith('layla') ? 7 : 8 }, matchedIdentity: null };
    });
    answers.set('getCustomerView', (r) => {
      const v = view(r.customerId === 7 ? 'Layla Haddad' : 'Mehmet Yılmaz');
      v.timeline.items[0]!.summary = r.customerId === 7 ? 'Layla wrote' : 'Mehmet wrote';
      return v;
    });
    const [page, setPage] = createSignal<PageState>(thread);
    dispose = render(() => <Sidebar page={page} hooks={hooks} />, container);
    const summary = () => container.querySelector('[data-testid="rafiq-timeline-item"] .summary')?.textContent;
    await until(() => summary() === 'Layla wrote', 'first timeline');
    setPage({ ...thread, person: { displayName: 'Mehmet', identities: [{ kind: 'email' as const, value: 'mehmet.yilmaz@example.com.tr' }] } } as PageState);
    await until(() => summary() === 'Mehmet wrote', 'second timeline');
  });
});

describe('Sidebar languages', () => {
  test.each([
    ['ar', 'rtl', 'إجراءات سريعة'],
    ['fa', 'rtl', 'اقدامات سریع'],
    ['tr', 'ltr', 'Hızlı işlemler'],
    ['en', 'ltr', 'Quick actions'],
  ] as const)('%s lays out %s with translated sections', async (lang, dir, actionsTitle) => {
    await fakeBrowser.storage.local.set({ language: lang });
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', () => ({ customer: view().customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => view());
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => container.querySelector('.rafiq-root')?.getAttribute('dir') === dir && Boolean(testId('rafiq-customer-name')), `${dir} layout`);
    await until(() => testId('rafiq-section-actions')?.querySelector('.section-title')?.textContent?.includes(actionsTitle) ?? false, 'translated title');
  });
});
