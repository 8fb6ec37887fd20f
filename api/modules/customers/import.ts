import { sql, type Kysely, type Transaction } from 'kysely';
import { readCsv, CsvError } from '@shared/csv-reader';
import { identityKinds, normalizeIdentity, type IdentityKind } from '@shared/identity';
import { foldName } from '@shared/normalize';
import type { Database, OrderTable } from '../../db/database';
import { DomainError } from '../../errors';
import { writeAudit } from '../audit/audit.repository';
import { indexCustomers, isPostgres, writeIndexes } from './search-index';

/**
 * CSV import of customers, their identities and orders (one order per row; a customer may span
 * rows). Streamed: rows are read, resolved and written in batches, the file is never held.
 *
 * Rows are matched by external keys only: normalized identities and order numbers. So
 * re-running a file changes nothing (every row is `unchanged`), and the import never merges:
 * a row whose keys belong to two different customers is rejected with both ids.
 * Existing customers are only *added to*: new identities, new orders, orders moved forward
 * (`orderDiffers`), company / locale when empty, missing tags. A name or company an agent has
 * set is never overwritten.
 */

export const ORDER_COLUMNS = ['order_number', 'order_status', 'order_total', 'order_currency', 'order_placed_at'] as const;
export const CUSTOMER_COLUMNS = ['name', 'company', 'locale', 'tags'] as const;
/** Written by the export, ignored by the import (ids are this database's, not external keys). */
const IGNORED_COLUMNS = new Set(['id', 'created_at', 'updated_at']);
export const IMPORT_COLUMNS = [...CUSTOMER_COLUMNS, ...identityKinds, ...ORDER_COLUMNS] as const;

const ORDER_STATUSES = new Set<OrderTable['status']>(['placed', 'paid', 'shipped', 'delivered', 'returned', 'cancelled']);
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export type ImportAction = 'create' | 'update' | 'unchanged' | 'reject';

export interface ImportRowReport {
  line: number;
  action: ImportAction;
  /** Why a row is rejected, or what an update changes. */
  reason?: string;
  /** Null for a customer a dry run would create. */
  customerId?: number | null;
}

export interface ImportSummary {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  ms: number;
}

export interface ImportOptions {
  dryRun: boolean;
  now: number;
  agentId: number | null;
  batchSize?: number;
  onRow?(report: ImportRowReport): void;
  onProgress?(progress: { rows: number; offset: number }): void | Promise<void>;
}

interface ParsedOrder {
  number: string;
  status: OrderTable['status'];
  total_cents: number | null;
  currency: string | null;
  placed_at: number | null;
}

interface ParsedRow {
  line: number;
  name: string | null;
  company: string | null;
  locale: string | null;
  tags: string[];
  identities: { kind: IdentityKind; value: string; normalized: string }[];
  order: ParsedOrder | null;
}

/** A customer this run writes to: an existing one (id) or one it creates (id assigned at write time). */
interface Target {
  id: number | null;
  isNew: boolean;
  name: string;
  company: string | null;
  locale: string | null;
  tags: string[];
  /** Pending writes of the current batch. */
  newIdentities: ParsedRow['identities'];
  newOrders: ParsedOrder[];
  changedOrders: (ParsedOrder & { id: number })[];
  fieldsChanged: boolean;
  tagsChanged: boolean;
}

const identityKey = (kind: string, normalized: string) => `${kind}\u0000${normalized}`;

/** Undo the export's spreadsheet-formula guard ("'+971…" → "+971…"). */
const unguard = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

function parseHeader(fields: string[]): { columns: string[] } {
  const columns = fields.map((f) => f.trim().toLowerCase());
  const known = new Set<string>(IMPORT_COLUMNS);
  const unknown = columns.filter((c) => !known.has(c) && !IGNORED_COLUMNS.has(c));
  if (unknown.length) {
    throw new DomainError('invalid', `unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')}; allowed: ${IMPORT_COLUMNS.join(', ')}`, { field: 'header' });
  }
  const dupes = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (dupes.length) throw new DomainError('invalid', `column ${JSON.stringify(dupes[0])} appears twice (several values go in one cell, separated by ";")`, { field: 'header' });
  if (!columns.some((c) => (identityKinds as readonly string[]).includes(c) || c === 'order_number')) {
    throw new DomainError('invalid', `the header needs at least one identity column (${identityKinds.join(', ')}) or order_number: rows are matched by them`, { field: 'header' });
  }
  return { columns };
}

