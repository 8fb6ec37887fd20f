import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Review } from '@shared/page-context';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, type Caller } from '../identity-helpers';

/**
 * Issue 17, "the right person in the data", through the real procedures on SQLite and
 * PostgreSQL: placeholder and masked reviewer names never become a name identity and are never
 * suggested as someone.
 */

const review = (over: Partial<Review>): Review => ({
  site: 'amazon',
  reviewId: 'R1',
  permalink: null,
  reviewerName: 'Amazon Customer',
  reviewerProfileUrl: null,
  rating: { value: 1, best: 5, worst: 1 },
  title: 'Broke after a week',
  text: 'The handle broke after a week.',
  date: { iso: null, raw: null, yearKnown: false },
  status: null,
  business: { name: 'Rafiq Shop', url: null },
  tags: [],
  language: null,
  ...over,
});

describe.each(dbKinds)('placeholder reviewer names (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  const clock = Date.parse('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent } = await identityCallers(testDb, () => clock));
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  test('two anonymous complaints make two customers with no identity; a repeat click makes nothing new', async () => {
    const pageUrl = 'https://www.amazon.com/product-reviews/B0TEST';
    const first = await agent.complaints.log({ review: review({ reviewId: 'R-anon-1' }), pageUrl });
    const second = await agent.complaints.log({ review: review({ reviewId: 'R-anon-2', reviewerName: 'M***** K.' }), pageUrl });
    const again = await agent.complaints.log({ review: review({ reviewId: 'R-anon-1' }), pageUrl });
    expect(first.customerId).not.toBe(second.customerId);
    expect(again).toMatchObject({ created: false, customerId: first.customerId, ticket: { id: first.ticket.id } });
    const identities = await testDb.conn.db.selectFrom('identities').selectAll().where('customer_id', 'in', [first.customerId, second.customerId]).execute();
    expect(identities).toEqual([]);
    expect(await testDb.conn.db.selectFrom('customers').select('id').where('display_name', '=', 'Amazon Customer').execute()).toHaveLength(1);
  });

  test('a real reviewer name on a site without profile links still becomes the name identity', async () => {
    const logged = await agent.complaints.log({ review: review({ site: 'sikayetvar', reviewId: 'S-1', reviewerName: 'Mehmet Yılmaz' }), pageUrl: 'https://www.sikayetvar.com/rafiq' });
    const identities = await testDb.conn.db.selectFrom('identities').select(['kind', 'normalized']).where('customer_id', '=', logged.customerId).execute();
    expect(identities).toEqual([{ kind: 'sikayetvar', normalized: 'name:mehmet yilmaz' }]);
  });

  test.each(['Amazon Customer', 'A Google user', 'Kunde', 'Bir Google kullanıcısı', 'عميل أمازون', 'کاربر گوگل', 'M***** K.', '***'])(
    'a reviewer shown as %j is never suggested as anyone, nor anyone as them',
    async (name) => {
      await agent.customers.create({ displayName: name === '***' ? 'Karim Mansour' : 'Mehmet Kaya', identities: [{ kind: 'email', value: `someone-${Math.random()}@example.org` }] });
      const byName = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@anon_probe' }], name });
      expect(byName.customer).toBeNull();
      expect(byName.suggestions).toEqual([]);
      // The anonymous complaint customer above ("Amazon Customer") is never offered for the next one.
      const another = await agent.customers.lookup({ identities: [{ kind: 'email', value: 'someone.new@example.net' }], name: 'Amazon Customer' });
      expect(another.suggestions).toEqual([]);
    },
  );

  test('a placeholder sent as a name identity is refused with the field and the reason', async () => {
    await expect(agent.customers.lookup({ identities: [{ kind: 'amazon', value: 'Amazon Customer' }] })).rejects.toThrow(/identities\.0.*placeholder/);
  });
});

describe.each(dbKinds)('suggestions across Cyrillic and Greek (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  const clock = Date.parse('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent } = await identityCallers(testDb, () => clock));
  });
  afterAll(async () => {
    await testDb?.cleanup();
  });

  test.each([
    ['Ivan Petrov', 'Иван Петров'],
    ['Giorgos Papadopoulos', 'Γιώργος Παπαδόπουλος'],
  ])('%s: the exact spelling ranks first, %s is suggested below it, nothing links', async (latin, other) => {
    const exact = await agent.customers.create({ displayName: latin, identities: [{ kind: 'email', value: `${Math.random()}@a.example` }] });
    const romanized = await agent.customers.create({ displayName: other, identities: [{ kind: 'email', value: `${Math.random()}@b.example` }] });
    const answer = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@translit_probe' }], name: latin });
    expect(answer.customer).toBeNull();
    expect(answer.suggestions.map((s) => s.customer.id)).toEqual([exact.id, romanized.id]);
    expect(answer.suggestions[0]!.score).toBeGreaterThan(answer.suggestions[1]!.score);
    expect(answer.suggestions[1]!.reasons.map((r) => r.code)).toContain('other-script');
    // And the other way round: the Cyrillic / Greek spelling finds the Latin one.
    const back = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@translit_back' }], name: other });
    expect(back.suggestions[0]!.customer.id).toBe(romanized.id);
    expect(back.suggestions.map((s) => s.customer.id)).toContain(exact.id);
  });

  test('two people who share only given names are not suggested', async () => {
    await agent.customers.create({ displayName: 'Anna Maria Müller', identities: [{ kind: 'email', value: 'anna.mueller@example.de' }] });
    await agent.customers.create({ displayName: 'Mohammed Ali Khoury', identities: [{ kind: 'email', value: 'm.khoury@example.org' }] });
    for (const name of ['Anna Maria Schmidt', 'Mohammed Ali Haddad', 'محمد علي حداد', 'Мухаммад Али Хаддад']) {
      const answer = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@given_probe' }], name });
      expect(answer.suggestions, name).toEqual([]);
    }
    // The same given names with the same family name still are.
    const same = await agent.customers.lookup({ identities: [{ kind: 'x', value: '@given_probe' }], name: 'Мухаммад Али Хури' });
    expect(same.suggestions.map((s) => s.customer.displayName)).toEqual(['Mohammed Ali Khoury']);
  });
});
