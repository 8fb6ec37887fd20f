// customers.search on PostgreSQL moved from `terms @@ 'lay':* & 'had':*` over a GIN index to the
// `customer_terms` (term, customer id) rows (issue 20, search-index.ts `searchPostgres`). The answer
// must not change: the same customers, in the same order, paged by the same cursor. Checked here on
// both databases against a reference computed in JS from the index sources, on PostgreSQL also
// against the old `@@` query itself, with every search path forced by small thresholds, over
// customers written by every writer of the index (import, create, update, link, unlink, note,
// merge, unmerge, erase).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importCustomersCsv } from '../../../api/modules/customers/import';
import { loadIndexSources, searchCustomerIds, searchTermsOf, searchWords, type SearchTuning } from '../../../api/modules/customers/search-index';
import { createTestDb, dbKinds, type TestDb } from '../test-db';
import { identityCallers, type Caller } from '../identity-helpers';

const PEOPLE: [string, string, string, string][] = [
  // name, first, last (as an e-mail spells them), phone country prefix
  ['Layla', 'Haddad', 'layla', '+97150'],
  ['ليلى', 'حداد', 'layla', '+97155'],
  ['محمد', 'العلي', 'mohammad', '+96650'],
  ['نور', 'الزين', 'nour', '+96279'],
  ['مریم', 'رضایی', 'maryam', '+98912'],
  ['رضا', 'احمدی', 'reza', '+98935'],
  ['Ayşe', 'Yılmaz', 'ayse', '+90532'],
  ['Mehmet', 'Öztürk', 'mehmet', '+90505'],
  ['İbrahim', 'Kaya', 'ibrahim', '+90542'],
  ['John', 'Brown', 'john', '+4477'],
  ['Emily', 'Smith', 'emily', '+1415'],
  ['Zeynep', 'Çelik', 'zeynep', '+90533'],
];
const LATIN_LAST = ['haddad', 'alali', 'alzein', 'rezaei', 'ahmadi', 'yilmaz', 'ozturk', 'kaya', 'brown', 'smith', 'celik'];
const DOMAINS = ['example.com', 'shop.example.org', 'example.com.tr', 'example.ae'];

/** Row i of the CSV: names mixed across scripts, most with an e-mail, some a phone, a handle, an order. */
function row(i: number): string {
  const [first, , latinFirst, phonePrefix] = PEOPLE[i % PEOPLE.length]!;
  const last = PEOPLE[(i * 5 + 3) % PEOPLE.length]![1];
  const email = i % 7 === 6 ? '' : `${latinFirst}.${LATIN_LAST[i % LATIN_LAST.length]}.${i * 13}@${DOMAINS[i % DOMAINS.length]}`;
  const phone = i % 3 === 0 ? `${phonePrefix}${String(1_000_000 + ((i * 7919) % 8_999_999)).slice(0, 7)}` : '';
  const handle = i % 4 === 1 ? `@${latinFirst}_${i.toString(36)}` : '';
  const order = i % 2 === 0 || !email ? `ORD-${String(i * 37).padStart(6, '0')}` : '';
  return [`${first} ${last}`, email, phone, handle, order, order ? 'paid' : '', order ? '12.50' : '', order ? 'EUR' : '', order ? '2026-10-01' : ''].join(',');
}
const HEADER = 'name,email,phone,x,order_number,order_status,order_total,order_currency,order_placed_at';

async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** The answer every search must give: customers with a term starting with each word, by id, after the cursor. */
function reference(documents: Map<number, string[]>, query: string, limit: number, afterId: number): number[] {
  const words = [...new Set(searchWords(query))].slice(0, 8);
  if (!words.length) return [];
  return [...documents.entries()]
    .filter(([id, terms]) => id > afterId && words.every((w) => terms.some((t) => t.startsWith(w))))
    .map(([id]) => id)
    .sort((a, b) => a - b)
    .slice(0, limit);
}

