import { CompiledQuery, type Kysely } from 'kysely';
import type { Customer, CustomerWithIdentities } from '@shared/customer';
import { foldName, normalizeIdentity, type Identity, type IdentityInput, type IdentityKind } from '@shared/identity';
import type { CustomerRow, Database, Db, IdentityRow } from '../../db/database';
import { toIso } from '../../db/time';
import { DomainError, isUniqueViolation, notFound } from '../../errors';
import { indexCustomers, inList, searchCustomerIds } from './search-index';

export interface NormalizedIdentity {
  kind: IdentityKind;
  value: string;
  normalized: string;
}

/** Normalizes identities, or fails naming the field (`identities.1.value`) and why. */
export function normalizeIdentities(identities: readonly IdentityInput[], field = 'identities'): NormalizedIdentity[] {
  return identities.map((identity, index) => {
    const result = normalizeIdentity(identity);
    if (!result.ok) {
      throw new DomainError('invalid', `${field}.${index}.value ${JSON.stringify(identity.value.slice(0, 80))} ${result.reason}`, {
        field: `${field}.${index}.value`,
      });
    }
    return { kind: identity.kind, value: identity.value, normalized: result.normalized };
  });
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    displayName: row.display_name,
    company: row.company,
    locale: row.locale,
    tags: JSON.parse(row.tags) as string[],
    customFields: JSON.parse(row.custom_fields) as Record<string, unknown>,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export function toIdentity(row: IdentityRow): Identity {
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind as IdentityKind,
    value: row.value,
    normalized: row.normalized,
    linkedBy: row.linked_by,
    linkedByAgentId: row.linked_by_agent_id,
    createdAt: toIso(row.created_at),
  };
}

const customerColumns = [
  'customers.id',
  'customers.display_name',
  'customers.name_folded',
  'customers.company',
  'customers.locale',
  'customers.tags',
  'customers.custom_fields',
  'customers.created_at',
  'customers.updated_at',
] as const;

const identityColumns = [
  'identities.id',
  'identities.customer_id',
  'identities.kind',
  'identities.value',
  'identities.normalized',
  'identities.linked_by',
  'identities.linked_by_agent_id',
  'identities.created_at',
] as const;

export async function findCustomerById(db: Db, id: number): Promise<CustomerWithIdentities | undefined> {
  const row = await db.selectFrom('customers').select(customerColumns).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const identities = await db.selectFrom('identities').select(identityColumns).where('customer_id', '=', id).orderBy('id').execute();
  return { ...toCustomer(row), identities: identities.map(toIdentity) };
}

/**
 * The customer a write names, or a clear refusal (issue 17): merged into someone else (the
 * agent saw a card that no longer exists: say into whom), erased, or never there. Writes never
 * follow a merge silently — the agent decides on the survivor's card.
 */
export async function requireWritableCustomer(db: Db, id: number): Promise<CustomerWithIdentities> {
  const customer = await findCustomerById(db, id);
  if (customer) return customer;
  const merge = await db
    .selectFrom('merges')
    .select(['survivor_id'])
    .where('merged_id', '=', id)
    .where('undone_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (merge) {
    throw new DomainError('conflict', `customer ${id} was merged into customer ${merge.survivor_id}: nothing was saved; open the merged customer and try again`, {
      entity: 'customer',
      id: merge.survivor_id,
      field: 'customerId',
    });
  }
  const erased = await db.selectFrom('audit_log').select('id').where('action', '=', 'customer.erase').where('entity', '=', 'customer').where('entity_id', '=', id).executeTakeFirst();
  if (erased) throw new DomainError('not-found', `customer ${id} was erased: nothing was saved`, { entity: 'customer', id, field: 'customerId' });
  throw notFound('customer', id);
}

