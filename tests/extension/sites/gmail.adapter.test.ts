import { describe, expect, test } from 'vitest';
import { pageContextSchema, type PageContext, type PageContextOf } from '@shared/page-context';
import {
  gmailAdapter,
  messageTime,
  parseAddressList,
  parseGmailWallTime,
  parseRoute,
  timeFromMessageId,
} from '../../../extension/sites/gmail/gmail.adapter';
import type { RecognizeOptions } from '../../../extension/sites/types';
import { loadFixture } from './load-fixture';

const AGENT = 'support@rafiq.example';
const threadUrl = (id: string) => new URL(`https://mail.google.com/mail/u/0/#inbox/${id}`);

function recognize(doc: Document, url: URL, options?: RecognizeOptions): PageContext | undefined {
  const context = gmailAdapter.recognize(doc, url, options);
  // Every context the adapter returns must survive the background's validation.
  if (context) expect(pageContextSchema.parse(context)).toEqual(context);
  return context;
}

function thread(doc: Document, url: URL, options?: RecognizeOptions): PageContextOf<'email-thread'> {
  const context = recognize(doc, url, options);
  if (context?.kind !== 'email-thread') throw new Error(`expected email-thread, got ${context?.kind}`);
  return context;
}

interface ThreadCase {
  file: string;
  url: URL;
  threadId: string;
  subject: string;
  participants: { name: string; email: string; isSender: boolean }[];
  messages: { id: string; fromName: string; fromEmail: string; time: string | null; timeText: string }[];
  customer: { displayName: string; email: string } | null;
}

const layla = { name: 'Layla Haddad', email: 'layla.haddad@example.com' };
const sara = { name: 'Sara Ahmed', email: AGENT };
const mehmet = { name: 'Mehmet Yılmaz', email: 'mehmet.yilmaz@example.com.tr' };
const ayse = { name: 'Ayşe Demir', email: 'ayse.demir@example.com.tr' };
const hostileName = '<img src=x onerror="window.__pwned=1">';
const from = (p: { name: string; email: string }) => ({ fromName: p.name, fromEmail: p.email });

