// Answer faster (issue 22), API side on both databases: language variants of a template chosen by
// the customer's locale or the message's language, shortcut expansion with missing values left
// null (the extension asks), suggestions ranked from history and templates with citations, and
// replies recorded through Rafiq feeding the history.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appRouter } from '../../../api/router';
import { createCallerFactory } from '../../../api/trpc';
import { createAgent, createToken } from '../../../api/modules/agents/agents.repository';
import { historyTerms } from '../../../api/modules/replies/replies.history';
import { detectLanguage, pickVariant } from '@shared/reply-language';
import { createTestDb, dbKinds, type TestDb } from '../test-db';

const callerFactory = createCallerFactory(appRouter);
type Caller = ReturnType<typeof callerFactory>;

test.each([
  ['My order has not arrived yet, where is it?', 'en'],
  ['سفارشم هنوز نرسیده، کی می‌رسد؟', 'fa'],
  ['لم يصل طلبي بعد، متى سيصل؟', 'ar'],
  ['Siparişim hâlâ gelmedi, nerede?', 'tr'],
  ['siparisim gelmedi ve kargo nerede', 'tr'],
  ['سلام، order R-10042 من کجاست؟', 'fa'],
  ['12345', null],
] as const)('detectLanguage(%s) → %s', (text, want) => {
  expect(detectLanguage(text)).toBe(want);
});

test('variant: customer locale first, then the message language, then the default', () => {
  const variants = [
    { language: 'en', body: 'en' },
    { language: 'fa', body: 'fa' },
    { language: 'tr', body: 'tr' },
  ];
  expect(pickVariant(variants, { customerLocale: 'tr-TR', messageText: 'سفارشم کجاست' }, variants[0]!).body).toBe('tr');
  expect(pickVariant(variants, { customerLocale: null, messageText: 'سفارشم کجاست' }, variants[0]!).body).toBe('fa');
  expect(pickVariant(variants, { customerLocale: 'de', messageText: 'لم يصل طلبي' }, variants[0]!).body).toBe('en');
});

test('history terms fold like customer search and keep word stems', () => {
  expect(historyTerms('Siparişimi İADE etmek istiyorum')).toEqual(expect.arrayContaining(['siparisimi', 'sipar', 'iade', 'istiyorum', 'istiy']));
  expect(historyTerms('أرسلوا الطلب')).toEqual(expect.arrayContaining(['ارسلوا', 'طلب']));
  expect(historyTerms('کی می‌رسد')).toEqual(historyTerms('كي مي رسد'));
});

