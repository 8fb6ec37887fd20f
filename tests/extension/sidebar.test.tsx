import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { answers, asked } from './fake-background';
import { render } from 'solid-js/web';
import { createSignal } from 'solid-js';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PageState } from '../../extension/sidebar/page-state';
import type { ConnectionStatus, CustomerView } from '../../extension/messaging/protocol';


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
function view(name = 'Layla Haddad', id = 7): CustomerView {
  const now = new Date().toISOString();
  return {
    customer: {
      id,
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
    // The sections below the header follow a frame later (issue 20: the card paints first).
    await until(() => container.querySelectorAll('[data-testid="rafiq-timeline-item"]').length === 1, 'timeline');
  });

  test('the lookup brings the card: one message, no getCustomerView; a refresh asks for the card again', async () => {
    const [version, setVersion] = createSignal(0);
    let views = 0;
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', (request) => ({ customer: view().customer, matchedIdentity: null, suggestions: [], ...(request.withView ? { view: view() } : {}) }));
    answers.set('getCustomerView', () => (views++, view('Layla Haddad (refreshed)')));
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} identitySignal={version} />, container);
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer card');
    expect(testId('rafiq-customer-name')!.textContent).toBe('Layla Haddad');
    expect(asked.filter((r) => r.type === 'lookupPerson')).toMatchObject([{ withView: true }]);
    expect(views).toBe(0);
    // Who is a customer changed: the card is asked for again, never taken from the old lookup.
    setVersion(1);
    await until(() => testId('rafiq-customer-name')?.textContent === 'Layla Haddad (refreshed)', 'refreshed card');
    expect(views).toBe(1);
  });

  test('a lookup that brings another customer’s card (never expected) is not shown: the card is asked for', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', () => ({ customer: view().customer, matchedIdentity: null, suggestions: [], view: view('Someone Else', 99) }));
    answers.set('getCustomerView', () => view());
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer card');
    expect(testId('rafiq-customer-name')!.textContent).toBe('Layla Haddad');
    expect(asked.map((r) => r.type)).toContain('getCustomerView');
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

  test('someone becomes a customer elsewhere (a logged complaint, another tab): "New to us" turns into their card', async () => {
    answers.set('getStatus', () => connected);
    let known = false;
    answers.set('lookupPerson', () => (known ? { customer: view().customer, matchedIdentity: null } : { customer: null, matchedIdentity: null }));
    answers.set('getCustomerView', () => view());
    const [identity, setIdentity] = createSignal(0);
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} identitySignal={identity} />, container);
    await until(() => Boolean(testId('rafiq-unknown')), 'unknown state');
    known = true;
    setIdentity(1);
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer card after identityChanged');
    expect(testId('rafiq-customer-name')!.textContent).toBe('Layla Haddad');
    expect(testId('rafiq-unknown')).toBeNull();
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
    // The agent reads what happened in their language; the server's detail stays in data-detail for support.
    expect(testId('rafiq-error')!.textContent).toContain('Something went wrong. Try again.');
    expect(testId('rafiq-error')!.querySelector('p')!.dataset.detail).toContain('server exploded');
    answers.set('lookupPerson', () => ({ customer: view().customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => view());
    (testId('rafiq-error')!.querySelector('button') as HTMLButtonElement).click();
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer after retry');
  });

  test('a busy server (rate limited) is asked again by itself: the card comes without pressing Retry; other errors wait for Retry', async () => {
    const { BackgroundError } = await import('../../extension/messaging/client');
    answers.set('getStatus', () => connected);
    let calls = 0;
    answers.set('lookupPerson', () => {
      calls++;
      if (calls === 1) throw new BackgroundError('TOO_MANY_REQUESTS', 'rate limit of 1200 calls a minute reached');
      return { customer: view().customer, matchedIdentity: null, view: view() };
    });
    answers.set('getCustomerView', () => view());
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-error')), 'error state');
    for (let i = 0; i < 30 && !testId('rafiq-customer-name'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(testId('rafiq-customer-name')?.textContent).toBe('Layla Haddad');
    expect(calls).toBe(2);
  });

  test('a refused lookup (not busy, not offline) is not retried by itself', async () => {
    const { BackgroundError } = await import('../../extension/messaging/client');
    answers.set('getStatus', () => connected);
    let calls = 0;
    answers.set('lookupPerson', () => {
      calls++;
      throw new BackgroundError('FORBIDDEN', 'not allowed');
    });
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-error')), 'error state');
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls).toBe(1);
  });

  test('switching threads switches the customer', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', (r) => {
      const email = (r.person as typeof person).identities[0]!.value;
      return { customer: { ...view().customer, id: email.startsWith('layla') ? 7 : 8 }, matchedIdentity: null };
    });
    answers.set('getCustomerView', (r) => view(r.customerId === 7 ? 'Layla Haddad' : 'Mehmet Yılmaz', r.customerId as number));
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
      const v = view(r.customerId === 7 ? 'Layla Haddad' : 'Mehmet Yılmaz', r.customerId as number);
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

// Issue 19: a change made in the options page shows in a sidebar that is already open.
describe('Sidebar follows its settings live', () => {
  const ready = () => {
    answers.set('lookupPerson', () => ({ customer: view().customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => view());
  };

  test('language and theme: direction, text and colours change without a reload', async () => {
    answers.set('getStatus', () => connected);
    ready();
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer card');
    const root = () => container.querySelector('.rafiq-root')!;
    expect(root().getAttribute('dir')).toBe('ltr');
    await fakeBrowser.storage.local.set({ language: 'ar', theme: 'dark' });
    await until(() => root().getAttribute('dir') === 'rtl', 'right-to-left');
    await until(() => root().getAttribute('data-theme') === 'dark', 'dark theme');
    await until(() => testId('rafiq-section-actions')?.querySelector('.section-title')?.textContent?.includes('إجراءات سريعة') ?? false, 'Arabic title');
    await fakeBrowser.storage.local.set({ language: 'tr' });
    await until(() => root().getAttribute('dir') === 'ltr', 'back to left-to-right');
  });

  test('a new server address or token: the open sidebar asks for its status again and shows what it gets', async () => {
    let reachable = true;
    answers.set('getStatus', () => (reachable ? connected : { ...connected, state: 'unreachable', message: 'fetch failed' }));
    answers.set('lookupPerson', () => ({ customer: view().customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => ({ ...view(), staleSince: reachable ? null : new Date(Date.now() - 60_000).toISOString() }));
    dispose = render(() => <Sidebar page={() => thread} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-customer-name')), 'customer card');
    expect(testId('rafiq-offline')).toBeNull();
    const statusAsks = () => asked.filter((r) => r.type === 'getStatus').length;
    const before = statusAsks();
    reachable = false;
    await fakeBrowser.storage.local.set({ serverUrl: 'http://127.0.0.1:9' });
    await until(() => Boolean(testId('rafiq-offline')), 'offline card after the address changed');
    expect(statusAsks()).toBeGreaterThan(before);
    reachable = true;
    const afterAddress = statusAsks();
    await fakeBrowser.storage.local.set({ token: 'a-new-token' });
    await until(() => statusAsks() > afterAddress && !testId('rafiq-offline'), 'back online after the token changed');
  });
});

// Issue 17: what the agent sees is the person on the page, and what the agent does goes to that person.
describe('Sidebar follows the page context', () => {
  const mehmet = { displayName: 'Mehmet Yılmaz', identities: [{ kind: 'email' as const, value: 'mehmet.yilmaz@example.com.tr' }] };
  const stranger = { displayName: 'New Sender', identities: [{ kind: 'email' as const, value: 'new.sender@example.org' }] };
  const threadOf = (p: typeof person, threadId: string): PageState =>
    ({ ...thread, person: p, context: { ...(thread as Extract<PageState, { status: 'recognized' }>).context, threadId, customer: p } }) as PageState;
  const known = (r: Record<string, unknown>) => {
    const email = (r.person as typeof person).identities[0]!.value;
    if (email.startsWith('layla')) return { customer: { ...view().customer, id: 7 }, matchedIdentity: null, suggestions: [] };
    if (email.startsWith('mehmet')) return { customer: { ...view('Mehmet Yılmaz', 8).customer }, matchedIdentity: null, suggestions: [] };
    return { customer: null, matchedIdentity: null, suggestions: [] };
  };

  test('known customer → unknown sender in place: the card never keeps the previous customer, a note goes nowhere else', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', known);
    answers.set('getCustomerView', (r) => view(r.customerId === 7 ? 'Layla Haddad' : 'Mehmet Yılmaz', r.customerId as number));
    const [page, setPage] = createSignal<PageState>(threadOf(person, 'a1'));
    dispose = render(() => <Sidebar page={page} hooks={hooks} />, container);
    await until(() => testId('rafiq-customer-name')?.textContent === 'Layla Haddad', 'Layla');
    setPage(threadOf(stranger, 'b2'));
    // At no point after the switch may Layla's card (or her note button) be on screen.
    expect(testId('rafiq-customer-name')).toBeNull();
    expect(testId('rafiq-action-note')).toBeNull();
    await until(() => Boolean(testId('rafiq-unknown')), 'unknown sender');
    expect(testId('rafiq-customer-name')).toBeNull();
    expect(container.textContent).not.toContain('Layla Haddad');
  });

  test('a late answer for an earlier context is never painted', async () => {
    answers.set('getStatus', () => connected);
    let releaseLayla!: () => void;
    const laylaAnswered = new Promise<void>((r) => (releaseLayla = r));
    answers.set('lookupPerson', async (r) => {
      if ((r.person as typeof person).identities[0]!.value.startsWith('layla')) await laylaAnswered;
      return known(r);
    });
    answers.set('getCustomerView', (r) => view(r.customerId === 7 ? 'Layla Haddad' : 'Mehmet Yılmaz', r.customerId as number));
    const [page, setPage] = createSignal<PageState>(threadOf(person, 'a1'));
    dispose = render(() => <Sidebar page={page} hooks={hooks} />, container);
    await until(() => asked.some((r) => r.type === 'lookupPerson'), 'Layla lookup sent');
    setPage(threadOf(mehmet, 'b2'));
    await until(() => testId('rafiq-customer-name')?.textContent === 'Mehmet Yılmaz', 'Mehmet');
    releaseLayla();
    await new Promise((r) => setTimeout(r, 100));
    expect(testId('rafiq-customer-name')?.textContent).toBe('Mehmet Yılmaz');
    expect(asked.filter((r) => r.type === 'getCustomerView').map((r) => r.customerId)).not.toContain(7);
  });

  test('every write carries the context key and the customer shown; notices and drafts die with their context', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', known);
    answers.set('getCustomerView', (r) => view(r.customerId === 7 ? 'Layla Haddad' : 'Mehmet Yılmaz', r.customerId as number));
    answers.set('addNote', () => ({ id: 1 }));
    const [page, setPage] = createSignal<PageState>(threadOf(person, 'a1'));
    dispose = render(() => <Sidebar page={page} hooks={hooks} />, container);
    await until(() => testId('rafiq-customer-name')?.textContent === 'Layla Haddad', 'Layla');
    const key = testId('rafiq-context')!.getAttribute('data-context-key');
    expect(key).toContain('a1');
    await until(() => Boolean(testId('rafiq-action-note')), 'actions');
    (testId('rafiq-action-note') as HTMLButtonElement).click();
    await until(() => Boolean(testId('rafiq-note-input')), 'note form');
    const input = testId('rafiq-note-input') as HTMLTextAreaElement;
    input.value = 'Refund promised';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => !(testId('rafiq-note-save') as HTMLButtonElement).disabled, 'save enabled');
    (testId('rafiq-note-save') as HTMLButtonElement).click();
    await until(() => Boolean(testId('rafiq-notice')), 'saved notice');
    const note = asked.find((r) => r.type === 'addNote')!;
    expect(note).toMatchObject({ customerId: 7, context: { key, customerId: 7 } });

    // A half-typed draft and the notice belong to Layla's thread: gone on Mehmet's.
    (testId('rafiq-action-note') as HTMLButtonElement).click();
    await until(() => Boolean(testId('rafiq-note-input')), 'second note form');
    setPage(threadOf(mehmet, 'b2'));
    await until(() => testId('rafiq-customer-name')?.textContent === 'Mehmet Yılmaz', 'Mehmet');
    expect(testId('rafiq-notice')).toBeNull();
    expect(testId('rafiq-note-input')).toBeNull();
    expect(testId('rafiq-context')!.getAttribute('data-context-key')).toContain('b2');
  });

  test('a new message in the same thread keeps the open draft (same context)', async () => {
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', known);
    answers.set('getCustomerView', (r) => view('Layla Haddad', r.customerId as number));
    const first = threadOf(person, 'a1');
    const [page, setPage] = createSignal<PageState>(first);
    dispose = render(() => <Sidebar page={page} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-action-note')), 'card');
    (testId('rafiq-action-note') as HTMLButtonElement).click();
    await until(() => Boolean(testId('rafiq-note-input')), 'note form');
    const ctx = (first as Extract<PageState, { status: 'recognized' }>).context as Extract<PageState, { status: 'recognized' }>['context'] & { messages: unknown[] };
    setPage({ ...first, context: { ...ctx, messages: [...ctx.messages, { id: 'm2', fromEmail: 'layla.haddad@example.com', fromName: 'Layla', time: null, snippet: '' }] } } as PageState);
    await new Promise((r) => setTimeout(r, 50));
    expect(testId('rafiq-note-input')).not.toBeNull();
  });

  test('offline → online: the offline card refreshes by itself, without Retry', async () => {
    let up = false;
    answers.set('getStatus', () => (up ? connected : { ...connected, state: 'unreachable', message: 'fetch failed' }));
    answers.set('lookupPerson', known);
    answers.set('getCustomerView', () => ({ ...view(up ? 'Layla Haddad' : 'Layla (offline copy)'), staleSince: up ? null : new Date(Date.now() - 60_000).toISOString() }));
    dispose = render(() => <Sidebar page={() => threadOf(person, 'a1')} hooks={hooks} />, container);
    await until(() => Boolean(testId('rafiq-offline')), 'offline card');
    up = true;
    // The poll runs every 3 s; the promise is within 10 s.
    for (let i = 0; i < 80 && testId('rafiq-customer-name')?.textContent !== 'Layla Haddad'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(testId('rafiq-customer-name')?.textContent).toBe('Layla Haddad');
    expect(testId('rafiq-offline')).toBeNull();
  }, 15_000);
});
