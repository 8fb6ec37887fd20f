import type { Order } from '@shared/order';
import type { Db, OrderRow } from '../../db/database';
import { toIso } from '../../db/time';

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    number: row.number,
    status: row.status,
    total: row.total_cents / 100,
    totalCents: row.total_cents,
    currency: row.currency,
    placedAt: toIso(row.placed_at),
    items: JSON.parse(row.items) as Order['items'],
  };
}

export async function listOrders(db: Db, customerId: number, limit: number, cursor?: number | null) {
  let query = db.selectFrom('orders').selectAll().where('customer_id', '=', customerId).orderBy('placed_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
  // The cursor is the last order's id; the page continues after it in (placed_at, id) order,
  // which is not id order when orders were entered out of order (an imported history).
  if (cursor) {
    const after = db.selectFrom('orders').select('placed_at').where('id', '=', cursor);
    query = query.where((eb) => eb.or([eb('placed_at', '<', after), eb.and([eb('placed_at', '=', after), eb('id', '<', cursor)])]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return { items: page.map(toOrder), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

export async function lastOrder(db: Db, customerId: number): Promise<Order | null> {
  const row = await db.selectFrom('orders').selectAll().where('customer_id', '=', customerId).orderBy('placed_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toOrder(row) : null;
}

/** Lifetime figures for the sidebar header, computed in SQL. */
export async function orderTotals(db: Db, customerId: number) {
  const rows = await db
    .selectFrom('orders')
    .select((eb) => ['currency', eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('total_cents').as('total_cents')])
    .where('customer_id', '=', customerId)
    .where('status', 'not in', ['cancelled', 'returned'])
    .groupBy('currency')
    .execute();
  return rows.map((r) => ({ currency: r.currency, count: Number(r.count), total: Number(r.total_cents) / 100 }));
}
