// The queue page (issue 21) with the background as a table of answers: the three queues with
// their counts, each row's customer, channel, age and SLA clock, and the link to its source.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { answers, asked } from './fake-background';
import { render } from 'solid-js/web';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ResponseMap } from '../../extension/messaging/protocol';


const { QueuePage } = await import('../../extension/pages/queue/QueuePage');

type Item = ResponseMap['queueList']['items'][number];
const HOUR = 3_600_000;
const item = (over: Partial<Item> & Pick<Item, 'ticketId' | 'customerName' | 'channel'>): Item => ({
  subject: 'Parcel lost',
  status: 'open',
  priority: 'normal',
  customerId: over.ticketId + 100,
  assigneeId: null,
  createdAt: new Date(Date.now() - 3 * HOUR).toISOString(),
  sourceUrl: null,
  sourceKey: null,
  clock: null,
  ...over,
});
const clock = (remainingMinutes: number, state: 'running' | 'warning' | 'breached') => ({
  kind: 'firstResponse' as const,
  clock: { deadline: Date.now() + remainingMinutes * 60_000, targetMinutes: 60, usedMinutes: 60 - remainingMinutes, percentUsed: ((60 - remainingMinutes) / 60) * 100, remainingMinutes, state },
});
const queues: Record<string, Item[]> = {
  mine: [
    item({ ticketId: 11, customerName: 'Layla Haddad', channel: 'email', sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/abc', sourceKey: 'email:abc', clock: clock(50, 'running') }),
    item({ ticketId: 12, customerName: 'Mehmet Yılmaz', channel: 'x', createdAt: new Date(Date.now() - 2 * 24 * HOUR).toISOString() }),
  ],
  unassigned: [item({ ticketId: 21, customerName: 'Ali K.', channel: 'review', sourceUrl: 'https://www.trustpilot.com/reviews/rev-1', clock: clock(10, 'warning') })],
  breaching: [item({ ticketId: 31, customerName: 'Sara Tehrani', channel: 'email', clock: clock(-25, 'breached') })],
};

let root: HTMLDivElement;
let dispose: (() => void) | undefined;
const all = (id: string) => [...root.querySelectorAll(`[data-testid="${id}"]`)];
const q = (id: string) => root.querySelector(`[data-testid="${id}"]`);
/** Text as read, without the bidi isolates t() puts around parameters. */
const read = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}: ${root.textContent}`);
};
const rows = () => all('queue-item').map((tr) => [...tr.querySelectorAll('td')].map((td) => read(td)));

beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  asked.length = 0;
  answers.set('queueCounts', () => ({ mine: 2, unassigned: 1, breaching: 1, breachingAtLeast: false }));
  answers.set('getStatus', () => ({ configured: true, state: 'connected', serverUrl: 'http://127.0.0.1:8787', agent: { id: 1, name: 'Sara Ahmed', email: 'sara@rafiq.example', role: 'agent', locale: 'en' }, message: null, queued: 0 }));
  answers.set('teamInfo', () => ({ teams: [], members: [{ agentId: 1, name: 'Sara Ahmed', teamId: 1, available: true }] }));
  answers.set('queueList', (r) => ({ items: queues[r.queue as string] ?? [], nextCursor: null }));
  root = document.createElement('div');
  document.body.append(root);
  dispose = render(() => <QueuePage />, root);
});
afterEach(() => {
  dispose?.();
  dispose = undefined;
  root.remove();
});

describe('QueuePage', () => {
  test('three tabs with their counts; Mine first, with customer, channel, age and SLA per row', async () => {
    await until(() => read(q('queue-tab-unassigned')).endsWith('1') && all('queue-item').length === 2, 'counts and rows');
    expect(read(q('queue-tab-mine'))).toBe('Mine 2');
    expect(read(q('queue-tab-unassigned'))).toBe('Unassigned 1');
    expect(read(q('queue-tab-breaching'))).toBe('Breaching soon 1');
    expect(q('queue-tab-mine')!.getAttribute('aria-pressed')).toBe('true');
    expect(asked.find((r) => r.type === 'queueList')).toMatchObject({ queue: 'mine', cursor: null });

    const [first, second] = rows();
    expect(first![0]).toContain('Layla Haddad');
    expect(first![0]).toContain('#11 Parcel lost');
    expect(first![1]).toBe('Email');
    expect(first![2]).toMatch(/^3 (hours|hr\.) ago$/);
    expect(first![3]).toMatch(/Reply due in 50/);
    expect(second![1]).toBe('X');
    expect(second![2]).toMatch(/^2 days ago$/);
    // No SLA policy for this ticket: a dash, not a made-up clock.
    expect(second![3]).toBe('—');
  });

  test('another tab lists its queue: amber and red clocks on the tickets about to breach', async () => {
    await until(() => all('queue-item').length === 2, 'mine');
    (q('queue-tab-unassigned') as HTMLButtonElement).click();
    await until(() => read(all('queue-item')[0]).includes('Ali K.'), 'unassigned rows');
    expect(q('queue-tab-unassigned')!.getAttribute('aria-pressed')).toBe('true');
    expect(q('queue-tab-mine')!.getAttribute('aria-pressed')).toBe('false');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]![1]).toBe('Review');
    expect(q('queue-sla')!.getAttribute('data-state')).toBe('warning');
    expect(q('queue-sla')!.className).toContain('sla-warning');

    (q('queue-tab-breaching') as HTMLButtonElement).click();
    await until(() => read(all('queue-item')[0]).includes('Sara Tehrani'), 'breaching rows');
    expect(q('queue-sla')!.className).toContain('sla-breached');
    expect(read(q('queue-sla'))).toMatch(/Reply overdue by 25/);
    expect(asked.filter((r) => r.type === 'queueList').map((r) => r.queue)).toEqual(['mine', 'unassigned', 'breaching']);
  });

  test("a row's link opens its source in a new tab; a ticket without one has no link", async () => {
    await until(() => all('queue-item').length === 2, 'mine');
    const [withSource, without] = all('queue-item');
    const link = withSource!.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://mail.google.com/mail/u/0/#inbox/abc');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    // happy-dom follows a clicked link through its own window object's open().
    const own = Object.getOwnPropertySymbols(link).find((s) => s.description === 'window');
    const win = (own ? (link as unknown as Record<symbol, Window>)[own] : window)!;
    const open = vi.spyOn(win, 'open').mockImplementation(() => null);
    link.click();
    expect(open).toHaveBeenCalledWith('https://mail.google.com/mail/u/0/#inbox/abc', '_blank', expect.anything());
    open.mockRestore();
    expect(without!.querySelector('a')).toBeNull();
  });

  test('the queue cannot be read: the error is said, not an empty queue', async () => {
    dispose?.();
    root.textContent = '';
    answers.set('queueList', () => {
      throw new Error('offline');
    });
    dispose = render(() => <QueuePage />, root);
    await until(() => Boolean(root.querySelector('[role="alert"]')), 'error');
    expect(all('queue-item')).toHaveLength(0);
  });
});