const threadCases = [
  {
    file: 'gmail-thread-customer.html',
    url: threadUrl('18c2a1f0d4e5b6a7'),
    threadId: '18c2a1f0d4e5b6a7',
    subject: 'Order R-10042 arrived damaged',
    participants: [
      { ...layla, isSender: true },
      { ...sara, isSender: true },
    ],
    messages: [
      // Times come from the ids (UTC); the titles show the agent's UTC+3 wall time.
      { id: '18c2a1f0d4e5b6a7', ...from(layla), time: '2023-12-02T10:42:07Z', timeText: 'Sat, Dec 2, 2023, 1:42 PM' },
      { id: '18c2aa255b7cdb59', ...from(sara), time: '2023-12-02T13:05:31Z', timeText: 'Sat, Dec 2, 2023, 4:05 PM' },
      { id: '18c337aa4c32f9f4', ...from(layla), time: '2023-12-04T06:18:44Z', timeText: 'Mon, Dec 4, 2023, 9:18 AM' },
    ],
    customer: { displayName: 'Layla Haddad', email: 'layla.haddad@example.com' },
  },
  {
    file: 'gmail-thread-participants.html',
    url: new URL('https://mail.google.com/mail/u/0/#label/Faturalar/18c2a1f0d4e5b6b8'),
    threadId: '18c2a1f0d4e5b6b8',
    subject: 'Fatura itirazı — invoice dispute',
    participants: [
      { ...mehmet, isSender: true },
      { ...sara, isSender: true },
      { ...ayse, isSender: true },
    ],
    messages: [
      // The first two are collapsed (`div.kv` > `div.adf.ads`): sender and time, no recipients.
      { id: '18c2a1f0d4e5b6b8', ...from(mehmet), time: '2023-12-02T10:42:07Z', timeText: 'Sat, 2 Dec 2023, 13:42' },
      { id: '18c2a6fb142b1705', ...from(sara), time: '2023-12-02T12:10:12Z', timeText: 'Sat, 2 Dec 2023, 15:10' },
      { id: '18c33362549c8af5', ...from(ayse), time: '2023-12-04T05:03:55Z', timeText: 'Mon, 4 Dec 2023, 08:03' },
      { id: '18c35010967c73ce', ...from(mehmet), time: '2023-12-04T13:25:09Z', timeText: 'Mon, 4 Dec 2023, 16:25' },
    ],
    customer: { displayName: 'Mehmet Yılmaz', email: 'mehmet.yilmaz@example.com.tr' },
  },
  {
    file: 'gmail-thread-agent-only.html',
    url: threadUrl('18c2a1f0d4e5b6d0'),
    threadId: '18c2a1f0d4e5b6d0',
    subject: 'Your Rafiq order R-10077 has shipped',
    participants: [
      { ...sara, isSender: true },
      { name: 'Omar Farouk', email: 'omar.farouk@example.org', isSender: false },
    ],
    messages: [
      { id: '18c2a1f0d4e5b6d0', ...from(sara), time: '2023-12-02T10:42:07Z', timeText: 'Sat, Dec 2, 2023, 1:42 PM' },
      { id: '18c3a127a1bf0477', ...from(sara), time: '2023-12-05T13:02:18Z', timeText: 'Tue, Dec 5, 2023, 4:02 PM' },
    ],
    customer: null,
  },
  {
    // defuddle's hand-reduced thread; its URL is the one in its first-line comment.
    file: 'gmail-thread-view-handreduced-defuddle-2026.html',
    url: new URL('https://mail.google.com/mail/u/0/#inbox/thread-f:1234567890'),
    threadId: 'abc123',
    subject: 'Project kickoff — questions before we start',
    participants: [
      { name: 'Alex Rivera', email: 'alex@example.com', isSender: true },
      // First seen as the recipient "me"; the sender header's name wins.
      { name: 'Jane Doe', email: 'jane@example.com', isSender: true },
    ],
    // Its ids ("aaa111") are not Gmail timestamps: no time is guessed from the text alone.
    messages: [
      { id: 'aaa111', fromName: 'Alex Rivera', fromEmail: 'alex@example.com', time: null, timeText: 'May 13, 2026, 11:02 PM' },
      { id: 'bbb222', fromName: 'Jane Doe', fromEmail: 'jane@example.com', time: null, timeText: 'May 14, 2026, 9:15 AM' },
      { id: 'ccc333', fromName: 'Alex Rivera', fromEmail: 'alex@example.com', time: null, timeText: 'May 14, 2026, 2:40 PM' },
      { id: 'ddd444', fromName: 'Jane Doe', fromEmail: 'jane@example.com', time: null, timeText: 'May 15, 2026, 8:05 AM' },
      { id: 'eee555', fromName: 'Alex Rivera', fromEmail: 'alex@example.com', time: null, timeText: 'May 15, 2026, 11:30 AM' },
      { id: 'fff666', fromName: 'Jane Doe', fromEmail: 'jane@example.com', time: null, timeText: 'May 15, 2026, 12:00 PM' },
    ],
    // The tab title names the mailbox (jane@example.com), so Jane is the agent even with no options.
    customer: { displayName: 'Alex Rivera', email: 'alex@example.com' },
  },
] satisfies ThreadCase[];

