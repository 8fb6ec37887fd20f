import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, SurveyRow } from '../../db/database';
import { toIso } from '../../db/time';
import { attempt } from '../../db/request-transaction';
import { DomainError, isUniqueViolation, notFound } from '../../errors';
import { findTicket } from '../tickets/tickets.repository';
import { logInteraction } from '../timeline/timeline.repository';

export type SurveyScale = SurveyRow['scale'];

/** The link token: 192 random bits, base64url (32 characters). Anything else is rejected unread. */
export const SURVEY_TOKEN = /^[A-Za-z0-9_-]{32}$/;
export const newSurveyToken = () => randomBytes(24).toString('base64url');

export const scaleRange = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 } } as const satisfies Record<SurveyScale, { min: number; max: number }>;

export const surveyUrl = (baseUrl: string, token: string) => `${baseUrl.replace(/\/+$/, '')}/s/${token}`;

export function toSurvey(row: SurveyRow, baseUrl: string) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    customerId: row.customer_id,
    scale: row.scale,
    url: surveyUrl(baseUrl, row.token),
    score: row.score,
    comment: row.comment,
    createdAt: toIso(row.created_at),
    answeredAt: row.answered_at === null ? null : toIso(row.answered_at),
  };
}

/**
 * The survey of a ticket on a scale: the existing one when there is one (the same link every
 * time, so a reply sent twice carries one link), else a new one. `created` says which.
 */
export async function findOrCreateSurvey(
  db: Kysely<Database>,
  input: { ticketId: number; scale: SurveyScale; agentId: number | null; now: number },
): Promise<{ survey: SurveyRow; created: boolean }> {
  const ticket = await findTicket(db, input.ticketId);
  const existing = () =>
    db.selectFrom('surveys').selectAll().where('ticket_id', '=', input.ticketId).where('scale', '=', input.scale).executeTakeFirst();
  const found = await existing();
  if (found) return { survey: found, created: false };
  try {
    // A savepoint in a request transaction: the catch below reads the teammate's row after a unique violation.
    const survey = await attempt(db, (d) =>
      d
        .insertInto('surveys')
        .values({
          token: newSurveyToken(),
          ticket_id: ticket.id,
          customer_id: ticket.customer_id,
          scale: input.scale,
          created_by_agent_id: input.agentId,
          created_at: input.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return { survey, created: true };
  } catch (error) {
    // A teammate made the same ticket's survey a moment ago.
    const raced = isUniqueViolation(error) ? await existing() : undefined;
    if (raced) return { survey: raced, created: false };
    throw error;
  }
}

/** The survey link for a customer's most recently resolved ticket, or null when none is resolved. */
export async function surveyForLatestResolvedTicket(
  db: Kysely<Database>,
  input: { customerId: number; scale: SurveyScale; agentId: number | null; now: number },
): Promise<SurveyRow | null> {
  const ticket = await db
    .selectFrom('tickets')
    .select('id')
    .where('customer_id', '=', input.customerId)
    .where('status', 'in', ['resolved', 'closed'])
    .orderBy('resolved_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!ticket) return null;
  return (await findOrCreateSurvey(db, { ticketId: ticket.id, scale: input.scale, agentId: input.agentId, now: input.now })).survey;
}

/** What the public page needs: the survey, the customer's name and locale, the ticket's subject. */
export async function findSurveyPage(db: Kysely<Database>, token: string) {
  if (!SURVEY_TOKEN.test(token)) return undefined;
  return db
    .selectFrom('surveys as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .innerJoin('tickets as t', 't.id', 's.ticket_id')
    .select(['s.id', 's.scale', 's.answered_at', 's.score', 'c.display_name', 'c.locale', 't.subject', 't.id as ticket_id'])
    .where('s.token', '=', token)
    .executeTakeFirst();
}

export type AnswerResult = 'recorded' | 'already-answered' | 'not-found';

/**
 * Records the answer once: the UPDATE only matches an unanswered survey, so two submissions
 * racing each other store one answer. The answer goes on the customer's timeline in the same
 * transaction.
 */
export async function answerSurvey(
  db: Kysely<Database>,
  input: { token: string; score: number; comment: string | null; locale: string; now: number },
): Promise<AnswerResult> {
  if (!SURVEY_TOKEN.test(input.token)) return 'not-found';
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('surveys')
      .set({ score: input.score, comment: input.comment, locale: input.locale, answered_at: input.now })
      .where('token', '=', input.token)
      .where('answered_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const exists = await trx.selectFrom('surveys').select('id').where('token', '=', input.token).executeTakeFirst();
      return exists ? 'already-answered' : 'not-found';
    }
    const { min, max } = scaleRange[row.scale];
    if (input.score < min || input.score > max) throw new DomainError('invalid', `score must be ${min}–${max}`, { field: 'score' });
    await logInteraction(trx, {
      customer_id: row.customer_id,
      channel: 'survey',
      direction: 'inbound',
      occurred_at: input.now,
      summary: `${row.scale.toUpperCase()} ${input.score}/${max} for ticket #${row.ticket_id}`,
      excerpt: input.comment,
      url: null,
      external_id: `survey:${row.id}`,
      agent_id: null,
      ticket_id: row.ticket_id,
      created_at: input.now,
    });
    return 'recorded';
  });
}

/** Low scores with a comment, newest first: CSAT 1–2, NPS 0–6. Cursor = the last item's survey id. */
export async function listFollowUps(
  db: Kysely<Database>,
  input: { limit: number; cursor?: number | null; answeredFrom?: string | null; answeredBefore?: string | null; baseUrl: string },
) {
  let query = db
    .selectFrom('surveys as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .innerJoin('tickets as t', 't.id', 's.ticket_id')
    .select(['s.id', 's.scale', 's.score', 's.comment', 's.answered_at', 's.customer_id', 'c.display_name', 's.ticket_id', 't.subject', 't.assignee_id'])
    .where('s.answered_at', 'is not', null)
    .where('s.comment', 'is not', null)
    .where('s.comment', '<>', '')
    .where((eb) => eb.or([eb.and([eb('s.scale', '=', 'csat'), eb('s.score', '<=', 2)]), eb.and([eb('s.scale', '=', 'nps'), eb('s.score', '<=', 6)])]))
    .orderBy('s.answered_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(input.limit + 1);
  if (input.answeredFrom) query = query.where('s.answered_at', '>=', Date.parse(input.answeredFrom));
  if (input.answeredBefore) query = query.where('s.answered_at', '<', Date.parse(input.answeredBefore));
  if (input.cursor) {
    const after = await db.selectFrom('surveys').select(['answered_at', 'id']).where('id', '=', input.cursor).executeTakeFirst();
    if (!after || after.answered_at === null) throw notFound('follow-up cursor', input.cursor);
    const at = after.answered_at;
    query = query.where((eb) => eb.or([eb('s.answered_at', '<', at), eb.and([eb('s.answered_at', '=', at), eb('s.id', '<', after.id)])]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((r) => ({
      surveyId: r.id,
      scale: r.scale,
      score: r.score!,
      comment: r.comment!,
      answeredAt: toIso(Number(r.answered_at)),
      customerId: r.customer_id,
      customerName: r.display_name,
      ticketId: r.ticket_id,
      ticketSubject: r.subject,
      assigneeId: r.assignee_id,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