describe.each(dbKinds)('replies on %s', (kind) => {
  let testDb: TestDb;
  let admin: Caller;
  let clock = Date.parse('2026-06-01T10:00:00Z');
  let zahra = 0;
  let ayse = 0;
  let fresh = 0;
  let refund = 0;
  let delay = 0;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    const row = await createAgent(testDb.conn.db, { name: 'Sara Ahmed', email: 'sara@shop.example', role: 'admin' }, clock);
    const { token } = await createToken(testDb.conn.db, row.id, clock);
    admin = callerFactory({ conn: testDb.conn, authorization: `Bearer ${token}`, now: () => (clock += 1000), baseUrl: 'http://rafiq.test' });
    zahra = (await admin.customers.create({ displayName: 'Zahra Ahmadi', locale: 'fa', identities: [{ kind: 'email', value: 'zahra@example.com' }] })).id;
    ayse = (await admin.customers.create({ displayName: 'Ayşe Kaya', identities: [{ kind: 'x', value: '@aysek' }] })).id;
    fresh = (await admin.customers.create({ displayName: 'New Person', identities: [{ kind: 'email', value: 'new@example.com' }] })).id;
    refund = (await admin.replies.create({ name: 'Refund sent', shortcut: 'refund', body: 'Hi {{customer.firstName | there}}, the refund for {{order.number}} is on its way.{{cursor}} — {{agent.name}}', language: 'en' })).id;
    await admin.replies.setVariant({ templateId: refund, language: 'fa', body: 'سلام {{customer.firstName}}، مبلغ سفارش {{order.number}} بازگردانده شد. {{cursor}}' });
    await admin.replies.setVariant({ templateId: refund, language: 'tr', body: 'Merhaba {{customer.firstName}}, {{order.number}} siparişinizin iadesi yapıldı.' });
    delay = (await admin.replies.create({ name: 'Delivery delayed', shortcut: 'late', body: 'Sorry, your parcel is delayed by the courier; it will arrive within two days.', language: 'en' })).id;
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  test('expand: the customer’s locale picks the variant; no order yet is a null value to ask for', async () => {
    const out = await admin.replies.expand({ shortcut: ';refund', customerId: zahra, incoming: 'Where is my refund?' });
    expect(out.language).toBe('fa');
    expect(out.body).toContain('مبلغ سفارش');
    expect(out.values['customer.firstName']).toBe('Zahra');
    expect(out.values['order.number'] ?? null).toBeNull();
    expect(out.values['agent.name']).toBe('Sara Ahmed');
    expect(out.languages.sort()).toEqual(['en', 'fa', 'tr']);
  });

  test('expand: without a locale the message’s language picks the variant', async () => {
    const out = await admin.replies.expand({ shortcut: 'refund', customerId: ayse, incoming: 'İadem hâlâ yatmadı, ne zaman gelecek?' });
    expect(out.language).toBe('tr');
    const none = await admin.replies.expand({ shortcut: 'refund', customerId: null, incoming: null });
    expect(none.language).toBe('en');
    expect(none.values['customer.name']).toBeUndefined();
  });

  test('expand: unknown shortcut is NOT_FOUND; a variant with a misspelt slot is refused naming the field', async () => {
    await expect(admin.replies.expand({ shortcut: 'nope', customerId: null })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(admin.replies.setVariant({ templateId: refund, language: 'ar', body: 'مرحبا {{customer.first_name}}' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.replies.setVariant({ templateId: refund, language: 'Arabic!', body: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  test('suggest: a recorded reply to a similar message comes back first, citing ticket, date and agent', async () => {
    const ticket = (await admin.tickets.create({ customerId: ayse, subject: 'Kargo gecikti', channel: 'x' })).ticket.id;
    await admin.replies.recordUse({ customerId: ayse, ticketId: ticket, channel: 'x', incoming: 'Kargom üç gündür yolda, hâlâ gelmedi', reply: 'Kargonuz yarın teslim edilecek, gecikme için özür dileriz.', source: 'logged' });
    await admin.replies.recordUse({ customerId: fresh, channel: 'email', incoming: 'I want my money back for the broken blender', templateId: refund, reply: 'Hi New, the refund…', source: 'template' });
    const tr = await admin.replies.suggest({ customerId: null, channel: 'x', incoming: 'Kargom hâlâ gelmedi, yolda mı?' });
    expect(tr[0]).toMatchObject({ kind: 'history', text: 'Kargonuz yarın teslim edilecek, gecikme için özür dileriz.', source: { ticketId: ticket, agentName: 'Sara Ahmed' } });
    expect(Date.parse(tr[0]!.source!.at)).toBeGreaterThan(Date.parse('2026-06-01'));

    const en = await admin.replies.suggest({ customerId: zahra, channel: 'email', incoming: 'The blender was broken, I want my money back' });
    expect(en[0]).toMatchObject({ kind: 'template', templateId: refund, shortcut: 'refund', language: 'fa' });
    // Filled for this customer in her language; the missing order number is a visible marker.
    expect(en[0]!.text).toBe('سلام Zahra، مبلغ سفارش [order.number] بازگردانده شد. ');
    expect(en.length).toBeLessThanOrEqual(3);
  });

  test('suggest: a template nobody used yet is found by its own words', async () => {
    const out = await admin.replies.suggest({ customerId: null, channel: 'email', incoming: 'my parcel is delayed, the courier says two more days?' });
    expect(out.map((s) => s.templateId)).toContain(delay);
  });

  test('recordUse: empty incoming records nothing; bad input names the field', async () => {
    expect(await admin.replies.recordUse({ customerId: null, channel: 'email', incoming: '   ', reply: 'x', source: 'snippet' })).toEqual({ recorded: false });
    await expect(admin.replies.recordUse({ customerId: 999_999, channel: 'email', incoming: 'hi there', reply: 'x', source: 'snippet' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(admin.replies.suggest({ customerId: null, channel: 'fax' as never, incoming: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  test('the baseline is the latest template of the channel', async () => {
    expect(await admin.replies.latestOfChannel({ channel: 'email' })).toBe(refund);
    expect(await admin.replies.latestOfChannel({ channel: 'call' })).toBeNull();
  });

  test('a reply the agent wrote and sent (logged, no template, no ticket) is suggested for a similar message, citing agent and date', async () => {
    const sent = 'Sorry about that! The code WELCOME10 only works on full-price items; I have applied the discount to your order by hand.';
    const recorded = await admin.replies.recordUse({ customerId: fresh, channel: 'email', incoming: 'Your discount code WELCOME10 does not work at checkout', reply: sent, source: 'logged' });
    expect(recorded).toMatchObject({ recorded: true });
    const out = await admin.replies.suggest({ customerId: zahra, channel: 'email', incoming: 'The discount code is not working at checkout, can you help?' });
    expect(out[0]).toMatchObject({ kind: 'history', templateId: null, text: sent, source: { ticketId: null, agentName: 'Sara Ahmed', sameCustomer: false } });
    const unrelated = await admin.replies.suggest({ customerId: null, channel: 'email', incoming: 'Can I change the delivery address?' });
    expect(unrelated.map((s) => s.text)).not.toContain(sent);
  });
});
