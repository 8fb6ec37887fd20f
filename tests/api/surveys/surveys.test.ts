import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../api/app';
import { appRouter } from '../../../api/router';
import { createCallerFactory } from '../../../api/trpc';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { chooseSurveyLanguage } from '../../../api/modules/surveys/survey.page';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

const BASE = 'http://rafiq.test';
const callerFactory = createCallerFactory(appRouter);
type Caller = ReturnType<typeof callerFactory>;

test.each([
  { locale: 'ar', accept: 'en-US,en;q=0.9', want: 'ar' },
  { locale: 'fa-IR', accept: undefined, want: 'fa' },
  { locale: 'it', accept: 'fr;q=0.9, tr-TR;q=0.8, en;q=0.5', want: 'tr' },
  { locale: null, accept: 'de, fa;q=0.1, ar;q=0.4', want: 'ar' },
  { locale: null, accept: 'ar;q=0', want: 'en' },
  { locale: null, accept: undefined, want: 'en' },
  { locale: 'ar', accept: 'ar', requested: 'tr', want: 'tr' },
  { locale: null, accept: 'tr', requested: 'fa-IR', want: 'fa' },
  { locale: 'tr', accept: undefined, requested: 'xx', want: 'tr' },
] satisfies { locale: string | null; accept: string | undefined; requested?: string; want: string }[])('survey language: customer $locale, Accept-Language $accept, ?lang=$requested → $want', ({ locale, accept, requested, want }) => {
  expect(chooseSurveyLanguage(locale, accept, requested)).toBe(want);
});

