import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { foldName } from '@shared/normalize';
import type { Db } from '../../../db/database';
import { indexCustomers, matchKeysOf, searchTermsOf, writeIndexes, type IndexSource } from '../search-index';
import type { ExistingCustomer, ExistingOrder, ImportView, Target } from './resolve';

/**
 * Write: applies a resolved batch to the database, inside the batch's transaction, and the
 * lookups `resolve` reads through. One statement per table per batch, whatever its size:
 *
 * - SQLite: better-sqlite3 prepared statements run row by row on the same connection Kysely's
 *   transaction holds (no SQL compiled per batch, no JS objects per bound value). Lookups pass
 *   the batch's keys as one JSON array (`in (select value from json_each(?))`): one statement
 *   text for every batch size, so the statement is prepared once.
 * - PostgreSQL: `insert … select from unnest($1::int[], $2::text[], …)`, one array per column:
 *   five round trips a batch, each parsed once, instead of 1000-row VALUES lists with 9,000
 *   parameters. Lookups use `= any($1::text[])`.
 *
 * New customers are indexed from what is in hand (no read back); existing customers the batch
 * changed are re-indexed by `indexCustomers`.
 */

export interface BatchSink {
  /** Gives new targets their ids and stores every change of `touched`, inside `trx`. */
  write(trx: Db, touched: readonly Target[]): Promise<void>;
}

export interface WriteContext {
  now: number;
  agentId: number | null;
}

/** The index rows of customers this batch creates, computed from the batch (none are read back). */
function newSources(creates: readonly Target[]): IndexSource[] {
  return creates.map((t) => ({ id: t.id!, display_name: t.name, company: t.company, identities: t.newIdentities, orderNumbers: t.newOrders.map((o) => o.number), notes: [] }));
}

const needsReindex = (t: Target) => !t.isNew && (t.newIdentities.length > 0 || t.newOrders.length > 0 || t.fieldsChanged);
const customerChanged = (t: Target) => !t.isNew && (t.fieldsChanged || t.tagsChanged || t.newIdentities.length > 0);

// ---------------------------------------------------------------- SQLite

export function sqliteView(sqlite: SQLite.Database): ImportView {
  const identities = sqlite.prepare<[string], { kind: string; normalized: string; customer_id: number }>(
    'select kind, normalized, customer_id from identities where normalized in (select value from json_each(?))',
  );
  const orders = sqlite.prepare<[string], ExistingOrder>('select id, number, customer_id, status, total_cents, currency from orders where number in (select value from json_each(?))');
  const customers = sqlite.prepare<[string], ExistingCustomer>('select id, display_name, company, locale, tags from customers where id in (select value from json_each(?))');
  return {
    identityOwners: async (normalized) => (normalized.length ? identities.all(JSON.stringify(normalized)) : []),
    orders: async (numbers) => orders.all(JSON.stringify(numbers)),
    customers: async (ids) => customers.all(JSON.stringify(ids)),
  };
}

/**
 * Statements are prepared once per import. `write` runs on the connection of `trx` (Kysely's
 * SQLite driver has one connection and its transaction holds it, so these statements are inside
 * that transaction and nothing else interleaves).
 */
export function sqliteSink(sqlite: SQLite.Database, context: WriteContext): BatchSink {
  const { now, agentId } = context;
  const statement = (text: string) => sqlite.prepare(text);
  const topId = statement(`select max(coalesce((select seq from sqlite_sequence where name = 'customers'), 0), coalesce((select max(id) from customers), 0)) as top`).pluck();
  const insertCustomer = statement(
    `insert into customers (id, display_name, name_folded, company, locale, tags, custom_fields, created_at, updated_at) values (?, ?, ?, ?, ?, ?, '{}', ?, ?)`,
  );
  const insertIdentity = statement(`insert into identities (customer_id, kind, value, normalized, linked_by, linked_by_agent_id, created_at) values (?, ?, ?, ?, 'import', ?, ?)`);
  const insertOrder = statement(`insert into orders (customer_id, number, status, total_cents, currency, placed_at, items) values (?, ?, ?, ?, ?, ?, '[]')`);
  const updateOrder = statement('update orders set status = ?, total_cents = ?, currency = ? where id = ?');
  const updateCustomer = statement('update customers set company = ?, locale = ?, tags = ?, updated_at = ? where id = ?');
  const insertKey = statement('insert into customer_match_keys (key, customer_id) values (?, ?) on conflict do nothing');
  const insertDoc = statement('insert into customer_search (rowid, terms) values (?, ?)');
  return {
    async write(trx, touched) {
      const creates = touched.filter((t) => t.isNew && t.id === null);
      // Ids decided before inserting so identities and orders can point at them; never a reused
      // id (a merged or erased customer's id stays unused): above the AUTOINCREMENT high-water mark.
      let next = Number(topId.get() ?? 0) + 1;
      for (const t of creates) {
        t.id = next++;
        insertCustomer.run(t.id, t.name, foldName(t.name), t.company, t.locale, JSON.stringify(t.tags), now, now);
      }
      for (const t of touched) {
        for (const i of t.newIdentities) insertIdentity.run(t.id, i.kind, i.value, i.normalized, agentId, now);
        for (const o of t.newOrders) insertOrder.run(t.id, o.number, o.status, o.total_cents ?? 0, o.currency ?? 'USD', o.placed_at ?? now);
        for (const o of t.changedOrders) updateOrder.run(o.status, o.total_cents, o.currency, o.id);
        if (customerChanged(t)) updateCustomer.run(t.company, t.locale, JSON.stringify(t.tags), now, t.id);
      }
      for (const source of newSources(creates)) {
        for (const key of matchKeysOf(source)) insertKey.run(key, source.id);
        insertDoc.run(source.id, searchTermsOf(source).join(' '));
      }
      await indexCustomers(trx, touched.filter(needsReindex).map((t) => t.id!));
    },
  };
}

