import type { Kysely, Transaction } from 'kysely';
import type { CustomerWithIdentities } from '@shared/customer';
import type { CustomerRow, Database, MergeRow } from '../../db/database';
import { toIso, toIsoOrNull } from '../../db/time';
import { DomainError, notFound } from '../../errors';
import { writeAudit } from '../audit/audit.repository';
import { toNote } from '../notes/notes.repository';
import { toOrder } from '../orders/orders.repository';
import { toTicket } from '../tickets/tickets.repository';
import { toInteraction } from '../timeline/timeline.repository';
import { findCustomersByIds, getCustomer } from './customers.repository';
import { compareNames } from '@shared/name-match';
import { loadCandidateFacts, scoreCandidate, SUGGESTION_THRESHOLD, type SuggestionReason } from './matching';
import { indexCustomers, unindexCustomers } from './search-index';

type Trx = Transaction<Database>;

/**
 * Flows that span repositories: merge / unmerge, erase, export of one customer, duplicates.
 * The rules are in README.md beside this file.
 */

/** Tables whose rows belong to a customer and move with a merge, in the order they move back. */
export const MOVABLE_TABLES = ['identities', 'tickets', 'interactions', 'notes', 'orders', 'surveys'] as const;
export type MovableTable = (typeof MOVABLE_TABLES)[number];
export type MovedIds = Record<MovableTable, number[]>;

const IN_CHUNK = 5000;
function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface MergeSummary {
  id: number;
  survivorId: number;
  mergedId: number;
  mergedName: string;
  moved: Record<MovableTable, number>;
  mergedAt: string;
  undoneAt: string | null;
}

function toMergeSummary(row: MergeRow): MergeSummary {
  const moved = JSON.parse(row.moved) as MovedIds;
  const merged = JSON.parse(row.merged_customer) as CustomerRow;
  return {
    id: row.id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    mergedName: merged.display_name,
    moved: Object.fromEntries(MOVABLE_TABLES.map((t) => [t, moved[t]?.length ?? 0])) as Record<MovableTable, number>,
    mergedAt: toIso(row.merged_at),
    undoneAt: toIsoOrNull(row.undone_at),
  };
}

