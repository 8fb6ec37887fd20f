// The sidebar's team section (issue 21) with the background as a table of answers: the clock's
// colours on the shared deadline function and the test clock, presence wording ("unknown" when it
// can't be known, never "no one"), and the collision guard seen by the reply/log buttons.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { answers, asked } from './fake-background';
import { render } from 'solid-js/web';
import { createSignal } from 'solid-js';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { TicketView } from '../../extension/messaging/protocol';


const { TeamSection, formatBusinessMinutes } = await import('../../extension/sidebar/sections/TeamSection');
const { guardCollision } = await import('../../extension/sidebar/collision');
const { makePageWriter, PageWriterContext } = await import('../../extension/sidebar/primitives/page-writer');
const { clockOffsetSetting } = await import('../../extension/storage/settings');

const MINUTE = 60_000;
const opened = new Date(Date.now() - 10 * MINUTE).toISOString();
const ticket: TicketView = {
  id: 41,
  customerId: 7,
  subject: 'Damaged',
  status: 'open',
  reopenCount: 0,
  priority: 'normal',
  channel: 'email',
  assigneeId: null,
  firstResponseAt: null,
  resolvedAt: null,
  sourceUrl: null,
  sourceKey: 'email:t1',
  details: {},
  createdAt: opened,
  updatedAt: opened,
};
const allDay = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
const sla = { ticketId: 41, teamId: 1, calendar: { timeZone: 'UTC', week: allDay, holidays: [] }, policyId: 1, startedAt: opened, pauses: [], firstResponse: { targetMinutes: 60, doneAt: null }, resolution: { targetMinutes: 480, doneAt: null } };

let root: HTMLDivElement;
let dispose: () => void;
const q = (id: string) => root.querySelector(`[data-testid="${id}"]`);
/** Text as read, without the bidi isolates t() puts around parameters. */
const text = (id: string) => (q(id)?.textContent ?? '').replace(/[\u2066-\u2069]/g, '');
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 30));
  if (!check()) throw new Error(`timed out waiting for ${what}: ${root.textContent}`);
};

beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  asked.length = 0;
  answers.set('ticketSla', () => ({ sla, clocks: {}, serverNow: new Date().toISOString() }));
  answers.set('teamInfo', () => ({ teams: [], members: [{ agentId: 2, name: 'Emre Kaya', teamId: 1, available: true }] }));
  answers.set('presenceHeartbeat', () => ({ openedAt: opened }));
  answers.set('presenceLeave', () => ({ ok: true }));
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  dispose?.();
  root.remove();
});

const mount = () => {
  dispose = render(() => <TeamSection tickets={[ticket]} conversationKey="email:t1" me={1} onChanged={() => undefined} />, root);
};