function parseRow(columns: string[], fields: string[], line: number): ParsedRow | string {
  if (fields.length !== columns.length) return `has ${fields.length} fields, the header has ${columns.length}`;
  const cell = (name: string): string => {
    const index = columns.indexOf(name);
    return index < 0 ? '' : unguard(fields[index]!.trim());
  };
  const name = cell('name');
  if (name.length > 300) return 'name is longer than 300 characters';
  const company = cell('company');
  const locale = cell('locale');
  if (locale && !LOCALE.test(locale)) return `locale ${JSON.stringify(locale)} is not a language tag like en, ar, fa-IR or tr`;
  const tags = cell('tags')
    .split(';')
    .map((t) => t.trim())
    .filter(Boolean);
  const identities: ParsedRow['identities'] = [];
  for (const kind of identityKinds) {
    for (const raw of cell(kind).split(';')) {
      const value = unguard(raw.trim());
      if (!value) continue;
      if (value.length > 512) return `${kind} value is longer than 512 characters`;
      const result = normalizeIdentity({ kind, value });
      if (!result.ok) return `${kind} ${JSON.stringify(value.slice(0, 80))} ${result.reason}`;
      if (!identities.some((i) => i.kind === kind && i.normalized === result.normalized)) identities.push({ kind, value, normalized: result.normalized });
    }
  }
  let order: ParsedOrder | null = null;
  const number = cell('order_number');
  if (number) {
    if (number.length > 100) return 'order_number is longer than 100 characters';
    const status = (cell('order_status') || 'placed').toLowerCase() as OrderTable['status'];
    if (!ORDER_STATUSES.has(status)) return `order_status ${JSON.stringify(status)} is not one of ${[...ORDER_STATUSES].join(', ')}`;
    const totalText = cell('order_total');
    let total_cents: number | null = null;
    if (totalText) {
      if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(totalText)) return `order_total ${JSON.stringify(totalText)} is not an amount like 12.50`;
      total_cents = Math.round(Number(totalText) * 100);
    }
    const currencyText = cell('order_currency').toUpperCase();
    if (currencyText && !/^[A-Z]{3}$/.test(currencyText)) return `order_currency ${JSON.stringify(currencyText)} is not a 3-letter code like EUR`;
    const placedText = cell('order_placed_at');
    let placed_at: number | null = null;
    if (placedText) {
      placed_at = /^\d{10,13}$/.test(placedText) ? Number(placedText) : Date.parse(placedText);
      if (!Number.isFinite(placed_at)) return `order_placed_at ${JSON.stringify(placedText)} is not a date (ISO 8601 or epoch milliseconds)`;
    }
    order = { number, status, total_cents, currency: currencyText || null, placed_at };
  }
  if (!identities.length && !order) return 'no email, phone, handle, profile or order number: nothing to match the row by';
  return { line, name: name || null, company: company || null, locale: locale || null, tags, identities, order };
}

type Db = Kysely<Database> | Transaction<Database>;

interface ExistingOrder {
  id: number;
  customer_id: number;
  status: OrderTable['status'];
  total_cents: number;
  currency: string;
}

/**
 * Imports a CSV stream. `dryRun` resolves every row exactly as a real run would (including rows
 * that refer to customers created earlier in the same file) and writes nothing.
 */
