import type { Kysely } from 'kysely';
import type { Note } from '@shared/note';
import type { Database, NoteRow } from '../../db/database';
import { toIso } from '../../db/time';
import { logInteraction } from '../timeline/timeline.repository';
import { indexCustomers } from '../customers/search-index';

export function toNote(row: NoteRow): Note {
  return { id: row.id, customerId: row.customer_id, agentId: row.agent_id, body: row.body, createdAt: toIso(row.created_at) };
}

/** A note is kept in `notes` and shown on the timeline as an internal entry. */
export async function addNote(db: Kysely<Database>, customerId: number, agentId: number, body: string, now: number): Promise<Note> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('notes')
      .values({ customer_id: customerId, agent_id: agentId, body, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await logInteraction(trx, {
      customer_id: customerId,
      channel: 'note',
      direction: 'internal',
      occurred_at: now,
      summary: body.split('\n')[0]!.slice(0, 200),
      excerpt: body.slice(0, 5000),
      url: null,
      external_id: `note:${row.id}`,
      agent_id: agentId,
      ticket_id: null,
      created_at: now,
    });
    // Note text is searchable (customers.search).
    await indexCustomers(trx, [customerId]);
    return toNote(row);
  });
}

export async function listNotes(db: Kysely<Database>, customerId: number, limit: number): Promise<Note[]> {
  const rows = await db.selectFrom('notes').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toNote);
}
