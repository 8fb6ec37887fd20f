import type { OrderTable } from '../../../db/database';
import type { ParsedIdentity, ParsedOrder, ParsedRow, RejectCode } from './parse';

/**
 * Resolve: a batch of parsed rows → what each row does (create / update / unchanged / reject)
 * and the customers it touches, from what `ImportView` says already exists. No writes: the
 * sink (write.ts) applies `touched` afterwards — to the database in a real run, to the dry
 * run's scratch store otherwise — so a dry run resolves exactly as a real run would.
 *
 * Rows are matched by external keys only: normalized identities and order numbers. So
 * re-running a file changes nothing (every row is `unchanged`), and the import never merges: a
 * row whose keys belong to two different customers is rejected with both ids. Existing
 * customers are only *added to*: new identities, new orders, orders moved forward
 * (`orderDiffers`), company / locale when empty, missing tags. A name or company an agent has
 * set is never overwritten.
 */

export type ImportAction = 'create' | 'update' | 'unchanged' | 'reject';

export interface ExistingOrder {
  id: number;
  number: string;
  customer_id: number;
  status: OrderTable['status'];
  total_cents: number;
  currency: string;
}

export interface ExistingCustomer {
  id: number;
  display_name: string;
  company: string | null;
  locale: string | null;
  /** JSON array, as stored. */
  tags: string;
}

/** What exists before this batch (the database, plus what a dry run "wrote" earlier). */
export interface ImportView {
  identityOwners(normalized: readonly string[]): Promise<{ kind: string; normalized: string; customer_id: number }[]>;
  orders(numbers: readonly string[]): Promise<ExistingOrder[]>;
  customers(ids: readonly number[]): Promise<ExistingCustomer[]>;
}

/** A customer this batch writes to: an existing one (id) or one it creates (id assigned by the sink). */
export interface Target {
  id: number | null;
  isNew: boolean;
  name: string;
  company: string | null;
  locale: string | null;
  tags: string[];
  newIdentities: ParsedIdentity[];
  newOrders: ParsedOrder[];
  /** Existing orders moved forward, as they now are. */
  changedOrders: ExistingOrder[];
  fieldsChanged: boolean;
  tagsChanged: boolean;
}

export interface RowOutcome {
  line: number;
  action: ImportAction;
  code?: RejectCode;
  /** Why a row is rejected, or what an update changes. */
  reason?: string;
  target: Target | null;
  cleaned: string[];
}

export const identityKey = (kind: string, normalized: string) => `${kind}\u0000${normalized}`;

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

function applyOrder(current: { status: OrderTable['status']; total_cents: number | null; currency: string | null }, next: ParsedOrder): void {
  current.status = next.status;
  if (next.total_cents !== null) current.total_cents = next.total_cents;
  if (next.currency !== null) current.currency = next.currency;
}

export async function resolveBatch(view: ImportView, rows: readonly ParsedRow[]): Promise<{ outcomes: RowOutcome[]; touched: Target[] }> {
  // 1. Who owns the batch's keys already (three lookups for the whole batch).
  const identityOwner = new Map<string, number>();
  const normalizedValues = [...new Set(rows.flatMap((r) => r.identities.map((i) => i.normalized)))];
  for (const f of await view.identityOwners(normalizedValues)) identityOwner.set(identityKey(f.kind, f.normalized), f.customer_id);
  const numbers = [...new Set(rows.flatMap((r) => (r.order ? [r.order.number] : [])))];
  const existingOrders = new Map<string, ExistingOrder>();
  for (const f of numbers.length ? await view.orders(numbers) : []) existingOrders.set(f.number, f);
  const existingIds = [...new Set([...identityOwner.values(), ...[...existingOrders.values()].map((o) => o.customer_id)])];
  const existing = new Map<number, Target>();
  for (const c of existingIds.length ? await view.customers(existingIds) : []) {
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

  // 2. Rows in file order; later rows see what earlier rows of the batch create.
  const pendingIdentities = new Map<string, Target>();
  const pendingOrders = new Map<string, { target: Target; order: ParsedOrder }>();
  const touched = new Set<Target>();
  const outcomes: RowOutcome[] = [];
  for (const row of rows) {
    const owners = new Set<Target>();
    for (const identity of row.identities) {
      const key = identityKey(identity.kind, identity.normalized);
      const pending = pendingIdentities.get(key);
      const ownerId = identityOwner.get(key);
      if (pending) owners.add(pending);
      else if (ownerId !== undefined && existing.has(ownerId)) owners.add(existing.get(ownerId)!);
    }
    const existingOrder = row.order ? existingOrders.get(row.order.number) : undefined;
    const pendingOrder = row.order ? pendingOrders.get(row.order.number) : undefined;
    if (row.order) {
      if (pendingOrder) owners.add(pendingOrder.target);
      else if (existingOrder && existing.has(existingOrder.customer_id)) owners.add(existing.get(existingOrder.customer_id)!);
    }
    if (owners.size > 1) {
      const ids = [...owners].map((t) => (t.id === null || t.id < 0 ? 'a customer created earlier in this file' : `customer ${t.id}`));
      outcomes.push({ line: row.line, action: 'reject', code: 'conflict', reason: `its identities and order belong to different customers (${ids.join(', ')}): merge them first`, target: null, cleaned: row.cleaned });
      continue;
    }
    let target = [...owners][0];
    const changes: string[] = [];
    let action: ImportAction;
    if (!target) {
      if (!row.name) {
        outcomes.push({ line: row.line, action: 'reject', code: 'no_name', reason: 'no name for a new customer (no identity or order number matched an existing one)', target: null, cleaned: row.cleaned });
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
      if (pendingIdentities.has(key) || identityOwner.has(key)) continue;
      target.newIdentities.push(identity);
      pendingIdentities.set(key, target);
      changes.push(`${identity.kind} ${identity.value}`);
    }
    if (row.order) {
      const order = row.order;
      if (!existingOrder && !pendingOrder) {
        target.newOrders.push(order);
        pendingOrders.set(order.number, { target, order });
        changes.push(`order ${order.number}`);
      } else if (existingOrder) {
        if (orderDiffers(existingOrder, order)) {
          applyOrder(existingOrder, order);
          target.changedOrders.push({ ...existingOrder });
          changes.push(`order ${order.number} ${order.status}`);
        }
      } else if (pendingOrder && orderDiffers(pendingOrder.order, order)) {
        // Created earlier in this batch: the pending insert itself moves forward.
        applyOrder(pendingOrder.order, order);
        changes.push(`order ${order.number} ${order.status}`);
      }
    }
    if (action === 'update' && !changes.length) action = 'unchanged';
    if (action !== 'unchanged') touched.add(target);
    outcomes.push({ line: row.line, action, ...(action === 'update' ? { reason: changes.join('; ') } : {}), target, cleaned: row.cleaned });
  }
  return { outcomes, touched: [...touched] };
}