describe.each(dbKinds)('customers.search gives the same answer through the terms rows (%s)', (kind) => {
  let testDb: TestDb;
  let agent: Caller;
  let admin: Caller;
  let erased = 0;
  const documents = new Map<number, string[]>();
  const clock = Date.parse('2026-12-07T06:00:00Z');

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    ({ agent, admin } = await identityCallers(testDb, () => clock));
    // Import (new customers indexed from the batch), in small batches.
    const csv = [HEADER, ...Array.from({ length: 240 }, (_, i) => row(i + 1))].join('\r\n');
    const summary = await importCustomersCsv(testDb.conn, bytesOf(csv), { dryRun: false, now: clock, agentId: null, batchSize: 25 });
    expect(summary.created).toBeGreaterThan(200);
    // A re-import that adds identities and orders to existing customers (re-indexed).
    const more = [HEADER, `Layla Haddad,${row(1).split(',')[1]},+971509990001,@layla_again,ORD-777001,paid,1,EUR,2026-10-02`].join('\r\n');
    expect(await importCustomersCsv(testDb.conn, bytesOf(more), { dryRun: false, now: clock, agentId: null, batchSize: 25 })).toMatchObject({ updated: 1 });

    // Every other writer of the index.
    const created = await agent.customers.create({ displayName: 'Şükrü Ağaoğlu', identities: [{ kind: 'email', value: 'sukru@agaoglu.example.com.tr' }] });
    await agent.customers.update({ id: created.id, patch: { displayName: 'Şükrü Ağaoğlu Demir' } });
    const { identity } = await agent.identities.link({ customerId: created.id, identity: { kind: 'x', value: '@sukru_d' } });
    await agent.identities.link({ customerId: created.id, identity: { kind: 'phone', value: '+905321112233' } });
    await agent.identities.unlink({ identityId: identity.id });
    await agent.notes.add({ customerId: created.id, body: 'Prefers Persian: خانم کریمی called about سفارش 4411' });
    const a = await agent.customers.create({ displayName: 'Omar Farouk', identities: [{ kind: 'email', value: 'omar.farouk@example.ae' }] });
    const b = await agent.customers.create({ displayName: 'عمر فاروق', identities: [{ kind: 'x', value: '@omar_farouk' }] });
    const c = await agent.customers.create({ displayName: 'Omar Faruk', identities: [{ kind: 'email', value: 'omar.faruk@example.com' }] });
    await agent.customers.merge({ survivorId: a.id, mergedId: b.id });
    const undone = await agent.customers.merge({ survivorId: a.id, mergedId: c.id });
    await agent.customers.unmerge({ mergeId: undone.merge.id });
    const gone = await agent.customers.create({ displayName: 'Erased Person', identities: [{ kind: 'email', value: 'erased.person@example.com' }, { kind: 'phone', value: '+971501112299' }] });
    await admin.customers.erase({ id: gone.id });
    erased = gone.id;

    const ids = (await testDb.conn.db.selectFrom('customers').select('id').execute()).map((r) => r.id);
    for (const source of await loadIndexSources(testDb.conn.db, ids)) documents.set(source.id, searchTermsOf(source));
  }, 120_000);
  afterAll(async () => {
    await testDb?.cleanup();
  });

  /** Queries as agents type them: prefixes in each script, whole words, several words, e-mails, phones, order numbers. */
  function queries(): string[] {
    const out = new Set<string>([
      'l', 'la', 'lay', 'Layla', 'LAYLA HAD', 'had lay', 'ل', 'لي', 'ليلى', 'ليلى حد', 'حداد', 'زين', 'الزين', 'محمد العلي',
      'مر', 'مریم', 'رضا', 'رضایی مریم', 'ay', 'Ayşe', 'ayse', 'AYŞE YIL', 'yılmaz', 'ibr', 'İbrahim', 'öz', 'Öztürk', 'ozturk',
      'çel', 'Şükrü', 'sukru', 'ağaoğlu demir', 'john', 'jo br', 'emily smith', 'layla mehmet', 'mehmet layla ord',
      'o', 'or', 'ord', 'ORD-0', 'ORD-00', 'ORD-000', 'ORD-0003', 'ORD-000370', 'ord 1', '00', '1', '13', '1300',
      'layla.haddad', 'layla.haddad.13@shop', 'reza.rezaei', '@reza', 'example', 'exa', 'com tr', 'example.ae',
      '+97150', '050', '97155', '0532', '+90 532', '5', '905321112233', 'omar', 'omar far', 'عمر', 'فاروق', 'faruk',
      'erased', 'erased.person', '971501112299', 'سفارش', 'کریمی 4411', 'persian', 'zzz', 'layla zzz', 'xq',
      "o'brien", 'a & b | !c :*', "'lay':*", '--', '   ', 'a b c d e f g h i j', '\\', ':*',
    ]);
    for (const terms of [...documents.values()].filter((_, i) => i % 17 === 0)) {
      for (const t of terms.slice(0, 6)) out.add(t).add(t.slice(0, 2)).add(t.slice(0, Math.ceil(t.length / 2)));
      if (terms.length > 2) out.add(`${terms[0]} ${terms[terms.length - 1]!.slice(0, 3)}`);
    }
    return [...out];
  }

  const tunings: (SearchTuning | undefined)[] =
    kind === 'postgres'
      ? [
          undefined,
          { rareWordRows: 1_000_000, denseWindow: 20_000 }, // always from the rarest word
          { rareWordRows: 1, denseWindow: 100_000 }, // always in id order, one window
          { rareWordRows: 1, denseWindow: 7 }, // in id order, then the intersection after the window
          { rareWordRows: 4, denseWindow: 3 },
        ]
      : [undefined];

  test.each(tunings.map((tuning) => ({ tuning, name: JSON.stringify(tuning ?? 'default') })))('every page of every query, tuning $name', async ({ tuning }) => {
    let compared = 0;
    for (const query of queries()) {
      for (const limit of [1, 5, 21]) {
        let after = 0;
        for (let page = 0; page < 6; page++) {
          const got = await searchCustomerIds(testDb.conn.db, query, limit, after, tuning);
          expect(got, `${query} limit ${limit} after ${after}`).toEqual(reference(documents, query, limit, after));
          compared++;
          if (got.length < limit) break;
          after = got[got.length - 1]!;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  }, 120_000);

  // PostgreSQL only: SQLite keeps its FTS5 index and has no terms rows.
  if (kind === 'postgres') {
    test('the old `@@` query over the documents gives the same pages', async () => {
      for (const query of queries()) {
        const words = [...new Set(searchWords(query))].slice(0, 8);
        if (!words.length) continue;
        const tsquery = words.map((w) => `'${w}':*`).join(' & ');
        for (const after of [0, 60, 200]) {
          const old = await sql<{ customer_id: number }>`select customer_id from customer_search
            where terms @@ ${tsquery}::tsquery and customer_id > ${after} order by customer_id limit ${21}`.execute(testDb.conn.db);
          expect(await searchCustomerIds(testDb.conn.db, query, 21, after), query).toEqual(old.rows.map((r) => r.customer_id));
        }
      }
    }, 120_000);

    test('the terms rows are exactly the words of the documents, and an erased customer has none', async () => {
      const extra = await sql`select term, customer_id from customer_terms
        except select unnest(tsvector_to_array(terms)), customer_id from customer_search`.execute(testDb.conn.db);
      const missing = await sql`select unnest(tsvector_to_array(terms)), customer_id from customer_search
        except select term, customer_id from customer_terms`.execute(testDb.conn.db);
      expect(extra.rows).toEqual([]);
      expect(missing.rows).toEqual([]);
      const total = await sql<{ n: number }>`select count(*)::int as n from customer_terms`.execute(testDb.conn.db);
      expect(total.rows[0]!.n).toBe([...documents.values()].reduce((sum, terms) => sum + terms.length, 0));
      expect(await testDb.conn.db.selectFrom('customer_terms').select('term').where('customer_id', '=', erased).execute()).toEqual([]);
    });
  }

  test('the procedure pages with the cursor and answers odd input without an error', async () => {
    const first = await agent.customers.search({ query: 'layla', limit: 5 });
    expect(first.items.map((c) => c.id)).toEqual(reference(documents, 'layla', 5, 0));
    const second = await agent.customers.search({ query: 'layla', limit: 5, cursor: first.nextCursor });
    expect(second.items.map((c) => c.id)).toEqual(reference(documents, 'layla', 5, Number(first.nextCursor)));
    for (const query of ["'", '&|!', "\\' :* & ('x'", '%_', '\u{10FFFF}', 'ي\u0000'.slice(0, 1)]) {
      await expect(agent.customers.search({ query, limit: 5 })).resolves.toMatchObject({ items: expect.any(Array) });
    }
    await expect(agent.customers.search({ query: 'layla', limit: 5, cursor: 'not-a-cursor' })).resolves.toMatchObject({ items: expect.any(Array) });
  });
});