async function customerRow(trx: Trx, id: number): Promise<CustomerRow | undefined> {
  return trx
    .selectFrom('customers')
    .select(['id', 'display_name', 'name_folded', 'company', 'locale', 'tags', 'custom_fields', 'created_at', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Moves everything of `mergedId` to `survivorId` and deletes the merged customer's row, keeping
 * in `merges` exactly which rows moved and the merged row itself. The survivor's own fields are
 * not changed (only `updated_at`), so an unmerge has nothing of the survivor to guess back.
 */
export async function mergeCustomers(
  db: Kysely<Database>,
  input: { survivorId: number; mergedId: number; agentId: number | null },
  now: number,
): Promise<{ merge: MergeSummary; survivor: CustomerWithIdentities }> {
  if (input.survivorId === input.mergedId) {
    throw new DomainError('invalid', 'a customer cannot be merged into themselves', { field: 'mergedId' });
  }
  const merge = await db.transaction().execute(async (trx) => {
    const survivor = await customerRow(trx, input.survivorId);
    if (!survivor) throw notFound('customer', input.survivorId);
    const merged = await customerRow(trx, input.mergedId);
    if (!merged) throw notFound('customer', input.mergedId);

    const moved = {} as MovedIds;
    for (const table of MOVABLE_TABLES) {
      const rows = await trx.selectFrom(table).select('id').where('customer_id', '=', input.mergedId).orderBy('id').execute();
      moved[table] = rows.map((r) => r.id);
      if (rows.length) await trx.updateTable(table).set({ customer_id: input.survivorId }).where('customer_id', '=', input.mergedId).execute();
    }
    await unindexCustomers(trx, [input.mergedId]);
    await trx.deleteFrom('customers').where('id', '=', input.mergedId).execute();
    await trx.updateTable('customers').set({ updated_at: now }).where('id', '=', input.survivorId).execute();
    const row = await trx
      .insertInto('merges')
      .values({
        survivor_id: input.survivorId,
        merged_id: input.mergedId,
        merged_customer: JSON.stringify(merged),
        moved: JSON.stringify(moved),
        survivor_updated_at: survivor.updated_at,
        agent_id: input.agentId,
        merged_at: now,
        undone_at: null,
        undone_by_agent_id: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await indexCustomers(trx, [input.survivorId]);
    return row;
  });
  const summary = toMergeSummary(merge);
  // No personal data in the audit entry: the merge record holds it (and is erased with the customer).
  await writeAudit(db, {
    agentId: input.agentId,
    action: 'customer.merge',
    entity: 'customer',
    entityId: input.survivorId,
    after: { mergeId: summary.id, survivorId: summary.survivorId, mergedId: summary.mergedId, moved: summary.moved },
    at: now,
  });
  return { merge: summary, survivor: await getCustomer(db, input.survivorId) };
}

/**
 * Puts the merged customer back with its original row and id, and moves back exactly the rows
 * that the merge moved. Rows added to the survivor after the merge stay with the survivor (we
 * cannot know whose they were; see README.md). Rows that moved on or were deleted since are
 * reported in `notRestored`, never guessed.
 */
export async function unmergeCustomers(
  db: Kysely<Database>,
  input: { mergeId: number; agentId: number | null },
  now: number,
): Promise<{ survivor: CustomerWithIdentities; restored: CustomerWithIdentities; notRestored: Record<MovableTable, number> }> {
  const result = await db.transaction().execute(async (trx) => {
    const merge = await trx.selectFrom('merges').selectAll().where('id', '=', input.mergeId).executeTakeFirst();
    if (!merge) throw notFound('merge', input.mergeId);
    if (merge.undone_at !== null) throw new DomainError('conflict', `merge ${merge.id} was already undone`, { entity: 'merge', id: merge.id });
    const later = await trx
      .selectFrom('merges')
      .select(['id', 'survivor_id'])
      .where('merged_id', '=', merge.survivor_id)
      .where('undone_at', 'is', null)
      .where('merged_at', '>=', merge.merged_at)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (later) {
      throw new DomainError('conflict', `customer ${merge.survivor_id} was merged into customer ${later.survivor_id} since (merge ${later.id}): undo that merge first`, {
        entity: 'merge',
        id: later.id,
      });
    }
    const survivor = await customerRow(trx, merge.survivor_id);
    if (!survivor) throw new DomainError('conflict', `customer ${merge.survivor_id} no longer exists`, { entity: 'customer', id: merge.survivor_id });
    if (await customerRow(trx, merge.merged_id)) {
      throw new DomainError('conflict', `customer ${merge.merged_id} exists again`, { entity: 'customer', id: merge.merged_id });
    }
    const original = JSON.parse(merge.merged_customer) as CustomerRow;
    await trx.insertInto('customers').values(original).execute();

    const moved = JSON.parse(merge.moved) as MovedIds;
    const notRestored = {} as Record<MovableTable, number>;
    for (const table of MOVABLE_TABLES) {
      let restored = 0;
      for (const ids of chunks(moved[table] ?? [])) {
        const update = await trx
          .updateTable(table)
          .set({ customer_id: merge.merged_id })
          .where('id', 'in', ids)
          .where('customer_id', '=', merge.survivor_id)
          .executeTakeFirst();
        restored += Number(update.numUpdatedRows);
      }
      notRestored[table] = (moved[table]?.length ?? 0) - restored;
    }
    if (survivor.updated_at === merge.merged_at) {
      await trx.updateTable('customers').set({ updated_at: merge.survivor_updated_at }).where('id', '=', merge.survivor_id).execute();
    }
    await trx.updateTable('merges').set({ undone_at: now, undone_by_agent_id: input.agentId }).where('id', '=', merge.id).execute();
    await indexCustomers(trx, [merge.survivor_id, merge.merged_id]);
    return { merge, notRestored };
  });
  await writeAudit(db, {
    agentId: input.agentId,
    action: 'customer.unmerge',
    entity: 'customer',
    entityId: result.merge.survivor_id,
    after: { mergeId: result.merge.id, survivorId: result.merge.survivor_id, restoredId: result.merge.merged_id, notRestored: result.notRestored },
    at: now,
  });
  return {
    survivor: await getCustomer(db, result.merge.survivor_id),
    restored: await getCustomer(db, result.merge.merged_id),
    notRestored: result.notRestored,
  };
}

export async function listMerges(db: Kysely<Database>, customerId: number, limit: number): Promise<MergeSummary[]> {
  const rows = await db.selectFrom('merges').selectAll().where('survivor_id', '=', customerId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toMergeSummary);
}

/**
 * Right to erasure: deletes the customer and every row about them (identities, interactions,
 * tickets with their events and surveys, notes, orders, merge records holding their data), and
 * blanks the before/after of earlier audit entries about them and their tickets. The audit
 * entry of the erase itself holds counts only.
 */
export async function eraseCustomer(db: Kysely<Database>, input: { id: number; agentId: number | null }, now: number) {
  const counts = await db.transaction().execute(async (trx) => {
    const row = await customerRow(trx, input.id);
    if (!row) throw notFound('customer', input.id);
    const ticketIds = (await trx.selectFrom('tickets').select('id').where('customer_id', '=', input.id).execute()).map((r) => r.id);
    const merges = await trx
      .selectFrom('merges')
      .select(['id', 'survivor_id', 'merged_id'])
      .where((eb) => eb.or([eb('survivor_id', '=', input.id), eb('merged_id', '=', input.id)]))
      .execute();
    const personIds = [input.id, ...merges.filter((m) => m.survivor_id === input.id).map((m) => m.merged_id)];
    const counts: Record<string, number> = {};
    // Children first (explicit, not only ON DELETE CASCADE, so the counts are real).
    for (const table of ['surveys', 'interactions', 'notes', 'orders', 'identities', 'tickets'] as const) {
      const result = await trx.deleteFrom(table).where('customer_id', '=', input.id).executeTakeFirst();
      counts[table] = Number(result.numDeletedRows);
    }
    if (merges.length) await trx.deleteFrom('merges').where('id', 'in', merges.map((m) => m.id)).execute();
    counts.merges = merges.length;
    await unindexCustomers(trx, [input.id]);
    await trx.deleteFrom('customers').where('id', '=', input.id).execute();
    const scrub = { before: null, after: JSON.stringify({ erased: true }) };
    await trx.updateTable('audit_log').set(scrub).where('entity', '=', 'customer').where('entity_id', 'in', personIds).execute();
    for (const ids of chunks(ticketIds)) {
      await trx.updateTable('audit_log').set(scrub).where('entity', '=', 'ticket').where('entity_id', 'in', ids).execute();
    }
    return counts;
  });
  await writeAudit(db, { agentId: input.agentId, action: 'customer.erase', entity: 'customer', entityId: input.id, after: { erased: counts }, at: now });
  return { id: input.id, erased: counts };
}

/** Right of access: everything stored about one customer, as JSON. Unpaginated on purpose. */
export async function exportCustomer(db: Kysely<Database>, id: number) {
  const customer = await getCustomer(db, id);
  const [interactions, tickets, notes, orders, surveys, merges, audit] = await Promise.all([
    db.selectFrom('interactions').selectAll().where('customer_id', '=', id).orderBy('occurred_at').orderBy('id').execute(),
    db.selectFrom('tickets').selectAll().where('customer_id', '=', id).orderBy('id').execute(),
    db.selectFrom('notes').selectAll().where('customer_id', '=', id).orderBy('id').execute(),
    db.selectFrom('orders').selectAll().where('customer_id', '=', id).orderBy('id').execute(),
    // The survey link token is a credential, not data about the person: left out.
    db
      .selectFrom('surveys')
      .select(['id', 'ticket_id', 'scale', 'score', 'comment', 'locale', 'created_at', 'answered_at'])
      .where('customer_id', '=', id)
      .orderBy('id')
      .execute(),
    db.selectFrom('merges').selectAll().where('survivor_id', '=', id).orderBy('id').execute(),
    db.selectFrom('audit_log').select(['id', 'action', 'at', 'agent_id']).where('entity', '=', 'customer').where('entity_id', '=', id).orderBy('id').execute(),
  ]);
  return {
    format: 'rafiq.customer-export.v1' as const,
    customer,
    interactions: interactions.map(toInteraction),
    tickets: tickets.map(toTicket),
    notes: notes.map(toNote),
    orders: orders.map(toOrder),
    surveys: surveys.map((s) => ({
      id: s.id,
      ticketId: s.ticket_id,
      scale: s.scale,
      score: s.score,
      comment: s.comment,
      locale: s.locale,
      createdAt: toIso(s.created_at),
      answeredAt: toIsoOrNull(s.answered_at),
    })),
    merges: merges.map(toMergeSummary),
    history: audit.map((a) => ({ id: a.id, action: a.action, at: toIso(a.at), agentId: a.agent_id })),
  };
}

export interface DuplicatePair {
  a: CustomerWithIdentities;
  b: CustomerWithIdentities;
  score: number;
  reasons: SuggestionReason[];
}

const MAX_GROUP = 12;

/**
 * Probable duplicates: customers sharing a whole-name key (same words in any order or script,
 * shared/name-match.ts `nameKeys`), scored with the same rules as suggestions. Pages by key;
 * the cursor is the last key of a page. Within a very common name only the first 12 customers
 * are paired (a list of 66 "Mohammed Ali" pairs helps nobody).
 */
export async function findDuplicates(db: Kysely<Database>, limit: number, cursor: string | null): Promise<{ items: DuplicatePair[]; nextCursor: string | null }> {
  const groups = await db
    .selectFrom('customer_match_keys')
    .select(['key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('key', '>', cursor ?? 'n:')
    .where('key', '<', 'n;')
    .groupBy('key')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .orderBy('key')
    .limit(limit)
    .execute();
  const pairs: { a: number; b: number; score: number; reasons: SuggestionReason[] }[] = [];
  for (const group of groups) {
    const ids = (await db.selectFrom('customer_match_keys').select('customer_id').where('key', '=', group.key).orderBy('customer_id').limit(MAX_GROUP).execute()).map(
      (r) => r.customer_id,
    );
    const facts = await loadCandidateFacts(db, ids);
    for (let i = 0; i < facts.length; i++) {
      for (let j = i + 1; j < facts.length; j++) {
        const a = facts[i]!;
        const b = facts[j]!;
        const scored = scoreCandidate({ names: [{ name: a.display_name, source: null }], emails: a.emails }, b);
        if (scored.score >= SUGGESTION_THRESHOLD && compareNames(a.display_name, b.display_name).score > 0) {
          pairs.push({ a: a.id, b: b.id, score: scored.score, reasons: scored.reasons });
        }
      }
    }
  }
  const customers = new Map((await findCustomersByIds(db, [...new Set(pairs.flatMap((p) => [p.a, p.b]))])).map((c) => [c.id, c]));
  const items = pairs
    .filter((p) => customers.has(p.a) && customers.has(p.b))
    .map((p) => ({ a: customers.get(p.a)!, b: customers.get(p.b)!, score: p.score, reasons: p.reasons }))
    .sort((x, y) => y.score - x.score || x.a.id - y.a.id);
  return { items, nextCursor: groups.length === limit ? groups[groups.length - 1]!.key : null };
}
