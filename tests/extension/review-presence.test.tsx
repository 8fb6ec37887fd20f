// Review sites in the team workflows (issue 21): the focused review is the sidebar's conversation
// (presence and that complaint ticket's clock, though review pages have no ticket draft), and the
// "Log complaint" button on a card goes through the same collision guard as the sidebar's buttons.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { answers, asked } from './fake-background';
import { render } from 'solid-js/web';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Review } from '@shared/page-context';
import { sampleReview } from './sample-review';
import { complaintSourceKey } from '@shared/review-identity';
import type { ConnectionStatus, CustomerView, TicketView } from '../../extension/messaging/protocol';
import type { PageState } from '../../extension/sidebar/page-state';


const { Sidebar } = await import('../../extension/sidebar/Sidebar');
const { ComplaintButton } = await import('../../extension/content/complaint-button');
const { setCollisionConversation, setCollisionWarning } = await import('../../extension/sidebar/collision');

const opened = new Date(Date.now() - 10 * 60_000).toISOString();
const review = (reviewId: string, reviewerName: string): Review => sampleReview({ reviewId, reviewerName });
const ticket = (id: number, sourceKey: string): TicketView => ({
  id,
  customerId: 7,
  subject: 'Complaint',
  status: 'open',
  reopenCount: 0,
  priority: 'high',
  channel: 'review',
  assigneeId: null,
  firstResponseAt: null,
  resolvedAt: null,
  sourceUrl: null,
  sourceKey,
  details: {},
  createdAt: opened,
  updatedAt: opened,
});
const allDay = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
const slaOf = (ticketId: number) => ({ sla: { ticketId, teamId: 1, calendar: { timeZone: 'UTC', week: allDay, holidays: [] }, policyId: 1, startedAt: opened, pauses: [], firstResponse: { targetMinutes: 60, doneAt: null }, resolution: { targetMinutes: 480, doneAt: null } }, clocks: {}, serverNow: new Date().toISOString() });

let root: HTMLDivElement;
let dispose: (() => void) | undefined;
const q = (id: string) => root.querySelector(`[data-testid="${id}"]`);
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/[\u2066-\u2069]/g, '');
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 30));
  if (!check()) throw new Error(`timed out waiting for ${what}: ${root.textContent}`);
};

beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  asked.length = 0;
  answers.set('presenceHeartbeat', () => ({ openedAt: opened }));
  answers.set('presenceLeave', () => ({ ok: true }));
  answers.set('presenceRecord', () => ({ ok: true, claimed: false }));
  answers.set('teamInfo', () => ({ teams: [], members: [{ agentId: 2, name: 'Emre Kaya', teamId: 1, available: true }] }));
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  dispose?.();
  dispose = undefined;
  setCollisionConversation(null);
  root.remove();
});