describe('TeamSection', () => {
  test('assigning goes through the page writer: stamped with the context, refused once the page moved on (issue 17)', async () => {
    answers.set('presenceRead', () => ({ unchanged: false, version: 'v3', viewers: [], activity: [] }));
    answers.set('assignTicket', () => ({ ...ticket, assigneeId: 1 }));
    let current = true;
    const writer = makePageWriter('email-thread|t1|layla', () => 7, () => current);
    dispose = render(
      () => (
        <PageWriterContext.Provider value={writer}>
          <TeamSection tickets={[ticket]} conversationKey="email:t1" me={1} onChanged={() => undefined} />
        </PageWriterContext.Provider>
      ),
      root,
    );
    await until(() => Boolean(q('rafiq-assign-me')), 'the assign button');
    (q('rafiq-assign-me') as HTMLButtonElement).click();
    await until(() => asked.some((r) => r.type === 'assignTicket'), 'an assignment');
    expect(asked.find((r) => r.type === 'assignTicket')).toMatchObject({ ticketId: 41, to: 'me', context: { key: 'email-thread|t1|layla', customerId: 7 } });

    asked.length = 0;
    current = false;
    (q('rafiq-assign-me') as HTMLButtonElement).click();
    await until(() => /nothing was saved/.test(root.textContent ?? ''), 'the context-changed notice');
    expect(asked.filter((r) => r.type === 'assignTicket')).toEqual([]);
  });


  test('the clock is green, amber at 75% used, red once breached (moved by the test clock)', async () => {
    answers.set('presenceRead', () => ({ unchanged: false, version: 'v0', viewers: [], activity: [] }));
    mount();
    await until(() => q('rafiq-sla-clock')?.getAttribute('data-state') === 'running', 'running clock');
    expect(text('rafiq-sla-clock')).toMatch(/#41.*Reply due in 50/);
    expect(q('rafiq-sla-clock')!.className).toContain('sla-ok');
    await clockOffsetSetting.setValue(36 * MINUTE);
    await until(() => q('rafiq-sla-clock')?.getAttribute('data-state') === 'warning', 'amber');
    expect(q('rafiq-sla-clock')!.className).toContain('sla-warning');
    await clockOffsetSetting.setValue(51 * MINUTE);
    await until(() => q('rafiq-sla-clock')?.getAttribute('data-state') === 'breached', 'red');
    expect(q('rafiq-sla-clock')!.className).toContain('sla-breached');
    expect(text('rafiq-sla-clock')).toMatch(/Reply overdue by 1/);
  });

  test('a teammate replying is named; after they replied, the next reply or log is warned once', async () => {
    answers.set('presenceRead', () => ({
      unchanged: false,
      version: 'v1',
      viewers: [{ agentId: 2, name: 'Emre Kaya', activity: 'replying', since: opened }],
      activity: [{ agentId: 2, name: 'Emre Kaya', kind: 'replied', at: new Date().toISOString() }],
    }));
    mount();
    await until(() => Boolean(q('rafiq-collision')), 'collision warning');
    expect(text('rafiq-presence')).toContain('Emre Kaya');
    expect(text('rafiq-presence')).toContain('is replying');
    expect(text('rafiq-collision')).toContain('Emre Kaya replied here');
    expect(() => guardCollision()).toThrow(/Emre Kaya.*replied here.*Check before you send/s);
    expect(() => guardCollision()).not.toThrow();
    // The heartbeat named this conversation; the read asked since the tab opened it.
    expect(asked.find((r) => r.type === 'presenceRead')).toMatchObject({ conversationKey: 'email:t1', since: opened });
  });

  test('offline: presence is "unknown", never "no one"', async () => {
    answers.set('presenceRead', () => {
      throw new Error('unreachable');
    });
    mount();
    await until(() => asked.some((r) => r.type === 'presenceRead'), 'a presence read');
    await until(() => q('rafiq-presence')?.getAttribute('data-state') === 'unknown', 'unknown');
    expect(text('rafiq-presence')).toBe('Presence unknown (offline)');
  });

  test('before the first answer: "checking", not "offline"; the first read goes out with the heartbeat, not a second later', async () => {
    let answer: (value: unknown) => void = () => undefined;
    answers.set('presenceRead', () => new Promise((resolve) => (answer = resolve)));
    mount();
    await until(() => asked.some((r) => r.type === 'presenceRead'), 'the first presence read');
    expect(q('rafiq-presence')?.getAttribute('data-state')).toBe('checking');
    expect(text('rafiq-presence')).toBe('Checking who else is here…');
    answer({ unchanged: false, version: 'v3', viewers: [], activity: [] });
    await until(() => q('rafiq-presence')?.getAttribute('data-state') === 'alone', 'alone');
  });

  test('nobody else here, known: says so', async () => {
    answers.set('presenceRead', () => ({ unchanged: false, version: 'v2', viewers: [], activity: [] }));
    mount();
    await until(() => q('rafiq-presence')?.getAttribute('data-state') === 'alone', 'alone');
    expect(text('rafiq-presence')).toBe('No teammate has this conversation open');
  });

  test('moving to the next thread is one heartbeat that brings who is there: no leave, no separate read (issue 20)', async () => {
    const { presenceTabId, LEAVE_AFTER_MS } = await import('../../extension/sidebar/presence-tab');
    const viewers = (key: string) => (key === 'email:t2' ? [{ agentId: 2, name: 'Emre Kaya', activity: 'viewing', since: opened }] : []);
    answers.set('presenceHeartbeat', (r) => ({ openedAt: opened, presence: r.read ? { version: `v-${String(r.conversationKey)}`, viewers: viewers(String(r.conversationKey)), activity: [] } : undefined }));
    answers.set('presenceRead', () => ({ unchanged: true, version: 'unused' }));
    const [key, setKey] = createSignal('email:t1');
    dispose = render(() => <TeamSection tickets={[ticket]} conversationKey={key()} me={1} onChanged={() => undefined} />, root);
    await until(() => q('rafiq-presence')?.getAttribute('data-state') === 'alone', 'alone on t1');
    asked.length = 0;
    setKey('email:t2');
    await until(() => text('rafiq-presence').includes('Emre Kaya'), 'Emre on t2');
    const presenceCalls = () => asked.filter((r) => String(r.type).startsWith('presence'));
    // Until the wall clock's next second polls, the switch cost exactly one call.
    expect(presenceCalls().filter((r) => r.type !== 'presenceRead')).toEqual([{ type: 'presenceHeartbeat', tabId: presenceTabId, conversationKey: 'email:t2', activity: 'viewing', read: true }]);
    // The card goes and nothing follows: the page says it left, once, shortly after.
    dispose();
    dispose = () => undefined;
    expect(asked.some((r) => r.type === 'presenceLeave')).toBe(false);
    await new Promise((r) => setTimeout(r, LEAVE_AFTER_MS + 100));
    expect(asked.filter((r) => r.type === 'presenceLeave')).toEqual([{ type: 'presenceLeave', tabId: presenceTabId }]);
  });

  test('presence calls of a page leave in order: a heartbeat still in flight holds the next one back', async () => {
    const { presenceHeartbeat, presenceLeaveNow } = await import('../../extension/sidebar/presence-tab');
    await presenceLeaveNow(); // an earlier test's card may have left a leave waiting
    asked.length = 0;
    const release: (() => void)[] = [];
    answers.set('presenceHeartbeat', () => new Promise((resolve) => release.push(() => resolve({ openedAt: opened }))));
    const first = presenceHeartbeat('email:a1', 'viewing', false);
    const left = presenceLeaveNow();
    const second = presenceHeartbeat('email:a2', 'viewing', true);
    await new Promise((r) => setTimeout(r, 20));
    expect(asked.map((r) => r.type)).toEqual(['presenceHeartbeat']);
    release.shift()!();
    await first;
    await left;
    await until(() => release.length === 1, 'the second heartbeat');
    expect(asked.map((r) => [r.type, r.conversationKey])).toEqual([['presenceHeartbeat', 'email:a1'], ['presenceLeave', undefined], ['presenceHeartbeat', 'email:a2']]);
    release.shift()!();
    await second;
  });

  test.each([
    { minutes: 80, want: '1h 20m' },
    { minutes: 5, want: '5m' },
    { minutes: 1500, want: '1d 1h' },
  ])('$minutes business minutes read "$want"', ({ minutes, want }) => {
    expect(formatBusinessMinutes(minutes, 'en').replace(/\s+/g, ' ')).toBe(want);
  });
});
