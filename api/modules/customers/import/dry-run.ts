import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { ExistingCustomer, ExistingOrder, ImportView, Target } from './resolve';
import type { BatchSink } from './write';

/**
 * What a dry run would have written, kept in a scratch SQLite file instead of memory, so later
 * rows that refer to customers "created" (or changed) earlier in the file resolve exactly as in a
 * real run, and a dry run of any size holds no more than a batch (issue 18 item 8: a 50 MB dry
 * run once held every key of the file and took RSS from 743 MB to 1.6 GB). The file lives in
 * the OS temp directory, is written without fsync (it is thrown away) with a bounded page
 * cache, and is removed when the run ends.
 *
 * As a view it answers from the scratch store first (new customers have negative ids; existing
 * customers and orders the run changed are stored as changed), then from the database.
 */
export class DryRunStore implements ImportView, BatchSink {
  private readonly dir = mkdtempSync(join(tmpdir(), 'rafiq-dry-run-'));
  private readonly scratch = new SQLite(join(this.dir, 'dry-run.sqlite'));
  private nextId = -1;
  private readonly statements;

  constructor(private readonly base: ImportView) {
    const s = this.scratch;
    s.pragma('journal_mode = OFF');
    s.pragma('synchronous = OFF');
    s.pragma('cache_size = -16384');
    s.exec(`create table customers (id integer primary key, display_name text not null, company text, locale text, tags text not null);
      create table identities (normalized text not null, kind text not null, customer_id integer not null, primary key (normalized, kind)) without rowid;
      create table orders (number text primary key, id integer not null, customer_id integer not null, status text not null, total_cents integer not null, currency text not null) without rowid;`);
    this.statements = {
      identities: s.prepare<[string], { kind: string; normalized: string; customer_id: number }>(
        'select kind, normalized, customer_id from identities where normalized in (select value from json_each(?))',
      ),
      orders: s.prepare<[string], ExistingOrder>('select id, number, customer_id, status, total_cents, currency from orders where number in (select value from json_each(?))'),
      customers: s.prepare<[string], ExistingCustomer>('select id, display_name, company, locale, tags from customers where id in (select value from json_each(?))'),
      putCustomer: s.prepare('insert or replace into customers (id, display_name, company, locale, tags) values (?, ?, ?, ?, ?)'),
      putIdentity: s.prepare('insert or ignore into identities (normalized, kind, customer_id) values (?, ?, ?)'),
      putOrder: s.prepare('insert or replace into orders (number, id, customer_id, status, total_cents, currency) values (?, ?, ?, ?, ?, ?)'),
    };
  }

  async identityOwners(normalized: readonly string[]) {
    if (!normalized.length) return [];
    // A key is in one place only: a dry run never "creates" an identity the database holds.
    return [...this.statements.identities.all(JSON.stringify(normalized)), ...(await this.base.identityOwners(normalized))];
  }

  async orders(numbers: readonly string[]) {
    const changed = this.statements.orders.all(JSON.stringify(numbers));
    const seen = new Set(changed.map((o) => o.number));
    const rest = numbers.filter((n) => !seen.has(n));
    return [...changed, ...(rest.length ? await this.base.orders(rest) : [])];
  }

  async customers(ids: readonly number[]) {
    const changed = this.statements.customers.all(JSON.stringify(ids));
    const seen = new Set(changed.map((c) => c.id));
    const rest = ids.filter((id) => id > 0 && !seen.has(id));
    return [...changed, ...(rest.length ? await this.base.customers(rest) : [])];
  }

  async write(_trx: unknown, touched: readonly Target[]) {
    const { putCustomer, putIdentity, putOrder } = this.statements;
    this.scratch.transaction(() => {
      for (const t of touched) {
        if (t.isNew && t.id === null) t.id = this.nextId--;
        putCustomer.run(t.id, t.name, t.company, t.locale, JSON.stringify(t.tags));
        for (const i of t.newIdentities) putIdentity.run(i.normalized, i.kind, t.id);
        for (const o of t.newOrders) putOrder.run(o.number, this.nextId--, t.id, o.status, o.total_cents ?? 0, o.currency ?? 'USD');
        for (const o of t.changedOrders) putOrder.run(o.number, o.id, o.customer_id, o.status, o.total_cents, o.currency);
      }
    })();
  }

  close(): void {
    this.scratch.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