describe('review pages in the team section', () => {
  test("the focused review is the conversation: teammates' presence and its complaint ticket's clock", async () => {
    const focused = review('rev-2', 'Ali K.');
    const key = complaintSourceKey('trustpilot', 'rev-2');
    const connected: ConnectionStatus = { configured: true, state: 'connected', serverUrl: 'http://127.0.0.1:8787', agent: { id: 1, name: 'Sara Ahmed', email: 'support@rafiq.example', role: 'admin', locale: 'en' }, message: null, queued: 0 };
    const now = new Date().toISOString();
    const view: CustomerView = {
      customer: { id: 7, displayName: 'Ali K.', company: null, locale: null, tags: [], customFields: {}, createdAt: now, updatedAt: now, identities: [] },
      timeline: { items: [], nextCursor: null },
      // The reviewer's other complaint comes first: the clock must still be this review's.
      openTickets: [ticket(51, complaintSourceKey('trustpilot', 'rev-1')), ticket(52, key)],
      orders: { items: [], nextCursor: null, lifetime: [] },
      notes: [],
      staleSince: null,
    };
    answers.set('getStatus', () => connected);
    answers.set('lookupPerson', () => ({ customer: view.customer, matchedIdentity: null }));
    answers.set('getCustomerView', () => view);
    answers.set('ticketSla', (r) => slaOf(r.ticketId as number));
    answers.set('presenceRead', () => ({ unchanged: false, version: 'v1', viewers: [{ agentId: 2, name: 'Emre Kaya', activity: 'viewing', since: opened }], activity: [] }));
    const page: PageState = {
      status: 'recognized',
      person: { displayName: 'Ali K.', identities: [{ kind: 'trustpilot', value: 'https://www.trustpilot.com/users/rev-2' }] },
      context: { kind: 'reviews', site: 'trustpilot', url: 'https://www.trustpilot.com/reviews/rev-2', business: focused.business, reviews: [review('rev-1', 'Ali K.'), focused], unreadable: [], focusReviewId: 'rev-2' },
    } as PageState;
    const hooks = { insertReply: vi.fn(async () => 'copied' as const), logTarget: () => null, ticketDraft: () => null, conversationKey: () => key };
    dispose = render(() => <Sidebar page={() => page} hooks={hooks} />, root);
    await until(() => text(q('rafiq-presence')).includes('Emre Kaya'), 'presence');
    expect(text(q('rafiq-presence'))).toContain('Emre Kaya is viewing');
    expect(asked.find((r) => r.type === 'presenceHeartbeat')).toMatchObject({ conversationKey: key });
    await until(() => q('rafiq-sla-clock')?.getAttribute('data-state') === 'running', 'clock');
    expect(text(q('rafiq-sla-clock'))).toMatch(/#52/);
  });
});

describe('"Log complaint" on a review card', () => {
  const mountButton = (r: Review) => {
    const logged: TicketView[] = [];
    const button = new ComplaintButton(r, () => 'https://www.trustpilot.com/review/rafiq.example', (t) => logged.push(t));
    root.append(button.host);
    const inner = () => button.host.shadowRoot!.querySelector('button')!;
    return { inner, logged };
  };

  test('a teammate logged the focused review since this tab opened it: warned once, the next click logs and tells teammates', async () => {
    const key = complaintSourceKey('trustpilot', 'rev-2');
    setCollisionConversation({ key, ticketId: null });
    setCollisionWarning({ text: 'Emre Kaya logged this conversation 1 minute ago.', version: 'v1' });
    answers.set('logComplaint', () => ({ ticket: ticket(52, key), created: false }));
    const { inner, logged } = mountButton(review('rev-2', 'Ali K.'));

    inner().click();
    await until(() => inner().dataset.state === 'warning', 'warning');
    expect(text(inner())).toMatch(/Emre Kaya logged this conversation.*click again/);
    expect(asked.map((r) => r.type)).not.toContain('logComplaint');

    inner().click();
    await until(() => inner().dataset.state === 'logged', 'logged');
    expect(logged.map((t) => t.id)).toEqual([52]);
    await until(() => asked.some((r) => r.type === 'presenceRecord'), 'presence record');
    expect(asked.find((r) => r.type === 'presenceRecord')).toMatchObject({ conversationKey: key, kind: 'logged', ticketId: 52 });
  });

  test("another review's button is not held back by the focused review's warning", async () => {
    setCollisionConversation({ key: complaintSourceKey('trustpilot', 'rev-2'), ticketId: null });
    setCollisionWarning({ text: 'Emre Kaya logged this conversation 1 minute ago.', version: 'v2' });
    answers.set('logComplaint', () => ({ ticket: ticket(53, complaintSourceKey('trustpilot', 'rev-3')), created: true }));
    const { inner } = mountButton(review('rev-3', 'Mina R.'));
    inner().click();
    await until(() => inner().dataset.state === 'logged', 'logged');
    expect(asked.find((r) => r.type === 'presenceRecord')).toMatchObject({ conversationKey: complaintSourceKey('trustpilot', 'rev-3'), ticketId: 53 });
  });
});