// ---------------------------------------------------------------- PostgreSQL

export function postgresView(db: Db): ImportView {
  return {
    identityOwners: async (normalized) =>
      normalized.length
        ? (await sql<{ kind: string; normalized: string; customer_id: number }>`select kind, normalized, customer_id from identities where normalized = any(${normalized}::text[])`.execute(db)).rows
        : [],
    orders: async (numbers) =>
      (await sql<ExistingOrder>`select id, number, customer_id, status, total_cents, currency from orders where number = any(${numbers}::text[])`.execute(db)).rows,
    customers: async (ids) => (await sql<ExistingCustomer>`select id, display_name, company, locale, tags from customers where id = any(${ids}::int[])`.execute(db)).rows,
  };
}

export function postgresSink(context: WriteContext): BatchSink {
  const { now, agentId } = context;
  return {
    async write(trx, touched) {
      const creates = touched.filter((t) => t.isNew && t.id === null);
      if (creates.length) {
        // Drawn from the sequence, so concurrent writers never collide and no id is reused.
        const ids = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('customers', 'id'))::int as id from generate_series(1, ${creates.length})`.execute(trx);
        creates.forEach((t, i) => (t.id = Number(ids.rows[i]!.id)));
        await sql`insert into customers (id, display_name, name_folded, company, locale, tags, custom_fields, created_at, updated_at)
          select id, name, folded, company, locale, tags, '{}', ${now}::bigint, ${now}::bigint
          from unnest(${creates.map((t) => t.id)}::int[], ${creates.map((t) => t.name)}::text[], ${creates.map((t) => foldName(t.name))}::text[],
            ${creates.map((t) => t.company)}::text[], ${creates.map((t) => t.locale)}::text[], ${creates.map((t) => JSON.stringify(t.tags))}::text[])
            as u(id, name, folded, company, locale, tags)`.execute(trx);
      }
      const identities = touched.flatMap((t) => t.newIdentities.map((i) => ({ ...i, customer_id: t.id! })));
      if (identities.length) {
        await sql`insert into identities (customer_id, kind, value, normalized, linked_by, linked_by_agent_id, created_at)
          select customer_id, kind, value, normalized, 'import', ${agentId}::int, ${now}::bigint
          from unnest(${identities.map((i) => i.customer_id)}::int[], ${identities.map((i) => i.kind)}::text[], ${identities.map((i) => i.value)}::text[],
            ${identities.map((i) => i.normalized)}::text[]) as u(customer_id, kind, value, normalized)`.execute(trx);
      }
      const orders = touched.flatMap((t) => t.newOrders.map((o) => ({ ...o, customer_id: t.id! })));
      if (orders.length) {
        await sql`insert into orders (customer_id, number, status, total_cents, currency, placed_at, items)
          select customer_id, number, status, total_cents, currency, placed_at, '[]'
          from unnest(${orders.map((o) => o.customer_id)}::int[], ${orders.map((o) => o.number)}::text[], ${orders.map((o) => o.status)}::text[],
            ${orders.map((o) => o.total_cents ?? 0)}::bigint[], ${orders.map((o) => o.currency ?? 'USD')}::text[], ${orders.map((o) => o.placed_at ?? now)}::bigint[])
            as u(customer_id, number, status, total_cents, currency, placed_at)`.execute(trx);
      }
      for (const t of touched) {
        for (const o of t.changedOrders) {
          await trx.updateTable('orders').set({ status: o.status, total_cents: o.total_cents, currency: o.currency }).where('id', '=', o.id).execute();
        }
        if (customerChanged(t)) {
          await trx.updateTable('customers').set({ company: t.company, locale: t.locale, tags: JSON.stringify(t.tags), updated_at: now }).where('id', '=', t.id!).execute();
        }
      }
      await writeIndexes(trx, newSources(creates), false);
      await indexCustomers(trx, touched.filter(needsReindex).map((t) => t.id!));
    },
  };
}
