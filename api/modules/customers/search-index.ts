import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { foldName } from '@shared/normalize';
import { companyDomainOfEmail, domainOfCompany, nameKeys } from '@shared/name-match';
import type { Database, Db } from '../../db/database';

/**
 * The two derived indexes of customers, kept in step by every writer in this module (create,
 * update, link, unlink, note add, merge, unmerge, import, erase) and rebuilt for customers that
 * bypassed them (the demo seed) at start by `indexMissingCustomers`:
 *
 * - `customer_search`: folded words of the name, identities, order numbers and notes.
 *   ONE query function, `searchCustomerIds`, over SQLite FTS5 or PostgreSQL tsvector.
 * - `customer_match_keys`: `nameKeys` of the display name plus company e-mail domains, for
 *   suggestions and the duplicates finder.
 */

export const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

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
    if (isPostgres(db)) await db.deleteFrom('customer_search').where('customer_id', 'in', part).execute();
    else await sql`delete from customer_search where rowid in (${sql.join(part)})`.execute(db);
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
      await sql`insert into customer_search (customer_id, terms)
        select id, array_to_tsvector(string_to_array(terms, ' '))
        from unnest(${part.map((d) => d.id)}::int[], ${part.map((d) => d.terms.join(' '))}::text[]) as t(id, terms)`.execute(db);
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
 * after `afterId`. The one search query of both databases:
 * SQLite `customer_search MATCH '"lay"* "had"*'`, PostgreSQL `terms @@ 'lay':* & 'had':*`.
 */
export async function searchCustomerIds(db: Db, query: string, limit: number, afterId: number): Promise<number[]> {
  const words = [...new Set(searchWords(query))].slice(0, 8);
  if (!words.length) return [];
  if (isPostgres(db)) {
    const tsquery = words.map((w) => `'${w}':*`).join(' & ');
    const rows = await sql<{ customer_id: number }>`select customer_id from customer_search
      where terms @@ ${tsquery}::tsquery and customer_id > ${afterId} order by customer_id limit ${limit}`.execute(db);
    return rows.rows.map((r) => r.customer_id);
  }
  const match = words.map((w) => `"${w}"*`).join(' ');
  const rows = await sql<{ id: number }>`select rowid as id from customer_search
    where customer_search match ${match} and rowid > ${afterId} order by rowid limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** Customers holding any of these keys (primary-key lookups), at most `limit`. */
export async function customersByMatchKeys(db: Db, keys: readonly string[], limit: number): Promise<{ key: string; customer_id: number }[]> {
  if (!keys.length) return [];
  return db.selectFrom('customer_match_keys').select(['key', 'customer_id']).where('key', 'in', [...new Set(keys)]).limit(limit).execute();
}
