import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { normalizeIdentity, type IdentityInput } from '@shared/identity';
import type { CustomerRow, IdentityRow } from '../api/db/database';
import { toCustomer, toIdentity } from '../api/modules/customers/customers.repository';

/**
 * The baselines: the same indexed lookup the API does (identity by kind + normalized, joined to
 * its customer and all of that customer's identities), as one hand-written SQL statement with no
 * query builder, no auth and no middleware. The answer has the API's shape, so the bare HTTP
 * routes serialise as much JSON as the real procedure.
 */
const LOOKUP_SELECT = `select c.id, c.display_name, c.name_folded, c.company, c.locale, c.tags, c.custom_fields, c.created_at, c.updated_at,
       o.id as i_id, o.kind as i_kind, o.value as i_value, o.normalized as i_normalized, o.linked_by as i_linked_by,
       o.linked_by_agent_id as i_linked_by_agent_id, o.created_at as i_created_at
from identities m
join customers c on c.id = m.customer_id
join identities o on o.customer_id = c.id`;
export const RAW_LOOKUP_SQLITE = `${LOOKUP_SELECT} where m.kind = ? and m.normalized = ? order by o.id`;
export const RAW_LOOKUP_PG = `${LOOKUP_SELECT} where m.kind = $1 and m.normalized = $2 order by o.id`;

const TIMELINE_SELECT = `select id, customer_id, channel, direction, occurred_at, summary, excerpt, url, external_id, agent_id, ticket_id, created_at
from interactions where customer_id = `;
export const RAW_TIMELINE_SQLITE = `${TIMELINE_SELECT}? order by occurred_at desc, id desc limit ?`;
export const RAW_TIMELINE_PG = `${TIMELINE_SELECT}$1 order by occurred_at desc, id desc limit $2`;

export type RawLookupRow = CustomerRow & {
  i_id: number;
  i_kind: string;
  i_value: string;
  i_normalized: string;
  i_linked_by: IdentityRow['linked_by'];
  i_linked_by_agent_id: number | null;
  i_created_at: number;
};

export type RawLookup = (kind: string, normalized: string) => Promise<RawLookupRow[]>;

export function sqliteRawLookup(sqlite: SQLite.Database): { lookup: (kind: string, normalized: string) => RawLookupRow[]; timeline: (customerId: number, limit: number) => unknown[] } {
  const lookup = sqlite.prepare<[string, string], RawLookupRow>(RAW_LOOKUP_SQLITE);
  const timeline = sqlite.prepare<[number, number], unknown>(RAW_TIMELINE_SQLITE);
  return { lookup: (kind, normalized) => lookup.all(kind, normalized), timeline: (customerId, limit) => timeline.all(customerId, limit) };
}

/** Named statements: PostgreSQL parses and plans them once per connection. */
export function pgRawLookup(client: pg.Pool | pg.Client): {
  lookup: RawLookup;
  /** The same statement unnamed, as Kysely sends every query: parsed and planned on each call. */
  lookupUnnamed: RawLookup;
  timeline: (customerId: number, limit: number) => Promise<unknown[]>;
} {
  return {
    lookup: async (kind, normalized) =>
      (await client.query<RawLookupRow>({ name: 'bench_raw_lookup', text: RAW_LOOKUP_PG, values: [kind, normalized] })).rows,
    lookupUnnamed: async (kind, normalized) => (await client.query<RawLookupRow>(RAW_LOOKUP_PG, [kind, normalized])).rows,
    timeline: async (customerId, limit) =>
      (await client.query({ name: 'bench_raw_timeline', text: RAW_TIMELINE_PG, values: [customerId, limit] })).rows,
  };
}

/** Rows of the raw lookup as the API answers: the customer with all identities, and which one matched. */
export function shapeLookup(rows: RawLookupRow[], requested: { kind: string; value: string; normalized: string }) {
  const first = rows[0];
  if (!first) return { customer: null, matchedIdentity: null };
  const identities = rows.map((row) =>
    toIdentity({
      id: row.i_id,
      customer_id: row.id,
      kind: row.i_kind,
      value: row.i_value,
      normalized: row.i_normalized,
      linked_by: row.i_linked_by,
      linked_by_agent_id: row.i_linked_by_agent_id,
      created_at: row.i_created_at,
    }),
  );
  return { customer: { ...toCustomer(first), identities }, matchedIdentity: requested };
}

/** Normalizes the first identity of a lookup input (what the baselines look up). */
export function firstNormalized(identities: IdentityInput[]): { kind: string; value: string; normalized: string } | null {
  const identity = identities[0];
  if (!identity) return null;
  const result = normalizeIdentity(identity);
  return result.ok ? { kind: identity.kind, value: identity.value, normalized: result.normalized } : null;
}
