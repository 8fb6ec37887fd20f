import type { Kysely } from 'kysely';
import type { ReplyTemplate } from '@shared/reply-template';
import type { Database, ReplyTemplateRow } from '../../db/database';
import { notFound } from '../../errors';

export function toReplyTemplate(row: ReplyTemplateRow): ReplyTemplate {
  return { id: row.id, name: row.name, shortcut: row.shortcut, body: row.body, language: row.language };
}

/** A bound on the templates one list reads; a team has tens. */
const MAX_TEMPLATES_SCANNED = 1000;

/** Templates whose name or shortcut contains the query (case-insensitive), by name. */
export async function listReplyTemplates(db: Kysely<Database>, filter: { query?: string; language?: string; limit: number }) {
  let query = db.selectFrom('reply_templates').selectAll().orderBy('name').orderBy('id').limit(MAX_TEMPLATES_SCANNED);
  if (filter.language) query = query.where('language', '=', filter.language);
  const rows = await query.execute();
  const q = filter.query?.trim().toLowerCase();
  // Filter, then limit: limiting in SQL first dropped matches that sort after the first `limit` names.
  // A team has tens of templates, so they are filtered here (case folded the same way on both databases).
  return rows
    .filter((r) => !q || r.name.toLowerCase().includes(q) || r.shortcut.includes(q.replace(/^\//, '')))
    .slice(0, filter.limit)
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

export interface TemplateVariant {
  language: string;
  body: string;
}

/** A template's bodies by language: its variants plus its own body under its own language. */
export async function templateBodies(db: Kysely<Database>, templateIds: readonly number[]): Promise<Map<number, TemplateVariant[]>> {
  const out = new Map<number, TemplateVariant[]>();
  if (!templateIds.length) return out;
  const base = await db.selectFrom('reply_templates').select(['id', 'language', 'body']).where('id', 'in', [...templateIds]).execute();
  for (const t of base) out.set(t.id, [{ language: t.language, body: t.body }]);
  const variants = await db
    .selectFrom('reply_template_variants')
    .select(['template_id', 'language', 'body'])
    .where('template_id', 'in', [...templateIds])
    .orderBy('language')
    .execute();
  for (const v of variants) {
    const list = out.get(v.template_id);
    if (!list) continue;
    const same = list.findIndex((b) => b.language === v.language);
    if (same >= 0) list[same] = { language: v.language, body: v.body };
    else list.push({ language: v.language, body: v.body });
  }
  return out;
}

/** Adds or replaces one language's body of a template. */
export async function setTemplateVariant(db: Kysely<Database>, input: { templateId: number; language: string; body: string }, now: number): Promise<TemplateVariant> {
  await findReplyTemplate(db, { id: input.templateId });
  await db
    .insertInto('reply_template_variants')
    .values({ template_id: input.templateId, language: input.language, body: input.body, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['template_id', 'language']).doUpdateSet({ body: input.body, updated_at: now }))
    .execute();
  return { language: input.language, body: input.body };
}