export async function getCustomer(db: Db, id: number): Promise<CustomerWithIdentities> {
  const customer = await findCustomerById(db, id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

export async function findIdentityOwner(db: Db, identity: NormalizedIdentity) {
  return db
    .selectFrom('identities')
    .select(['customer_id', 'id'])
    .where('kind', '=', identity.kind)
    .where('normalized', '=', identity.normalized)
    .executeTakeFirst();
}

export interface LookupResult {
  customer: CustomerWithIdentities | null;
  /** The identity of the request that matched (first in request order). */
  matched: { kind: IdentityKind; value: string; normalized: string } | null;
}

/**
 * Resolves many identity sets with ONE query: every identity of every customer owning any of the
 * requested identities. Each set then picks its customer by the first of its identities that
 * matched (request order is priority order).
 */
/** The lookup query as Kysely builds it; its SQL text depends only on how many values and kinds it has. */
function buildLookupQuery(db: Db, normalizedValues: readonly string[], kinds: readonly IdentityKind[]) {
  return db
    .selectFrom('identities')
    .innerJoin('customers', 'customers.id', 'identities.customer_id')
    .select([
      ...customerColumns,
      'identities.id as i_id',
      'identities.customer_id as i_customer_id',
      'identities.kind as i_kind',
      'identities.value as i_value',
      'identities.normalized as i_normalized',
      'identities.linked_by as i_linked_by',
      'identities.linked_by_agent_id as i_linked_by_agent_id',
      'identities.created_at as i_created_at',
    ])
    .where(
      'identities.customer_id',
      'in',
      db.selectFrom('identities').select('customer_id').where('normalized', 'in', normalizedValues).where('kind', 'in', kinds),
    )
    .orderBy('identities.id');
}
type LookupRow = Awaited<ReturnType<ReturnType<typeof buildLookupQuery>['execute']>>[number];

/**
 * Per Kysely instance (one dialect each), the lookup's compiled SQL by shape (values × kinds).
 * Building and compiling the query tree was ~15 % of a lookup's CPU (profile in README,
 * Benchmarks → API); the lookup is the API's hottest path, so its text is compiled once per shape
 * and executed with fresh parameters. Bounded: a shape is at most 100 lookups' identities.
 */
const compiledLookups = new WeakMap<object, Map<string, string>>();

async function runLookupQuery(db: Db, normalizedValues: string[], kinds: IdentityKind[]): Promise<LookupRow[]> {
  const executor = db.getExecutor();
  let texts = compiledLookups.get(executor.adapter);
  if (!texts) compiledLookups.set(executor.adapter, (texts = new Map()));
  const shape = `${normalizedValues.length}:${kinds.length}`;
  const parameters = [...normalizedValues, ...kinds];
  let text = texts.get(shape);
  if (text === undefined) {
    const compiled = buildLookupQuery(db, normalizedValues, kinds).compile();
    // The parameters must be exactly the values then the kinds, in order, for the text to be reusable.
    if (compiled.parameters.length !== parameters.length || compiled.parameters.some((p, i) => p !== parameters[i])) {
      return buildLookupQuery(db, normalizedValues, kinds).execute();
    }
    text = compiled.sql;
    if (texts.size >= 512) texts.clear();
    texts.set(shape, text);
  }
  const { rows } = await db.executeQuery<LookupRow>(CompiledQuery.raw(text, parameters));
  return rows;
}

export async function lookupCustomers(db: Db, requests: readonly NormalizedIdentity[][]): Promise<LookupResult[]> {
  const all = requests.flat();
  if (all.length === 0) return requests.map(() => ({ customer: null, matched: null }));
  const normalizedValues = [...new Set(all.map((i) => i.normalized))];
  const kinds = [...new Set(all.map((i) => i.kind))];
  const rows = await runLookupQuery(db, normalizedValues, kinds);

  const customers = new Map<number, CustomerWithIdentities>();
  const owner = new Map<string, number>();
  for (const row of rows) {
    let customer = customers.get(row.id);
    if (!customer) {
      customer = { ...toCustomer(row), identities: [] };
      customers.set(row.id, customer);
    }
    customer.identities.push(
      toIdentity({
        id: row.i_id,
        customer_id: row.i_customer_id,
        kind: row.i_kind,
        value: row.i_value,
        normalized: row.i_normalized,
        linked_by: row.i_linked_by,
        linked_by_agent_id: row.i_linked_by_agent_id,
        created_at: row.i_created_at,
      }),
    );
    owner.set(`${row.i_kind}\u0000${row.i_normalized}`, row.id);
  }
  return requests.map((identities) => {
    for (const identity of identities) {
      const customerId = owner.get(`${identity.kind}\u0000${identity.normalized}`);
      if (customerId !== undefined) return { customer: customers.get(customerId)!, matched: identity };
    }
    return { customer: null, matched: null };
  });
}

export async function createCustomer(
  db: Kysely<Database>,
  input: {
    displayName: string;
    company?: string | null;
    locale?: string | null;
    tags?: string[];
    customFields?: Record<string, unknown>;
    identities: NormalizedIdentity[];
    linkedBy: IdentityRow['linked_by'];
    agentId: number | null;
  },
  now: number,
): Promise<CustomerWithIdentities> {
  return db.transaction().execute(async (trx) => {
    for (const [index, identity] of input.identities.entries()) {
      const owner = await findIdentityOwner(trx, identity);
      if (owner) {
        throw new DomainError(
          'conflict',
          `identities.${index} (${identity.kind} ${identity.value}) already belongs to customer ${owner.customer_id}`,
          { entity: 'customer', id: owner.customer_id, field: `identities.${index}.value` },
        );
      }
    }
    const row = await trx
      .insertInto('customers')
      .values({
        display_name: input.displayName,
        name_folded: foldName(input.displayName),
        company: input.company ?? null,
        locale: input.locale ?? null,
        tags: JSON.stringify(input.tags ?? []),
        custom_fields: JSON.stringify(input.customFields ?? {}),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const unique = dedupeIdentities(input.identities);
    if (unique.length) {
      await trx
        .insertInto('identities')
        .values(
          unique.map((identity) => ({
            customer_id: row.id,
            kind: identity.kind,
            value: identity.value,
            normalized: identity.normalized,
            linked_by: input.linkedBy,
            linked_by_agent_id: input.agentId,
            created_at: now,
          })),
        )
        .execute();
    }
    await indexCustomers(trx, [row.id]);
    return getCustomer(trx, row.id);
  });
}

function dedupeIdentities(identities: NormalizedIdentity[]): NormalizedIdentity[] {
  const seen = new Set<string>();
  return identities.filter((i) => {
    const key = `${i.kind}\u0000${i.normalized}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function updateCustomer(
  db: Kysely<Database>,
  id: number,
  patch: { displayName?: string; company?: string | null; locale?: string | null; tags?: string[]; customFields?: Record<string, unknown> },
  now: number,
): Promise<{ before: CustomerWithIdentities; after: CustomerWithIdentities }> {
  return db.transaction().execute(async (trx) => {
    const before = await getCustomer(trx, id);
    await trx
      .updateTable('customers')
      .set({
        ...(patch.displayName !== undefined && { display_name: patch.displayName, name_folded: foldName(patch.displayName) }),
        ...(patch.company !== undefined && { company: patch.company }),
        ...(patch.locale !== undefined && { locale: patch.locale }),
        ...(patch.tags !== undefined && { tags: JSON.stringify(patch.tags) }),
        ...(patch.customFields !== undefined && { custom_fields: JSON.stringify(patch.customFields) }),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (patch.displayName !== undefined || patch.company !== undefined) await indexCustomers(trx, [id]);
    return { before, after: await getCustomer(trx, id) };
  });
}

/** Links an identity to a customer. Linking one the customer already has is a no-op; one owned by another customer is a conflict naming that customer. */
export async function linkIdentity(
  db: Kysely<Database>,
  customerId: number,
  identity: NormalizedIdentity,
  linkedBy: IdentityRow['linked_by'],
  agentId: number | null,
  now: number,
): Promise<{ identity: Identity; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    await requireWritableCustomer(trx, customerId);
    const owner = await findIdentityOwner(trx, identity);
    if (owner && owner.customer_id !== customerId) {
      throw new DomainError('conflict', `${identity.kind} ${identity.value} already belongs to customer ${owner.customer_id}`, {
        entity: 'customer',
        id: owner.customer_id,
        field: 'identity.value',
      });
    }
    if (owner) {
      const row = await trx.selectFrom('identities').select(identityColumns).where('id', '=', owner.id).executeTakeFirstOrThrow();
      return { identity: toIdentity(row), created: false };
    }
    try {
      const row = await trx
        .insertInto('identities')
        .values({
          customer_id: customerId,
          kind: identity.kind,
          value: identity.value,
          normalized: identity.normalized,
          linked_by: linkedBy,
          linked_by_agent_id: agentId,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable('customers').set({ updated_at: now }).where('id', '=', customerId).execute();
      await indexCustomers(trx, [customerId]);
      return { identity: toIdentity(row), created: true };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', `${identity.kind} ${identity.value} was just linked by someone else`);
      throw error;
    }
  });
}

export async function unlinkIdentity(db: Kysely<Database>, identityId: number, expectedCustomerId?: number): Promise<Identity> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('identities').select(identityColumns).where('id', '=', identityId).executeTakeFirst();
    if (!row) throw notFound('identity', identityId);
    if (expectedCustomerId !== undefined && row.customer_id !== expectedCustomerId) {
      throw new DomainError('conflict', `identity ${identityId} belongs to another customer now: nothing was changed`, { entity: 'identity', id: identityId, field: 'customerId' });
    }
    await trx.deleteFrom('identities').where('id', '=', identityId).execute();
    await indexCustomers(trx, [row.customer_id]);
    return toIdentity(row);
  });
}

export interface SearchPage {
  items: CustomerWithIdentities[];
  nextCursor: string | null;
}

/** Customers with their identities, in the order of `ids` (missing ones skipped): two queries. */
export async function findCustomersByIds(db: Db, ids: readonly number[]): Promise<CustomerWithIdentities[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('customers').select(customerColumns).where(inList(db, 'id', ids)).execute();
  const identities = await db.selectFrom('identities').select(identityColumns).where(inList(db, 'customer_id', ids)).orderBy('id').execute();
  const byId = new Map(rows.map((row) => [row.id, { ...toCustomer(row), identities: [] as Identity[] }]));
  for (const identity of identities) byId.get(identity.customer_id)?.identities.push(toIdentity(identity));
  return ids.map((id) => byId.get(id)).filter((c): c is CustomerWithIdentities => c !== undefined);
}

/**
 * Prefix search, any word, over folded names, identities (emails, handles, phones, profile
 * paths), order numbers and note text: "lay had" finds "Layla Haddad", "ليلى" finds "ليلي",
 * "ORD-100" finds order ORD-10023. One index query on either database (search-index.ts
 * `searchCustomerIds`). Results are in customer id order; the cursor is the last id of a page.
 */
export async function searchCustomers(db: Db, query: string, limit: number, cursor: string | null): Promise<SearchPage> {
  const afterId = cursor && /^\d{1,12}$/.test(cursor) ? Number(cursor) : 0;
  const ids = await searchCustomerIds(db, query, limit + 1, afterId);
  const page = ids.slice(0, limit);
  return { items: await findCustomersByIds(db, page), nextCursor: ids.length > limit ? String(page[page.length - 1]) : null };
}