describe('gmail thread views', () => {
  test.each(threadCases)('$file', (c) => {
    const context = thread(loadFixture('gmail', c.file), c.url, { agentEmails: [AGENT] });
    expect(context.kind).toBe('email-thread');
    expect(context.site).toBe('gmail');
    expect(context.url).toBe(c.url.href);
    expect(context.threadId).toBe(c.threadId);
    expect(context.subject).toBe(c.subject);
    expect(context.participants).toEqual(c.participants);
    expect(context.messages).toEqual(c.messages);
    expect(context.customer).toEqual(
      c.customer && { displayName: c.customer.displayName, identities: [{ kind: 'email', value: c.customer.email }] },
    );
  });

  test.each([
    // Layla as an agent address: nobody else wrote (Sara is the mailbox in the title) → no customer.
    { file: 'gmail-thread-customer.html', id: '18c2a1f0d4e5b6a7', agents: ['Layla.Haddad@Example.com'], customer: null },
    // Mehmet as an agent address: the latest other sender is Ayşe.
    { file: 'gmail-thread-participants.html', id: '18c2a1f0d4e5b6b8', agents: ['mehmet.yilmaz@example.com.tr'], customer: ayse },
    // Both defuddle people as agents → null.
    { file: 'gmail-thread-view-handreduced-defuddle-2026.html', id: 'abc123', agents: ['alex@example.com'], customer: null },
  ])('agentEmails changes the customer: $file with $agents', ({ file, id, agents, customer }) => {
    const context = thread(loadFixture('gmail', file), threadUrl(id), { agentEmails: agents });
    expect(context.customer).toEqual(
      customer && { displayName: customer.name, identities: [{ kind: 'email', value: customer.email }] },
    );
  });

  test('the customer is the latest inbound sender, not the first', () => {
    const doc = loadFixture('gmail', 'gmail-thread-participants.html');
    // Without Mehmet's last message the latest non-agent sender is Ayşe (Mehmet wrote first).
    doc.querySelector('[data-legacy-message-id="18c35010967c73ce"]')!.closest('[role="listitem"]')!.remove();
    const context = thread(doc, threadUrl('18c2a1f0d4e5b6b8'), { agentEmails: [AGENT] });
    expect(context.messages.map((m) => m.fromName)).toEqual(['Mehmet Yılmaz', 'Sara Ahmed', 'Ayşe Demir']);
    expect(context.customer).toEqual({ displayName: 'Ayşe Demir', identities: [{ kind: 'email', value: ayse.email }] });
  });

  test('the signed-in mailbox from the tab title counts as an agent address', () => {
    const doc = loadFixture('gmail', 'gmail-thread-agent-only.html');
    expect(thread(doc, threadUrl('18c2a1f0d4e5b6d0')).customer).toBeNull();
    // Without a title and without options nothing says Sara is the agent: she is the latest sender.
    doc.title = '';
    expect(thread(doc, threadUrl('18c2a1f0d4e5b6d0')).customer).toEqual({
      displayName: 'Sara Ahmed',
      identities: [{ kind: 'email', value: AGENT }],
    });
  });

  test('a subject cannot make its sender an agent through the title', () => {
    const doc = loadFixture('gmail', 'gmail-thread-customer.html');
    doc.title = `Hi - layla.haddad@example.com - x - ${AGENT} - Gmail`;
    expect(thread(doc, threadUrl('18c2a1f0d4e5b6a7')).customer?.displayName).toBe('Layla Haddad');
  });

  test('hostile thread: names are inert text, identities clean, subject kept at 5,000 characters', () => {
    const doc = loadFixture('gmail', 'gmail-thread-hostile.html');
    const elementsBefore = doc.querySelectorAll('*').length;
    expect(doc.querySelector('img[onerror], script')).toBeNull();

    const context = thread(doc, threadUrl('18c2a1f0d4e5b6c9'), { agentEmails: [AGENT] });

    expect(context.threadId).toBe('18c2a1f0d4e5b6c9');
    expect(context.subject).toHaveLength(5000);
    expect(context.subject.startsWith('Refund <script>window.__pwned=2</script> now Refund')).toBe(true);
    // The markup-like name comes back literally, without U+202E / U+200B.
    expect(context.customer).toEqual({ displayName: hostileName, identities: [{ kind: 'email', value: 'hostile@example.net' }] });
    expect(context.participants).toEqual([
      { name: hostileName, email: 'hostile@example.net', isSender: true },
      { ...sara, isSender: true },
    ]);
    // The third message's `email` attribute carries a U+200B: cleaned, and the same participant.
    expect(context.messages.map((m) => [m.id, m.fromName, m.fromEmail])).toEqual([
      ['18c2a1f0d4e5b6c9', hostileName, 'hostile@example.net'],
      ['18c2a2fba8df8937', 'Sara Ahmed', AGENT],
      ['18c2a4b841291a50', hostileName, 'hostile@example.net'],
    ]);
    // German dates cannot be cross-checked: the time is the id's; the text is kept as shown.
    expect(context.messages.map((m) => [m.time, m.timeText])).toEqual([
      ['2023-12-02T10:42:07Z', 'Sa., 2. Dez 2023, 13:42'],
      ['2023-12-02T11:00:20Z', 'Sa., 2. Dez 2023, 14:00'],
      ['2023-12-02T11:30:41Z', 'Sa., 2. Dez 2023, 14:30'],
    ]);
    // Header-looking spans inside a message body are not people.
    expect(JSON.stringify(context)).not.toContain('evil.example');
    const identities = [context.customer, ...context.participants].flatMap((p) =>
      p && 'identities' in p ? p.identities.map((i) => i.value) : [p?.name ?? '', p?.email ?? ''],
    );
    for (const value of identities) expect(value).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    // Nothing was created from the page text.
    expect(doc.querySelectorAll('*').length).toBe(elementsBefore);
    expect(doc.querySelector('img[onerror], script')).toBeNull();
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  test('a hidden kept thread view is not read; the list route then gives email-list', () => {
    const doc = loadFixture('gmail', 'gmail-thread-customer.html');
    doc.querySelector('div.a98.iY')!.setAttribute('style', 'display: none;');
    const context = recognize(doc, new URL('https://mail.google.com/mail/u/0/#inbox'));
    expect(context).toEqual({ kind: 'email-list', site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox' });
  });

  test('pre-2018 markup: no data-legacy-thread-id, the id comes from the URL hash', () => {
    const doc = loadFixture('gmail', 'gmail-thread-customer.html');
    doc.querySelector('h2.hP')!.removeAttribute('data-legacy-thread-id');
    for (const el of Array.from(doc.querySelectorAll('[data-legacy-message-id]'))) {
      el.removeAttribute('data-legacy-message-id');
      el.removeAttribute('data-message-id');
    }
    doc.querySelector('div.a3s')!.classList.add('m18c2a1f0d4e5b6a7');
    const context = thread(doc, new URL('https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6a7'), { agentEmails: [AGENT] });
    expect(context.threadId).toBe('18c2a1f0d4e5b6a7');
    expect(context.messages.map((m) => [m.id, m.fromEmail, m.time])).toEqual([
      ['18c2a1f0d4e5b6a7', layla.email, '2023-12-02T10:42:07Z'],
      [null, AGENT, null],
      [null, layla.email, null],
    ]);
    expect(context.customer?.displayName).toBe('Layla Haddad');
    // Neither the DOM nor the URL names a thread: an h2.hP alone is not enough.
    expect(recognize(doc, new URL('https://mail.google.com/mail/u/0/#settings/general'))).toBeUndefined();
  });

  test('a message sent from this tab has data-message-id only', () => {
    const doc = loadFixture('gmail', 'gmail-thread-customer.html');
    const last = doc.querySelectorAll('div.adn')[2]!;
    last.removeAttribute('data-legacy-message-id');
    const message = thread(doc, threadUrl('18c2a1f0d4e5b6a7')).messages[2];
    expect(message?.id).toBe(`msg-f:${BigInt('0x18c337aa4c32f9f4')}`);
    expect(message?.time).toBe('2023-12-04T06:18:44Z');
  });
});

describe('gmail compose and lists', () => {
  const composeUrl = new URL('https://mail.google.com/mail/u/0/#inbox?compose=new');

  test('compose dialog with nothing filled in', () => {
    const context = recognize(loadFixture('gmail', 'gmail-compose-new-message-2020.html'), composeUrl, { agentEmails: [AGENT] });
    expect(context).toEqual({
      kind: 'email-compose',
      site: 'gmail',
      url: composeUrl.href,
      recipients: [],
      subject: '',
      customer: null,
    });
  });

  test.each([
    {
      typed: `Layla Haddad <layla.haddad@example.com>, ${AGENT}`,
      chip: null,
      recipients: ['layla.haddad@example.com', AGENT],
      customer: layla,
    },
    {
      typed: `${AGENT}; "Haddad, Layla" <layla.haddad@example.com>`,
      chip: null,
      recipients: [AGENT, 'layla.haddad@example.com'],
      customer: { name: 'Haddad, Layla', email: layla.email },
    },
    { typed: AGENT, chip: null, recipients: [AGENT], customer: null },
    // A recipient chip comes before what is still typed.
    { typed: 'layla.haddad@example.com', chip: ayse, recipients: [ayse.email, layla.email], customer: ayse },
  ])('compose To "$typed" (chip $chip.email)', ({ typed, chip, recipients, customer }) => {
    const doc = loadFixture('gmail', 'gmail-compose-new-message-2020.html');
    doc.querySelector<HTMLTextAreaElement>('textarea[name="to"]')!.value = typed;
    doc.querySelector<HTMLInputElement>('input[name="subjectbox"]')!.value = '  Your order   R-10042 ';
    if (chip) {
      const wrap = doc.createElement('div');
      wrap.className = 'vR';
      const span = doc.createElement('span');
      span.className = 'vN';
      span.setAttribute('email', chip.email);
      span.setAttribute('name', chip.name);
      span.textContent = chip.name;
      wrap.append(span);
      doc.querySelector('textarea[name="to"]')!.before(wrap);
    }
    const context = recognize(doc, composeUrl, { agentEmails: [AGENT] });
    expect(context).toEqual({
      kind: 'email-compose',
      site: 'gmail',
      url: composeUrl.href,
      recipients,
      subject: 'Your order R-10042',
      customer: customer && { displayName: customer.name, identities: [{ kind: 'email', value: customer.email }] },
    });
  });

  test.each([
    ['https://mail.google.com/mail/u/0/#inbox'],
    ['https://mail.google.com/mail/u/0/#label/Customers'],
  ])('2014 inbox (tr.zA rows) at %s → email-list', (href) => {
    const doc = loadFixture('gmail', 'gmail-inbox-thread-list-2014-inboxsdk.html');
    expect(doc.querySelectorAll('tr.zA')).toHaveLength(16);
    expect(recognize(doc, new URL(href))).toEqual({ kind: 'email-list', site: 'gmail', url: href });
  });

  test('an empty page (Gmail still loading) is not recognized', () => {
    const doc = new DOMParser().parseFromString('<html><body><div id="loading">Loading…</div></body></html>', 'text/html');
    expect(recognize(doc, threadUrl('18c2a1f0d4e5b6a7'))).toBeUndefined();
  });
});

describe('gmail helpers', () => {
  test.each([
    ['', { view: 'inbox', threadId: null }],
    ['#inbox', { view: 'inbox', threadId: null }],
    ['#inbox/p2', { view: 'inbox', threadId: null }],
    ['#inbox/FMfcgzQVxlNPwkrKjmtDvzWJtHnkxQdL', { view: 'inbox', threadId: 'FMfcgzQVxlNPwkrKjmtDvzWJtHnkxQdL' }],
    ['#all/18c2a1f0d4e5b6a7', { view: 'all', threadId: '18c2a1f0d4e5b6a7' }],
    ['#label/Customers/18c2a1f0d4e5b6a7', { view: 'label', threadId: '18c2a1f0d4e5b6a7' }],
    ['#label/Customers', { view: 'label', threadId: null }],
    ['#search/refund+damaged/18c2a1f0d4e5b6a7', { view: 'search', threadId: '18c2a1f0d4e5b6a7' }],
    ['#search/abcdefghijklmnopqrstuvwxyz', { view: 'search', threadId: null }],
    ['#inbox/thread-f:1234567890', { view: 'inbox', threadId: 'thread-f:1234567890' }],
    ['#inbox?compose=new', { view: 'inbox', threadId: null }],
    ['#settings/general', { view: 'settings', threadId: null }],
  ])('parseRoute(%j)', (hash, expected) => {
    expect(parseRoute(hash)).toEqual(expected);
  });

  test.each([
    ['Mon, Jan 8, 2024, 10:14 AM', '2024-01-08T10:14'],
    ['Mon, Jan 8, 2024, 12:05 AM', '2024-01-08T00:05'],
    ['Thu, Dec 18, 2014 at 12:35 PM', '2014-12-18T12:35'],
    ['May 13, 2026, 11:02 PM (3 days ago)', '2026-05-13T23:02'],
    ['Wed, 10 Jan 2024, 09:12', '2024-01-10T09:12'],
    ['8 Sept 2024, 22:05', '2024-09-08T22:05'],
    ['Feb 30, 2024, 10:00 AM', null],
    ['Mon, Jan 8, 2024, 13:14 PM', null],
    ['Mi., 10. Jan. 2024, 09:12', null],
    ['10:14 AM (1 hour ago)', null],
    [null, null],
  ])('parseGmailWallTime(%j) = %j', (text, wall) => {
    expect(parseGmailWallTime(text)).toBe(wall);
  });

  test('message ids carry Gmail\'s timestamp: checked against the 2014 fixture\'s VIEW_DATA', () => {
    // VIEW_DATA thread rows: ["<thread id>","<message id>",…,"<full date as shown>",…] (InboxSDK's
    // saved inbox of an account on US Pacific time). The id's time must match the date shown.
    const html = loadFixture('gmail', 'gmail-inbox-thread-list-2014-inboxsdk.html').documentElement.outerHTML;
    const rows = Array.from(html.matchAll(/\["[0-9a-f]{16}","([0-9a-f]{16})","[0-9a-f]{16}",[\s\S]*?,"([^"]*\d{4} at [^"]*)",\d{16},/g));
    const offsets = rows.flatMap(([, id, shown]) => {
      const wall = parseGmailWallTime(shown!);
      const iso = messageTime(id!, shown!);
      return wall && iso ? [(Date.parse(`${wall}:00Z`) - Date.parse(iso.replace(/:\d\dZ$/, ':00Z'))) / 3_600_000] : [];
    });
    // 33 of 35 rows agree (the others: a row whose shown date belongs to another message, and
    // one whose date InboxSDK edited); every agreeing row is PST (−8) or PDT (−7).
    expect(offsets.length).toBeGreaterThanOrEqual(30);
    expect(new Set(offsets)).toEqual(new Set([-8, -7]));
    expect(rows[0]?.[1]).toBe('14a5f1c6f7aeeebc');
    expect(messageTime('14a5f1c6f7aeeebc', rows[0]![2]!)).toBe('2014-12-18T20:35:06Z');
    expect(timeFromMessageId('14a5f1c6f7aeeebc')).toBe(1418934906746);
  });

  test.each([
    // Agrees with the shown time at UTC+3 → the id's UTC time.
    ['18c2a1f0d4e5b6a7', 'Sat, Dec 2, 2023, 1:42 PM', '2023-12-02T10:42:07Z'],
    // UTC−8 (Thu, Dec 18, 2014 at 12:35 PM Pacific = 20:35 UTC), the 2014 fixture's first row.
    ['14a5f1c6f7aeeebc', 'Thu, Dec 18, 2014 at 12:35 PM', '2014-12-18T20:35:06Z'],
    // India, UTC+5:30.
    ['18c2a1f0d4e5b6a7', 'Sat, Dec 2, 2023, 4:12 PM', '2023-12-02T10:42:07Z'],
    // Same id, a shown minute no real offset explains → not trusted.
    ['18c2a1f0d4e5b6a7', 'Sat, Dec 2, 2023, 1:49 PM', null],
    ['18c2a1f0d4e5b6a7', 'Mon, Dec 4, 2023, 1:42 PM', null],
    // Not timestamps.
    ['aaa111', 'May 13, 2026, 11:02 PM', null],
    ['0000000000000000', null, null],
    [null, 'Sat, Dec 2, 2023, 1:42 PM', null],
    // New-style id of the same message.
    [`msg-f:${BigInt('0x18c2a1f0d4e5b6a7')}`, null, '2023-12-02T10:42:07Z'],
  ])('messageTime(%j, %j) = %j', (id, text, iso) => {
    expect(messageTime(id, text)).toBe(iso);
  });

  test('parseAddressList keeps order, names and quoted commas; drops non-addresses', () => {
    expect(parseAddressList('Layla Haddad <layla.haddad@example.com>, "Demir, Ayşe" <ayse.demir@example.com.tr>; bare@example.org, not an address')).toEqual([
      { name: 'Layla Haddad', email: 'layla.haddad@example.com' },
      { name: 'Demir, Ayşe', email: 'ayse.demir@example.com.tr' },
      { name: 'bare@example.org', email: 'bare@example.org' },
    ]);
  });
});