describe.each(dbKinds)('surveys on %s', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let app: ReturnType<typeof createApp>;
  let clock = Date.parse('2026-05-01T10:00:00Z');
  let hostile = 0;
  let arabic = 0;
  let hostileTicket = 0;
  let arabicTicket = 0;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    const row = await createAgent(testDb.conn.db, { name: 'Ada', email: 'ada@example.com', role: 'admin' }, clock);
    const { token } = await createToken(testDb.conn.db, row.id, clock);
    agent = callerFactory({ conn: testDb.conn, authorization: `Bearer ${token}`, now: () => clock, baseUrl: BASE });
    app = createApp({ db: testDb.conn, now: () => clock });

    hostile = (await agent.customers.create({ displayName: '<script>alert(1)</script> & "Bob"', identities: [{ kind: 'email', value: 'bob@example.com' }] })).id;
    arabic = (await agent.customers.create({ displayName: 'ليلى حداد', locale: 'ar', identities: [{ kind: 'email', value: 'layla@example.com' }] })).id;
    hostileTicket = (await agent.tickets.create({ customerId: hostile, subject: '<img src=x onerror=alert(2)>', channel: 'email' })).ticket.id;
    arabicTicket = (await agent.tickets.create({ customerId: arabic, subject: 'تأخر الطلب', channel: 'email' })).ticket.id;
  });

  afterAll(async () => {
    await testDb?.cleanup();
  });

  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers });

  test('a link is unguessable and the same every time it is asked for', async () => {
    const first = await agent.surveys.create({ ticketId: hostileTicket, scale: 'csat' });
    expect(first.url).toMatch(/^http:\/\/rafiq\.test\/s\/[A-Za-z0-9_-]{32}$/);
    expect(first.created).toBe(true);
    const again = await agent.surveys.create({ ticketId: hostileTicket, scale: 'csat' });
    expect(again).toMatchObject({ url: first.url, created: false, id: first.id });
    const nps = await agent.surveys.create({ ticketId: hostileTicket, scale: 'nps' });
    expect(nps.url).not.toBe(first.url);
    await expect(agent.surveys.create({ ticketId: 987_654, scale: 'csat' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('the page is a real form without scripts, escapes the customer name and the subject', async () => {
    const { url } = await agent.surveys.create({ ticketId: hostileTicket, scale: 'csat' });
    const response = await app.request(new URL(url).pathname, { headers: { 'Accept-Language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Bob&quot;');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('<html lang="en" dir="ltr">');
    expect(page).toMatch(/<form method="post">/);
    expect(page).toMatch(/<fieldset[^>]*>\s*<legend>How satisfied/);
    expect(page.match(/type="radio" name="score"/g)).toHaveLength(5);
    expect(page).toContain('<label class="comment" for="comment">');
    expect(page).toContain('<textarea id="comment" name="comment"');
    expect(page).toContain('<button type="submit">Send</button>');
  });

  test('Arabic and Persian pages are right-to-left; NPS has 0–10', async () => {
    const { url } = await agent.surveys.create({ ticketId: arabicTicket, scale: 'nps' });
    const ar = await (await app.request(new URL(url).pathname, { headers: { 'Accept-Language': 'tr' } })).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar.match(/type="radio" name="score"/g)).toHaveLength(11);
    expect(ar).toContain('value="0"');
    expect(ar).toContain('value="10"');
    // The name is isolated in <bdi> (issue 18 item 11).
    expect(ar).toContain('مرحبًا <bdi>ليلى حداد</bdi>');
    const { url: other } = await agent.surveys.create({ ticketId: hostileTicket, scale: 'nps' });
    const fa = await (await app.request(new URL(other).pathname, { headers: { 'Accept-Language': 'fa-IR,fa;q=0.9' } })).text();
    expect(fa).toContain('<html lang="fa" dir="rtl">');
    const tr = await (await app.request(new URL(other).pathname, { headers: { 'Accept-Language': 'tr' } })).text();
    expect(tr).toContain('<html lang="tr" dir="ltr">');
    // ?lang= wins over Accept-Language; the page links the other languages; digits follow the language.
    const asked = await (await app.request(`${new URL(other).pathname}?lang=ar`, { headers: { 'Accept-Language': 'tr' } })).text();
    expect(asked).toContain('<html lang="ar" dir="rtl">');
    expect(asked).toContain('<span>١٠</span>');
    expect(asked).not.toContain('<span>10</span>');
    expect(asked).toContain('href="?lang=tr"');
    expect(asked).not.toContain('href="?lang=ar"');
    const persian = await (await app.request(`${new URL(other).pathname}?lang=fa`)).text();
    expect(persian).toContain('<span>۱۰</span>');
  });

  test('an answer is recorded once, lands on the timeline, and a second answer is a friendly 409', async () => {
    const { url } = await agent.surveys.create({ ticketId: arabicTicket, scale: 'csat' });
    const path = new URL(url).pathname;
    clock = Date.parse('2026-05-02T09:00:00Z');
    const first = await post(path, { score: '2', comment: 'Took <b>three</b> days' });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('شكرًا لك');
    const second = await post(path, { score: '5', comment: 'changed my mind' });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('لقد أجبت');
    const again = await app.request(path);
    expect(again.status).toBe(200);
    expect(await again.text()).not.toContain('<form');

    const stored = await testDb.conn.db.selectFrom('surveys').selectAll().where('ticket_id', '=', arabicTicket).where('scale', '=', 'csat').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ score: 2, comment: 'Took <b>three</b> days', answered_at: Date.parse('2026-05-02T09:00:00Z'), locale: 'ar' });
    const timeline = await agent.timeline.list({ customerId: arabic, channels: ['survey'] });
    expect(timeline.items).toHaveLength(1);
    expect(timeline.items[0]).toMatchObject({ channel: 'survey', direction: 'inbound', summary: `CSAT 2/5 for ticket #${arabicTicket}`, excerpt: 'Took <b>three</b> days', ticketId: arabicTicket });

    const followUps = await agent.surveys.followUps({});
    expect(followUps.items.map((f) => [f.customerId, f.scale, f.score, f.comment])).toEqual([[arabic, 'csat', 2, 'Took <b>three</b> days']]);
    // The dashboard's range: answered in [from, before) only.
    const inRange = await agent.surveys.followUps({ answeredFrom: '2026-05-02T00:00:00Z', answeredBefore: '2026-05-03T00:00:00Z' });
    expect(inRange.items).toHaveLength(1);
    const before = await agent.surveys.followUps({ answeredFrom: '2026-04-01T00:00:00Z', answeredBefore: '2026-05-02T09:00:00Z' });
    expect(before.items).toHaveLength(0);
    const after = await agent.surveys.followUps({ answeredFrom: '2026-05-02T09:00:01Z' });
    expect(after.items).toHaveLength(0);
  });

  test('a comment is cleaned like every other text field: no NUL, bidi or zero-width character is stored (issue 18 item 1)', async () => {
    const ticket = (await agent.tickets.create({ customerId: hostile, subject: 'Comment', channel: 'email' })).ticket.id;
    const { url } = await agent.surveys.create({ ticketId: ticket, scale: 'csat' });
    // The survey form is public: whoever holds the link writes this text.
    const answer = await post(new URL(url).pathname, { score: '3', comment: ' late\u0000 \u202ebox\u200b\r\nsecond line\u0007 ' });
    expect(answer.status).toBe(200);
    const stored = await testDb.conn.db.selectFrom('surveys').select('comment').where('ticket_id', '=', ticket).executeTakeFirstOrThrow();
    expect(stored.comment).toBe('late box\nsecond line');
    const excerpts = await testDb.conn.db.selectFrom('interactions').select('excerpt').where('channel', '=', 'survey').where('ticket_id', '=', ticket).execute();
    expect(excerpts).toEqual([{ excerpt: 'late box\nsecond line' }]);
    // Only invisible characters is no comment at all.
    const other = (await agent.tickets.create({ customerId: hostile, subject: 'Blank', channel: 'email' })).ticket.id;
    const blank = await agent.surveys.create({ ticketId: other, scale: 'csat' });
    await post(new URL(blank.url).pathname, { score: '4', comment: '\u200b\u0000' });
    expect((await testDb.conn.db.selectFrom('surveys').select('comment').where('ticket_id', '=', other).executeTakeFirstOrThrow()).comment).toBeNull();
  });

  test('two answers racing each other store one', async () => {
    const other = (await agent.tickets.create({ customerId: hostile, subject: 'Race', channel: 'email' })).ticket.id;
    const { url } = await agent.surveys.create({ ticketId: other, scale: 'csat' });
    const path = new URL(url).pathname;
    const statuses = (await Promise.all([post(path, { score: '4' }), post(path, { score: '1' })])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const answers = await testDb.conn.db.selectFrom('interactions').select('id').where('channel', '=', 'survey').where('ticket_id', '=', other).execute();
    expect(answers).toHaveLength(1);
  });

  test('a tampered or unknown token is a 404 and stores nothing', async () => {
    const ticket = (await agent.tickets.create({ customerId: hostile, subject: 'Tamper', channel: 'email' })).ticket.id;
    const { url } = await agent.surveys.create({ ticketId: ticket, scale: 'csat' });
    const token = new URL(url).pathname.slice(3);
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [flipped, token.slice(0, -1), `${token}x`, token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(), '..%2F..%2Fetc', "x' or '1'='1"]) {
      const get = await app.request(`/s/${encodeURIComponent(bad)}`);
      expect(get.status).toBe(404);
      const answer = await post(`/s/${encodeURIComponent(bad)}`, { score: '1', comment: 'forged' });
      expect(answer.status).toBe(404);
    }
    const stored = await testDb.conn.db.selectFrom('surveys').select(['score', 'answered_at']).where('ticket_id', '=', ticket).executeTakeFirstOrThrow();
    expect(stored).toEqual({ score: null, answered_at: null });
    const forged = await testDb.conn.db.selectFrom('interactions').select('id').where('excerpt', '=', 'forged').execute();
    expect(forged).toEqual([]);
    // The real link still works afterwards.
    expect((await post(`/s/${token}`, { score: '3' })).status).toBe(200);
  });

  test('a score outside the scale re-shows the form with an error and stores nothing', async () => {
    const ticket = (await agent.tickets.create({ customerId: hostile, subject: 'Bad score', channel: 'email' })).ticket.id;
    const { url } = await agent.surveys.create({ ticketId: ticket, scale: 'csat' });
    const path = new URL(url).pathname;
    for (const score of ['0', '6', 'abc', '', '4.5']) {
      const response = await post(path, { score }, { 'Accept-Language': 'en' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('role="alert"');
    }
    const stored = await testDb.conn.db.selectFrom('surveys').select('answered_at').where('ticket_id', '=', ticket).executeTakeFirstOrThrow();
    expect(stored.answered_at).toBeNull();
  });

  test('{{survey.link}} in a reply template links the latest resolved ticket, reusing its survey', async () => {
    const customer = (await agent.customers.create({ displayName: 'Omar', identities: [{ kind: 'email', value: 'omar@example.com' }] })).id;
    const body = 'Thanks! Tell us how we did: {{survey.link}}';
    await expect(agent.replies.render({ body, customerId: customer })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await agent.replies.render({ body: 'Hi {{survey.link | there}}', customerId: customer })).text).toBe('Hi there');

    const older = (await agent.tickets.create({ customerId: customer, subject: 'Old', channel: 'email' })).ticket.id;
    const newer = (await agent.tickets.create({ customerId: customer, subject: 'New', channel: 'email' })).ticket.id;
    clock = Date.parse('2026-05-03T09:00:00Z');
    await agent.tickets.update({ id: newer, status: 'resolved' });
    clock = Date.parse('2026-05-03T10:00:00Z');
    await agent.tickets.update({ id: older, status: 'resolved' });

    const first = await agent.replies.render({ body, customerId: customer });
    const second = await agent.replies.render({ body, customerId: customer });
    expect(second.text).toBe(first.text);
    const survey = await agent.surveys.create({ ticketId: older, scale: 'csat' });
    expect(survey.created).toBe(false);
    expect(first.text).toBe(`Thanks! Tell us how we did: ${survey.url}`);
    // A template without the variable makes no survey.
    const before = await testDb.conn.db.selectFrom('surveys').select('id').execute();
    await agent.replies.render({ body: 'Hello {{customer.firstName}}', customerId: customer });
    expect(await testDb.conn.db.selectFrom('surveys').select('id').execute()).toHaveLength(before.length);
  });
});
