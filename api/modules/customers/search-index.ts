import { PostgresAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { foldName } from '@shared/normalize';
import { companyDomainOfEmail, domainOfCompany, nameKeys } from '@shared/name-match';
import type { Database, Db } from '../../db/database';

/**
 * The derived indexes of customers, kept in step by every writer in this module (create,
 * update, link, unlink, note add, merge, unmerge, import, erase) and rebuilt for customers that
 * bypassed them (the demo seed) at start by `indexMissingCustomers`:
 *
 * - `customer_search`: folded words of the name, identities, order numbers and notes.
 *   ONE query function, `searchCustomerIds`, over SQLite FTS5 or, on PostgreSQL, the
 *   `customer_terms` (term, customer id) rows of the same words, checked against the tsvector.
 * - `customer_match_keys`: `nameKeys` of the display name plus company e-mail domains, for
 *   suggestions and the duplicates finder.
 */

export const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * `column in (values)`. On PostgreSQL one array parameter (`= any($1)`): a list of every length
 * is then one statement text, prepared once per connection (api/db/connection.ts), where
 * `in ($1, …, $140)` was a new text, parsed and planned again, for each count of candidates.
 */
export function inList(db: Db, column: string, values: readonly number[] | readonly string[]): RawBuilder<SqlBool> {
  if (!isPostgres(db)) return sql<SqlBool>`${sql.ref(column)} in (${sql.join([...values])})`;
  return typeof values[0] === 'string' ? sql<SqlBool>`${sql.ref(column)} = any(${[...values]}::text[])` : sql<SqlBool>`${sql.ref(column)} = any(${[...values]}::int[])`;
}

const MAX_TERMS = 2000;
/** First key of the per-customer advisory lock that serializes re-indexing on PostgreSQL. */
const INDEX_LOCK = 0x524651;
const MAX_NOTE_CHARS = 20_000;

/** Words as both indexes and queries see them: folded, split on anything not a letter or digit. */
export function searchWords(text: string): string[] {
  return foldName(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export interface IndexSource {
  id: number;
  display_name: string;
  company: string | null;
  identities: { kind: string; value: string; normalized: string }[];
  orderNumbers: string[];
  notes: string[];
}

function identityWords(identity: IndexSource['identities'][number]): string[] {
  const { kind, value, normalized } = identity;
  if (kind === 'phone') {
    const digits = normalized.replace(/\D/g, '');
    // "+971 50 123 4567" is also typed as "050 123 4567" or "50 123…": country codes are 1–3 digits.
    return [digits, digits.slice(1), digits.slice(2), digits.slice(3), `0${digits.slice(3)}`, `0${digits.slice(2)}`];
  }
  if (normalized.startsWith('name:')) return searchWords(normalized.slice(5));
  if (/^https?:\/\//.test(normalized)) {
    try {
      const url = new URL(normalized);
      return searchWords(`${url.pathname} ${url.search}`);
    } catch {
      return [];
    }
  }
  return [...searchWords(normalized), ...(value.toLowerCase() === normalized ? [] : searchWords(value))];
}

export function searchTermsOf(source: IndexSource): string[] {
  const words = new Set<string>();
  for (const word of searchWords(source.display_name)) {
    words.add(word);
    // "الزين" is also found as "زين": the article is glued to Arabic surnames.
    if (word.length >= 4 && word.startsWith('ال')) words.add(word.slice(2));
  }
  for (const identity of source.identities) for (const w of identityWords(identity)) words.add(w);
  for (const number of source.orderNumbers) for (const w of searchWords(number)) words.add(w);
  let budget = MAX_NOTE_CHARS;
  for (const note of source.notes) {
    if (budget <= 0) break;
    for (const w of searchWords(note.slice(0, budget))) words.add(w);
    budget -= note.length;
  }
  return [...words].filter((w) => w.length <= 200).slice(0, MAX_TERMS);
}

export function matchKeysOf(source: IndexSource): string[] {
  const keys = new Set(nameKeys(source.display_name));
  const companyDomain = domainOfCompany(source.company);
  if (companyDomain) keys.add(`d:${companyDomain}`);
  for (const identity of source.identities) {
    if (identity.kind !== 'email') continue;
    const domain = companyDomainOfEmail(identity.normalized);
    if (domain) keys.add(`d:${domain}`);
  }
  return [...keys];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads what the indexes need for these customers (4 queries whatever the count). */
export async function loadIndexSources(db: Db, ids: readonly number[]): Promise<IndexSource[]> {
  if (!ids.length) return [];
  const sources = new Map<number, IndexSource>();
  for (const part of chunks(ids, 5000)) {
    const customers = await db.selectFrom('customers').select(['id', 'display_name', 'company']).where('id', 'in', part).execute();
    for (const c of customers) sources.set(c.id, { ...c, identities: [], orderNumbers: [], notes: [] });
    const identities = await db.selectFrom('identities').select(['customer_id', 'kind', 'value', 'normalized']).where('customer_id', 'in', part).execute();
    for (const i of identities) sources.get(i.customer_id)?.identities.push(i);
    const orders = await db.selectFrom('orders').select(['customer_id', 'number']).where('customer_id', 'in', part).execute();
    for (const o of orders) sources.get(o.customer_id)?.orderNumbers.push(o.number);
    const notes = await db.selectFrom('notes').select(['customer_id', 'body']).where('customer_id', 'in', part).orderBy('id').execute();
    for (const n of notes) sources.get(n.customer_id)?.notes.push(n.body);
  }
  return [...sources.values()];
}

/** Removes customers from both indexes (the rows may already be gone). */
export async function unindexCustomers(db: Db, ids: readonly number[]): Promise<void> {
  for (const part of chunks(ids, 5000)) {
    await db.deleteFrom('customer_match_keys').where('customer_id', 'in', part).execute();
    if (isPostgres(db)) {
      // The terms rows go by their primary key, named by the document (read before it is deleted).
      await sql`delete from customer_terms t
        using (select customer_id, unnest(tsvector_to_array(terms)) as term from customer_search where customer_id = any(${part}::int[])) d
        where t.term = d.term and t.customer_id = d.customer_id`.execute(db);
      await sql`delete from customer_search where customer_id = any(${part}::int[])`.execute(db);
    } else await sql`delete from customer_search where rowid in (${sql.join(part)})`.execute(db);
  }
}

/** Writes index rows for sources (replacing what these customers had). */
export async function writeIndexes(db: Db, sources: readonly IndexSource[], replace = true): Promise<void> {
  if (!sources.length) return;
  if (replace) await unindexCustomers(db, sources.map((s) => s.id));
  const pg = isPostgres(db);
  const keyRows = sources.flatMap((s) => matchKeysOf(s).map((key) => ({ key, customer_id: s.id })));
  for (const part of chunks(keyRows, 2000)) {
    if (pg) {
      // One statement per chunk whatever its size: arrays instead of 2 parameters per row.
      await sql`insert into customer_match_keys (key, customer_id)
        select * from unnest(${part.map((r) => r.key)}::text[], ${part.map((r) => r.customer_id)}::int[])
        on conflict do nothing`.execute(db);
    } else {
      await db.insertInto('customer_match_keys').values(part).onConflict((oc) => oc.doNothing()).execute();
    }
  }
  const docs = sources.map((s) => ({ id: s.id, terms: searchTermsOf(s) }));
  for (const part of chunks(docs, 1000)) {
    if (pg) {
      const ids = part.map((d) => d.id);
      const terms = part.map((d) => d.terms.join(' '));
      await sql`insert into customer_search (customer_id, terms)
        select id, array_to_tsvector(string_to_array(terms, ' '))
        from unnest(${ids}::int[], ${terms}::text[]) as t(id, terms)`.execute(db);
      await sql`insert into customer_terms (term, customer_id)
        select term, id from unnest(${ids}::int[], ${terms}::text[]) as t(id, terms), unnest(string_to_array(terms, ' ')) as term`.execute(db);
    } else {
      await sql`insert into customer_search (rowid, terms) values ${sql.join(part.map((d) => sql`(${d.id}, ${d.terms.join(' ')})`))}`.execute(db);
    }
  }
}

/** Re-indexes customers after a change to their name, identities, orders or notes. */
export async function indexCustomers(db: Db, ids: readonly number[]): Promise<void> {
  const unique = [...new Set(ids)];
  // Two writers re-indexing one customer at once (two notes a moment apart) deadlocked on
  // PostgreSQL (found by tests/api/server/crash.test.ts); they take turns per customer, in id order.
  // SQLite has a single writer already.
  if (isPostgres(db) && unique.length) {
    await sql`select pg_advisory_xact_lock(${INDEX_LOCK}, id) from unnest(${[...unique].sort((a, b) => a - b)}::int[]) as id`.execute(db);
  }
  await unindexCustomers(db, unique);
  await writeIndexes(db, await loadIndexSources(db, unique), false);
}

/**
 * Indexes customers written by something that bypassed this module (the demo seed, a bulk
 * seed): those with ids above the highest indexed one. Cheap when nothing is missing (two
 * index lookups), so it runs at every start.
 */
export async function indexMissingCustomers(db: Kysely<Database>, batch = 2000): Promise<number> {
  const top = await db.selectFrom('customer_match_keys').select((eb) => eb.fn.max('customer_id').as('max')).executeTakeFirst();
  let after = Number(top?.max ?? 0);
  let count = 0;
  for (;;) {
    const ids = (await db.selectFrom('customers').select('id').where('id', '>', after).orderBy('id').limit(batch).execute()).map((r) => r.id);
    if (!ids.length) return count;
    await db.transaction().execute((trx) => indexCustomers(trx, ids));
    count += ids.length;
    after = ids[ids.length - 1]!;
  }
}

/**
 * Customers whose documents contain a word starting with each query word (AND), in id order
 * after `afterId`: SQLite `customer_search MATCH '"lay"* "had"*'`; PostgreSQL `searchPostgres`,
 * which returns exactly the customers of `terms @@ 'lay':* & 'had':*`.
 */
export async function searchCustomerIds(db: Db, query: string, limit: number, afterId: number, tuning: SearchTuning = SEARCH_TUNING): Promise<number[]> {
  const words = [...new Set(searchWords(query))].slice(0, 8);
  if (!words.length) return [];
  if (isPostgres(db)) return searchPostgres(db, words, limit, afterId, tuning);
  const match = words.map((w) => `"${w}"*`).join(' ');
  const rows = await sql<{ id: number }>`select rowid as id from customer_search
    where customer_search match ${match} and rowid > ${afterId} order by rowid limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

export interface SearchTuning {
  /** A word with fewer `customer_terms` rows than this is read whole and checked customer by customer. */
  rareWordRows: number;
  /** Customers the dense path reads in id order before it concludes the words rarely meet. */
  denseWindow: number;
}
/** PostgreSQL search thresholds (tests pass small ones to reach every path with a few customers). */
export const SEARCH_TUNING: SearchTuning = { rareWordRows: 2000, denseWindow: 20_000 };

const digitCount = (word: string) => word.replace(/\D/g, '').length;

/** Above every term that starts with `word` in "C" order (terms hold only letters and digits). */
const prefixEnd = (word: string) => `${word}\u{10FFFF}`;

/**
 * PostgreSQL search over `customer_terms` (term, customer id), checked against each candidate's
 * tsvector so the answer is the old `@@` one. Issue 20's profile at 1M customers: through the GIN
 * index a prefix lexeme is collected whole into a bitmap ('ord':* is every customer with an order)
 * before anything is intersected or sorted, and the planner cannot see that.
 *
 * 1. Count the words' rows, each stopping at `rareWordRows`, until a rare word is found (one
 *    statement; `order by term` keeps each count an index scan that stops, where a bitmap scan
 *    would read the whole range first).
 * 2. A rare word: its customers are the candidates (sorted, each checked by primary key until
 *    `limit` match).
 * 3. Every word common: customers in id order from `afterId`, each checked, at most
 *    `denseWindow` of them (dense matches stop early). If the window ends without `limit`
 *    matches the words rarely meet: the rest comes from the intersection of two words' rows
 *    after the window.
 *
 * `ts_match_vq` is the `@@` operator's function: written as a call, the check never drives an
 * index scan, so every statement has one sensible plan and can be prepared (api/db/connection.ts).
 */
async function searchPostgres(db: Db, words: string[], limit: number, afterId: number, { rareWordRows, denseWindow }: SearchTuning): Promise<number[]> {
  const tsquery = words.map((w) => `'${w}':*`).join(' & ');
  // Likely rarest first (digits: order numbers, phones, e-mail numbers; then longer words): the
  // counts stop at the first rare word, so "ORD-0367234" counts only "0367234".
  const guess = [...words].sort((x, y) => digitCount(y) - digitCount(x) || y.length - x.length);
  const rare = await sql<{ i: number; n: number }>`select w.i::int as i, c.n
    from unnest(${guess}::text[], ${guess.map(prefixEnd)}::text[]) with ordinality as w(lo, hi, i)
    cross join lateral (select count(*)::int as n from (select 1 from customer_terms
      where term >= w.lo and term < w.hi order by term limit ${rareWordRows}) x) c
    where c.n < ${rareWordRows} limit 1`.execute(db);
  const first = rare.rows[0];
  if (first) return first.n === 0 ? [] : candidatesOfWords(db, [guess[Number(first.i) - 1]!], tsquery, limit, afterId);

  const dense = await sql<{ customer_id: number }>`select customer_id from (select customer_id, terms from customer_search
      where customer_id > ${afterId} order by customer_id limit ${denseWindow}) w
    where ts_match_vq(terms, ${tsquery}::tsquery) order by customer_id limit ${limit}`.execute(db);
  const found = dense.rows.map((r) => r.customer_id);
  if (found.length >= limit) return found;
  // Where the window ended, or none if it reached the last customer (then `found` is all there is).
  const end = await sql<{ customer_id: number }>`select customer_id from customer_search
    where customer_id > ${afterId} order by customer_id offset ${denseWindow - 1} limit 1`.execute(db);
  if (!end.rows.length) return found;
  const rest = await candidatesOfWords(db, guess.slice(0, 2), tsquery, limit - found.length, end.rows[0]!.customer_id);
  return [...found, ...rest];
}

/** Customers holding a term starting with each of `drivers` (one or two words), checked against the whole query. */
async function candidatesOfWords(db: Db, drivers: string[], tsquery: string, limit: number, afterId: number): Promise<number[]> {
  const [a, b] = drivers;
  const of = (word: string) => sql`select customer_id from customer_terms where term >= ${word} and term < ${prefixEnd(word)} and customer_id > ${afterId}`;
  const candidates = b === undefined ? sql`select distinct customer_id from (${of(a!)}) x` : sql`${of(a!)} intersect ${of(b)}`;
  // The lateral probe (with its own limit) keeps the plan a loop over the candidates in id order that
  // stops at `limit` matches; as a plain join a generic plan merge-joined them with every document.
  const rows = await sql<{ customer_id: number }>`select c.customer_id from (${candidates} order by 1) c
    cross join lateral (select 1 from customer_search s where s.customer_id = c.customer_id and ts_match_vq(s.terms, ${tsquery}::tsquery) limit 1) m
    order by c.customer_id limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.customer_id);
}

/** Customers holding any of these keys (primary-key lookups), at most `limit`. */
export async function customersByMatchKeys(db: Db, keys: readonly string[], limit: number): Promise<{ key: string; customer_id: number }[]> {
  if (!keys.length) return [];
  return db.selectFrom('customer_match_keys').select(['key', 'customer_id']).where(inList(db, 'key', [...new Set(keys)])).limit(limit).execute();
}
