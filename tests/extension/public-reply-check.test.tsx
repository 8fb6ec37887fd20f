// The check before a public reply, in the sidebar (issue 22): on a review page a template that
// would publish the customer's e-mail is held with a warning; "Back to edit" inserts nothing,
// "Insert anyway" inserts it. On Gmail (not public) nothing is held.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { render } from 'solid-js/web';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PageState } from '../../extension/sidebar/page-state';
import type { ConnectionStatus, CustomerView } from '../../extension/messaging/protocol';
import type { Review } from '@shared/page-context';
import { checkPublicReply } from '@shared/public-reply-check';

const answers = new Map<string, (request: Record<string, unknown>) => unknown>();
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
    const answer = answers.get(request.type as string);
    if (!answer) throw new Error(`no answer for ${String(request.type)}`);
    return answer(request);
  }),
}));

const { Sidebar } = await import('../../extension/sidebar/Sidebar');
const { setLanguage } = await import('../../extension/i18n');
const { languageSetting } = await import('../../extension/storage/settings');

const connected: ConnectionStatus = {
  configured: true,
  state: 'connected',
  serverUrl: 'http://127.0.0.1:8787',
  agent: { id: 1, name: 'Sara Ahmed', email: 'sara@shop.example', role: 'agent', locale: 'en' },
  message: null,
  queued: 0,
};
const now = new Date().toISOString();
const view: CustomerView = {
  customer: {
    id: 7,
    displayName: 'Layla Haddad',
    company: null,
    locale: 'en',
    tags: [],
    customFields: {},
    createdAt: now,
    updatedAt: now,
    identities: [{ id: 1, customerId: 7, kind: 'email', value: 'layla.haddad@gmail.com', normalized: 'laylahaddad@gmail.com', linkedBy: 'seed', linkedByAgentId: null, createdAt: now }],
  },
  timeline: { items: [], nextCursor: null },
  openTickets: [],
  orders: { items: [], nextCursor: null, lifetime: [] },
  notes: [],
  staleSince: null,
};
const review = (reviewId: string, reviewerName: string): Review => ({
  site: 'trustpilot',
  reviewId,
  permalink: null,
  reviewerName,
  reviewerProfileUrl: null,
  rating: { value: 1, best: 5, worst: 1 },
  title: null,
  text: 'Late and broken',
  date: { iso: null, raw: null, yearKnown: false },
  status: null,
  business: { name: 'Shop', url: null },
  tags: [],
  language: 'en',
});
const person = { displayName: 'Layla Haddad', identities: [{ kind: 'email' as const, value: 'layla.haddad@gmail.com' }] };
const reviewsPage: PageState = {
  status: 'recognized',
  person,
  context: {
    kind: 'reviews',
    site: 'trustpilot',
    url: 'https://www.trustpilot.com/review/shop.example',
    business: { name: 'Shop', url: null },
    reviews: [review('r1', 'Layla Haddad'), review('r2', 'Omar Farouk')],
    unreadable: [],
    focusReviewId: 'r1',
  } as PageState extends { context: infer C } ? C : never,
};
const gmailPage: PageState = {
  status: 'recognized',
  person,
  context: { kind: 'email-thread', site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/abc', threadId: 'abc', subject: 'Refund', participants: [], messages: [], customer: person },
};

let container: HTMLDivElement;
let dispose: () => void;
const insertReply = vi.fn(async (_text: string) => 'inserted' as const);
beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  insertReply.mockClear();
  setLanguage('en');
  answers.set('getStatus', () => connected);
  answers.set('lookupPerson', () => ({ customer: view.customer, matchedIdentity: null }));
  answers.set('getCustomerView', () => view);
  answers.set('listTemplates', () => [{ id: 3, name: 'Refund sent', shortcut: 'refund', body: '…', language: 'en' }]);
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  dispose?.();
  container.remove();
});
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}; DOM: ${container.innerHTML.slice(0, 800)}`);
};
const testId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);

async function pickTemplate(page: PageState, text: string) {
  answers.set('renderTemplate', () => ({ text }));
  dispose = render(() => <Sidebar page={() => page} hooks={{ insertReply, logTarget: () => null, ticketDraft: () => null, checkPublicReply }} />, container);
  await until(() => Boolean(testId('rafiq-action-reply')), 'quick actions');
  testId('rafiq-action-reply')!.click();
  await until(() => Boolean(testId('rafiq-template-item')), 'template list');
  testId('rafiq-template-item')!.click();
}

describe('public reply check in the sidebar', () => {
  test('review page: a reply with the customer’s e-mail is held; Back to edit inserts nothing', async () => {
    await pickTemplate(reviewsPage, 'Hi Layla, the label went to layla.haddad@gmail.com.');
    await until(() => Boolean(testId('rafiq-public-reply-warning')), 'warning');
    const warning = testId('rafiq-public-reply-warning')!;
    expect(warning.querySelector('li')!.getAttribute('data-kind')).toBe('email');
    expect(warning.querySelector('bdi')!.textContent).toBe('layla.haddad@gmail.com');
    testId('rafiq-public-reply-edit')!.click();
    await until(() => !testId('rafiq-public-reply-warning'), 'warning closed');
    await until(() => testId('rafiq-notice')?.textContent === 'Not inserted: edit the reply, then insert it again.', 'kept notice');
    expect(insertReply).not.toHaveBeenCalled();
  });

  test('review page: Insert anyway inserts the reply as it was', async () => {
    const text = 'Unlike Omar Farouk, you will get a full refund.';
    await pickTemplate(reviewsPage, text);
    await until(() => Boolean(testId('rafiq-public-reply-warning')), 'warning');
    expect(testId('rafiq-public-reply-warning')!.querySelector('li')!.getAttribute('data-kind')).toBe('names-other-customer');
    testId('rafiq-public-reply-anyway')!.click();
    await until(() => insertReply.mock.calls.length === 1, 'insert');
    expect(insertReply).toHaveBeenCalledWith(text);
  });

  test('review page: a clean reply is inserted without a warning, and the use feeds the history', async () => {
    const recorded: Record<string, unknown>[] = [];
    answers.set('recordReplyUse', (r) => (recorded.push(r), { recorded: true, id: 1 }));
    await pickTemplate(reviewsPage, 'Thank you Layla, a replacement is on its way.');
    await until(() => insertReply.mock.calls.length === 1, 'insert');
    expect(testId('rafiq-public-reply-warning')).toBeNull();
    await until(() => recorded.length === 1, 'recorded');
    expect(recorded[0]).toMatchObject({ customerId: 7, templateId: 3, channel: 'review', incoming: 'Late and broken', reply: 'Thank you Layla, a replacement is on its way.', source: 'template' });
  });

  test('Gmail is not public: the same e-mail is inserted without a warning', async () => {
    await pickTemplate(gmailPage, 'Hi Layla, the label went to layla.haddad@gmail.com.');
    await until(() => insertReply.mock.calls.length === 1, 'insert');
    expect(testId('rafiq-public-reply-warning')).toBeNull();
  });

  test('the warning reads in Persian when the UI is Persian', async () => {
    await languageSetting.setValue('fa');
    await pickTemplate(reviewsPage, 'لطفاً نظرتان را حذف کنید.');
    await until(() => Boolean(testId('rafiq-public-reply-warning')), 'warning');
    expect(testId('rafiq-public-reply-warning')!.textContent).toContain('از نویسنده می‌خواهد نظرش را حذف یا عوض کند');
    expect(testId('rafiq-public-reply-anyway')!.textContent).toBe('با این حال درج کن');
  });
});

describe('suggested replies section', () => {
  test('three cited suggestions for the review; Insert puts one in the box (checked first) and records the use', async () => {
    const asked: Record<string, unknown>[] = [];
    answers.set('suggestReplies', (r) => {
      asked.push(r);
      return [
        { kind: 'history', templateId: null, templateName: null, shortcut: null, language: 'en', text: 'Sorry Layla, a new one ships today.', score: 0.8, source: { ticketId: 41, at: '2026-05-02T10:00:00.000Z', agentName: 'Sara Ahmed', sameCustomer: false } },
        { kind: 'template', templateId: 3, templateName: 'Refund sent', shortcut: 'refund', language: 'en', text: 'Hi Layla, your refund is on its way.', score: 0.5, source: null },
        { kind: 'history', templateId: null, templateName: null, shortcut: null, language: 'en', text: 'Write to layla.haddad@gmail.com', score: 0.2, source: { ticketId: null, at: '2026-04-01T10:00:00.000Z', agentName: null, sameCustomer: true } },
      ];
    });
    answers.set('recordReplyUse', (r) => (asked.push(r), { recorded: true, id: 1 }));
    dispose = render(() => <Sidebar page={() => reviewsPage} hooks={{ insertReply, logTarget: () => null, ticketDraft: () => null, checkPublicReply }} />, container);
    await until(() => container.querySelectorAll('[data-testid="rafiq-suggestion"]').length === 3, 'suggestions');
    expect(asked[0]).toMatchObject({ type: 'suggestReplies', customerId: 7, channel: 'review', incoming: 'Late and broken' });
    const sources = [...container.querySelectorAll('[data-testid="rafiq-suggestion-source"]')].map((e) => (e.textContent ?? '').replace(/[\u2066-\u2069]/g, ''));
    expect(sources[0]).toContain('From ticket #41');
    expect(sources[0]).toContain('Sara Ahmed');
    expect(sources[1]).toBe('Template: Refund sent');
    container.querySelectorAll<HTMLButtonElement>('[data-testid="rafiq-suggestion-insert"]')[0]!.click();
    await until(() => insertReply.mock.calls.length === 1, 'insert');
    expect(insertReply).toHaveBeenCalledWith('Sorry Layla, a new one ships today.');
    await until(() => asked.some((r) => r.type === 'recordReplyUse'), 'record');
    expect(asked.find((r) => r.type === 'recordReplyUse')).toMatchObject({ customerId: 7, channel: 'review', reply: 'Sorry Layla, a new one ships today.', source: 'suggestion' });
    // The third would publish the e-mail: held by the check.
    container.querySelectorAll<HTMLButtonElement>('[data-testid="rafiq-suggestion-insert"]')[2]!.click();
    await until(() => Boolean(testId('rafiq-public-reply-warning')), 'warning');
    expect(insertReply).toHaveBeenCalledTimes(1);
  });
});