export async function importCustomersCsv(db: Kysely<Database>, input: AsyncIterable<Uint8Array | string>, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  const summary: ImportSummary = { dryRun: options.dryRun, rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, ms: 0 };
  let columns: string[] | null = null;
  let batch: ParsedRow[] = [];
  const report = (r: ImportRowReport) => {
    summary.rows++;
    if (r.action === 'create') summary.created++;
    else if (r.action === 'update') summary.updated++;
    else if (r.action === 'unchanged') summary.unchanged++;
    else summary.rejected++;
    options.onRow?.(r);
  };
  // Dry run only: keys of customers "created" earlier in this run (a real run finds them in the database).
  const overlay: RunState = { identities: new Map(), orders: new Map() };
  let lastOffset = 0;

  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    if (options.dryRun) await resolveBatch(db, rows, overlay, report);
    else await db.transaction().execute((trx) => resolveBatch(trx, rows, { identities: new Map(), orders: new Map() }, report, options.now, options.agentId));
    await options.onProgress?.({ rows: summary.rows, offset: lastOffset });
  };

  // SQLite: a bigger page cache while the indexes of a large file grow (2 MB by default; the
  // random-key b-trees of identities and match keys thrash it). Restored afterwards.
  const sqlite = !isPostgres(db);
  const cacheBefore = sqlite ? (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size : undefined;
  if (sqlite) await sql`pragma cache_size = -131072`.execute(db);
  try {
    for await (const record of readCsv(input)) {
      lastOffset = record.offset;
      if (!columns) {
        columns = parseHeader(record.fields).columns;
        continue;
      }
      const parsed = parseRow(columns, record.fields, record.line);
      if (typeof parsed === 'string') report({ line: record.line, action: 'reject', reason: parsed });
      else batch.push(parsed);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } catch (error) {
    if (error instanceof CsvError) throw new DomainError('invalid', `the file is not valid CSV: ${error.message}`, { field: 'file' });
    throw error;
  } finally {
    if (sqlite && cacheBefore !== undefined) await sql`pragma cache_size = ${sql.raw(String(Number(cacheBefore)))}`.execute(db);
  }
  if (!columns) throw new DomainError('invalid', 'the file is empty (expected a header line)', { field: 'file' });
  summary.ms = Math.round(performance.now() - started);
  if (!options.dryRun && (summary.created || summary.updated)) {
    const { dryRun: _dryRun, ms: _ms, ...counts } = summary;
    await writeAudit(db, { agentId: options.agentId, action: 'customer.import', entity: 'customer', entityId: null, after: counts, at: options.now });
  }
  return summary;
}

/** Keys this run has created but the database may not hold yet (all of them in a dry run, the batch's in a real one). */
interface RunState {
  identities: Map<string, Target>;
  orders: Map<string, { target: Target; order: ParsedOrder }>;
}

async function resolveBatch(
  db: Db,
  rows: ParsedRow[],
  state: RunState,
  report: (r: ImportRowReport) => void,
  now?: number,
  agentId?: number | null,
): Promise<void> {
  const write = now !== undefined;
  // 1. Who owns the batch's keys already (two queries for the whole batch).
  const normalizedValues = [...new Set(rows.flatMap((r) => r.identities.map((i) => i.normalized)))];
  const identityOwner = new Map<string, number>();
  for (let i = 0; i < normalizedValues.length; i += 5000) {
    const found = await db
      .selectFrom('identities')
      .select(['kind', 'normalized', 'customer_id'])
      .where('normalized', 'in', normalizedValues.slice(i, i + 5000))
      .execute();
    for (const f of found) identityOwner.set(identityKey(f.kind, f.normalized), f.customer_id);
  }
  const numbers = [...new Set(rows.flatMap((r) => (r.order ? [r.order.number] : [])))];
  const existingOrders = new Map<string, ExistingOrder>();
  if (numbers.length) {
    const found = await db.selectFrom('orders').select(['id', 'number', 'customer_id', 'status', 'total_cents', 'currency']).where('number', 'in', numbers).execute();
    for (const f of found) existingOrders.set(f.number, f);
  }
  const existingIds = [...new Set([...identityOwner.values(), ...[...existingOrders.values()].map((o) => o.customer_id)])];
  const existing = new Map<number, Target>();
  if (existingIds.length) {
    const found = await db.selectFrom('customers').select(['id', 'display_name', 'company', 'locale', 'tags']).where('id', 'in', existingIds).execute();
    for (const c of found) {
      existing.set(c.id, {
        id: c.id,
        isNew: false,
        name: c.display_name,
        company: c.company,
        locale: c.locale,
        tags: JSON.parse(c.tags) as string[],
        newIdentities: [],
        newOrders: [],
        changedOrders: [],
        fieldsChanged: false,
        tagsChanged: false,
      });
    }
  }

  // 2. Resolve rows in file order; later rows see what earlier rows of the run created.
  const touched = new Set<Target>();
  const reports: { report: ImportRowReport; target: Target | null }[] = [];
  for (const row of rows) {
    const owners = new Set<Target>();
    for (const identity of row.identities) {
      const key = identityKey(identity.kind, identity.normalized);
      const pending = state.identities.get(key);
      const ownerId = identityOwner.get(key);
      if (pending) owners.add(pending);
      else if (ownerId !== undefined && existing.has(ownerId)) owners.add(existing.get(ownerId)!);
    }
    const existingOrder = row.order ? existingOrders.get(row.order.number) : undefined;
    const pendingOrder = row.order ? state.orders.get(row.order.number) : undefined;
    if (row.order) {
      if (pendingOrder) owners.add(pendingOrder.target);
      else if (existingOrder && existing.has(existingOrder.customer_id)) owners.add(existing.get(existingOrder.customer_id)!);
    }
    if (owners.size > 1) {
      const ids = [...owners].map((t) => (t.id === null ? 'a customer created earlier in this file' : `customer ${t.id}`));
      reports.push({ report: { line: row.line, action: 'reject', reason: `its identities and order belong to different customers (${ids.join(', ')}): merge them first` }, target: null });
      continue;
    }
    let target = [...owners][0];
    const changes: string[] = [];
    let action: ImportAction;
    if (!target) {
      if (!row.name) {
        reports.push({ report: { line: row.line, action: 'reject', reason: 'no name for a new customer (no identity or order number matched an existing one)' }, target: null });
        continue;
      }
      target = {
        id: null,
        isNew: true,
        name: row.name,
        company: row.company,
        locale: row.locale,
        tags: [...new Set(row.tags)],
        newIdentities: [],
        newOrders: [],
        changedOrders: [],
        fieldsChanged: false,
        tagsChanged: false,
      };
      action = 'create';
    } else {
      action = 'update';
      if (row.company && !target.company) {
        target.company = row.company;
        target.fieldsChanged = true;
        changes.push('company');
      }
      if (row.locale && !target.locale) {
        target.locale = row.locale;
        target.fieldsChanged = true;
        changes.push('locale');
      }
      const missingTags = row.tags.filter((t) => !target!.tags.includes(t));
      if (missingTags.length) {
        target.tags = [...target.tags, ...new Set(missingTags)];
        target.tagsChanged = true;
        changes.push(`tags ${missingTags.join(', ')}`);
      }
    }
    for (const identity of row.identities) {
      const key = identityKey(identity.kind, identity.normalized);
      if (state.identities.has(key) || identityOwner.has(key)) continue;
      target.newIdentities.push(identity);
      state.identities.set(key, target);
      changes.push(`${identity.kind} ${identity.value}`);
    }
    if (row.order) {
      const order = row.order;
      if (!existingOrder && !pendingOrder) {
        target.newOrders.push(order);
        state.orders.set(order.number, { target, order });
        changes.push(`order ${order.number}`);
      } else if (existingOrder) {
        if (orderDiffers(existingOrder, order)) {
          target.changedOrders.push({ ...order, id: existingOrder.id });
          applyOrder(existingOrder, order);
          changes.push(`order ${order.number} ${order.status}`);
        }
      } else if (pendingOrder && orderDiffers(pendingOrder.order, order)) {
        // Created earlier in this run (same object as the pending insert in a real run's batch).
        pendingOrder.order.status = order.status;
        if (order.total_cents !== null) pendingOrder.order.total_cents = order.total_cents;
        if (order.currency !== null) pendingOrder.order.currency = order.currency;
        changes.push(`order ${order.number} ${order.status}`);
      }
    }
    if (action === 'update' && !changes.length) action = 'unchanged';
    if (action !== 'unchanged') touched.add(target);
    reports.push({ report: { line: row.line, action, ...(action === 'update' ? { reason: changes.join('; ') } : {}) }, target });
  }

  // 3. Write (real run): new customers get ids first so their identities and orders can point at them.
  if (write) {
    const trx = db;
    const creates = [...touched].filter((t) => t.isNew && t.id === null);
    if (creates.length) {
      const ids = await allocateCustomerIds(trx, creates.length);
      creates.forEach((t, i) => (t.id = ids[i]!));
      for (let i = 0; i < creates.length; i += 500) {
        await trx
          .insertInto('customers')
          .values(
            creates.slice(i, i + 500).map((t) => ({
              id: t.id!,
              display_name: t.name,
              name_folded: foldName(t.name),
              company: t.company,
              locale: t.locale,
              tags: JSON.stringify(t.tags),
              custom_fields: '{}',
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
      }
    }
    const identityRows = [...touched].flatMap((t) =>
      t.newIdentities.map((i) => ({
        customer_id: t.id!,
        kind: i.kind,
        value: i.value,
        normalized: i.normalized,
        linked_by: 'import' as const,
        linked_by_agent_id: agentId ?? null,
        created_at: now,
      })),
    );
    for (let i = 0; i < identityRows.length; i += 1000) await trx.insertInto('identities').values(identityRows.slice(i, i + 1000)).execute();
    const orderRows = [...touched].flatMap((t) =>
      t.newOrders.map((o) => ({
        customer_id: t.id!,
        number: o.number,
        status: o.status,
        total_cents: o.total_cents ?? 0,
        currency: o.currency ?? 'USD',
        placed_at: o.placed_at ?? now,
        items: '[]',
      })),
    );
    for (let i = 0; i < orderRows.length; i += 1000) await trx.insertInto('orders').values(orderRows.slice(i, i + 1000)).execute();
    for (const t of touched) {
      for (const o of t.changedOrders) {
        await trx
          .updateTable('orders')
          .set({ status: o.status, ...(o.total_cents !== null && { total_cents: o.total_cents }), ...(o.currency !== null && { currency: o.currency }) })
          .where('id', '=', o.id)
          .execute();
      }
      if (!t.isNew && (t.fieldsChanged || t.tagsChanged || t.newIdentities.length)) {
        await trx
          .updateTable('customers')
          .set({ company: t.company, locale: t.locale, tags: JSON.stringify(t.tags), updated_at: now })
          .where('id', '=', t.id!)
          .execute();
      }
    }
    // New customers are indexed from what is in hand (no read back); changed ones re-read theirs.
    await writeIndexes(
      trx,
      creates.map((t) => ({
        id: t.id!,
        display_name: t.name,
        company: t.company,
        identities: t.newIdentities,
        orderNumbers: t.newOrders.map((o) => o.number),
        notes: [],
      })),
      false,
    );
    const reindex = [...touched].filter((t) => !t.isNew && (t.newIdentities.length || t.newOrders.length || t.fieldsChanged)).map((t) => t.id!);
    await indexCustomers(trx, reindex);
  }
  for (const t of touched) {
    t.newIdentities = [];
    t.newOrders = [];
    t.changedOrders = [];
    t.fieldsChanged = false;
    t.tagsChanged = false;
    if (write) t.isNew = false;
  }
  for (const { report: r, target } of reports) report(r.action === 'reject' ? r : { ...r, customerId: target?.id ?? null });
}

/** How far along an order is. Returned and cancelled are both final. */
const ORDER_PROGRESS: Record<OrderTable['status'], number> = { placed: 0, paid: 1, shipped: 2, delivered: 3, returned: 4, cancelled: 4 };

/**
 * An import only moves an order forward (placed → paid → shipped → delivered → returned or
 * cancelled), taking the row's total and currency with it. So an older file re-imported never
 * undoes a newer status, and a file listing an order twice (paid, later delivered) is a no-op
 * the second time it runs.
 */
function orderDiffers(current: { status: OrderTable['status'] }, next: ParsedOrder): boolean {
  return ORDER_PROGRESS[next.status] > ORDER_PROGRESS[current.status];
}

function applyOrder(current: ExistingOrder, next: ParsedOrder): void {
  current.status = next.status;
  if (next.total_cents !== null) current.total_cents = next.total_cents;
  if (next.currency !== null) current.currency = next.currency;
}

/**
 * Ids for new customers, decided before inserting so identities and orders of the same batch can
 * point at them. Never reuses an id (a merged or erased customer's id stays unused): SQLite reads
 * the AUTOINCREMENT high-water mark, PostgreSQL draws from the sequence.
 */
async function allocateCustomerIds(db: Db, count: number): Promise<number[]> {
  if (isPostgres(db)) {
    const rows = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('customers', 'id'))::int as id from generate_series(1, ${count})`.execute(db);
    return rows.rows.map((r) => Number(r.id));
  }
  const top = await sql<{ top: number | null }>`select max(coalesce((select seq from sqlite_sequence where name = 'customers'), 0),
    coalesce((select max(id) from customers), 0)) as top`.execute(db);
  const start = Number(top.rows[0]?.top ?? 0) + 1;
  return Array.from({ length: count }, (_, i) => start + i);
}
