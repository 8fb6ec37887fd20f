import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';

/** Who did what, when, with before/after of every destructive change. */
export async function writeAudit(
  db: Kysely<Database>,
  entry: { agentId: number | null; action: string; entity: string; entityId?: number | null; before?: unknown; after?: unknown; at: number },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      agent_id: entry.agentId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      at: entry.at,
    })
    .execute();
}

export function listAudit(db: Kysely<Database>, filter: { entity?: string; entityId?: number; limit: number }) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  return query.execute();
}
