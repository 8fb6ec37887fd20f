import type { Kysely } from 'kysely';
import type { ReplyTemplate } from '@shared/reply-template';
import type { Database, ReplyTemplateRow } from '../../db/database';
import { notFound } from '../../errors';

export function toReplyTemplate(row: ReplyTemplateRow): ReplyTemplate {
  return { id: row.id, name: row.name, shortcut: row.shortcut, body: row.body, language: row.language };
}

/** Templates whose name or shortcut contains the query (case-insensitive), by name. */
export async function listReplyTemplates(db: Kysely<Database>, filter: { query?: string; language?: string; limit: number }) {
  let query = db.selectFrom('reply_templates').selectAll().orderBy('name').limit(filter.limit);
  if (filter.language) query = query.where('language', '=', filter.language);
  const rows = await query.execute();
  const q = filter.query?.trim().toLowerCase();
  return rows
    .filter((r) => !q || r.name.toLowerCase().includes(q) || r.shortcut.includes(q.replace(/^\//, '')))
    .map(toReplyTemplate);
}

export async function findReplyTemplate(db: Kysely<Database>, ref: { id?: number; shortcut?: string }): Promise<ReplyTemplate> {
  let query = db.selectFrom('reply_templates').selectAll();
  query = ref.id !== undefined ? query.where('id', '=', ref.id) : query.where('shortcut', '=', ref.shortcut ?? '');
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('reply template', ref.id ?? ref.shortcut ?? '?');
  return toReplyTemplate(row);
}

export async function createReplyTemplate(
  db: Kysely<Database>,
  input: { name: string; shortcut: string; body: string; language: string },
  now: number,
): Promise<ReplyTemplate> {
  const row = await db.insertInto('reply_templates').values({ ...input, created_at: now }).returningAll().executeTakeFirstOrThrow();
  return toReplyTemplate(row);
}
