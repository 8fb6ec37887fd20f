import { choosePolicy, pendingPauses, type BusinessCalendar, type SlaPolicy, type TicketSla } from '@shared/sla';
import { businessCalendarSchema, DEFAULT_CALENDAR } from '@shared/sla-schema';

export { clocksOf, currentClock, type TicketClocks, type TicketSla } from '@shared/sla';
import type { Db, SlaPolicyRow, TeamRow, TicketRow } from '../../db/database';
import { toIso, toIsoOrNull } from '../../db/time';
import { toJsonText } from '../../db/json';
import { DomainError, notFound } from '../../errors';

export interface Team {
  id: number;
  name: string;
  calendar: BusinessCalendar;
  claimOnFirstReply: boolean;
  roundRobin: boolean;
  updatedAt: string;
}

function parseCalendar(text: string): BusinessCalendar {
  // Written only through businessCalendarSchema; a row edited by hand into nonsense falls back
  // to the default rather than breaking every queue.
  const parsed = businessCalendarSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : DEFAULT_CALENDAR;
}

export function toTeam(row: TeamRow): Team {
  return {
    id: row.id,
    name: row.name,
    calendar: parseCalendar(row.calendar),
    claimOnFirstReply: row.claim_on_first_reply === 1,
    roundRobin: row.round_robin === 1,
    updatedAt: toIso(row.updated_at),
  };
}

export async function listTeams(db: Db): Promise<Team[]> {
  const rows = await db.selectFrom('teams').selectAll().orderBy('id').limit(100).execute();
  return rows.map(toTeam);
}

/** The first team: where agents without a team, and tickets without an assignee, belong. */
export async function defaultTeam(db: Db): Promise<Team> {
  const row = await db.selectFrom('teams').selectAll().orderBy('id').limit(1).executeTakeFirst();
  if (!row) throw new DomainError('not-found', 'no team exists (the team-workflows migration creates one)');
  return toTeam(row);
}

export async function getTeam(db: Db, id: number): Promise<Team> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('team', id);
  return toTeam(row);
}

export async function teamOfAgent(db: Db, agentId: number): Promise<Team> {
  const row = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .selectAll('teams')
    .where('team_members.agent_id', '=', agentId)
    .executeTakeFirst();
  return row ? toTeam(row) : defaultTeam(db);
}

export async function createTeam(db: Db, input: { name: string; calendar: BusinessCalendar }, now: number): Promise<Team> {
  const row = await db
    .insertInto('teams')
    .values({ name: input.name, calendar: toJsonText(input.calendar), claim_on_first_reply: 1, round_robin: 0, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTeam(row);
}

export async function updateTeam(
  db: Db,
  id: number,
  patch: { name?: string; calendar?: BusinessCalendar; claimOnFirstReply?: boolean; roundRobin?: boolean },
  now: number,
): Promise<{ before: Team; after: Team }> {
  const before = await getTeam(db, id);
  const row = await db
    .updateTable('teams')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.calendar !== undefined && { calendar: toJsonText(patch.calendar) }),
      ...(patch.claimOnFirstReply !== undefined && { claim_on_first_reply: patch.claimOnFirstReply ? 1 : 0 }),
      ...(patch.roundRobin !== undefined && { round_robin: patch.roundRobin ? 1 : 0 }),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before, after: toTeam(row) };
}

export interface TeamMember {
  agentId: number;
  name: string;
  teamId: number;
  available: boolean;
}

export async function setMembership(db: Db, agentId: number, teamId: number): Promise<void> {
  await getTeam(db, teamId);
  const agent = await db.selectFrom('agents').select('id').where('id', '=', agentId).executeTakeFirst();
  if (!agent) throw notFound('agent', agentId);
  await db
    .insertInto('team_members')
    .values({ agent_id: agentId, team_id: teamId, available: 0, last_assigned_at: null })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ team_id: teamId }))
    .execute();
}

export async function setAvailable(db: Db, agentId: number, available: boolean): Promise<void> {
  const team = await teamOfAgent(db, agentId);
  await db
    .insertInto('team_members')
    .values({ agent_id: agentId, team_id: team.id, available: available ? 1 : 0, last_assigned_at: null })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ available: available ? 1 : 0 }))
    .execute();
}

/** Every agent with their team (the default one when they have none) and availability. */
export async function listMembers(db: Db): Promise<TeamMember[]> {
  const fallback = await defaultTeam(db);
  const rows = await db
    .selectFrom('agents')
    .leftJoin('team_members', 'team_members.agent_id', 'agents.id')
    .select(['agents.id as agentId', 'agents.name as name', 'team_members.team_id as teamId', 'team_members.available as available'])
    .orderBy('agents.name')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ agentId: r.agentId, name: r.name, teamId: r.teamId ?? fallback.id, available: r.available === 1 }));
}

// ---------------------------------------------------------------------------------------------
// Policies

export interface SlaPolicyRecord extends SlaPolicy {
  id: number;
  updatedAt: string;
}

const toPolicy = (row: SlaPolicyRow): SlaPolicyRecord => ({
  id: row.id,
  channel: row.channel,
  priority: row.priority as SlaPolicy['priority'],
  firstResponseMinutes: row.first_response_minutes,
  resolutionMinutes: row.resolution_minutes,
  updatedAt: toIso(row.updated_at),
});

export async function listPolicies(db: Db): Promise<SlaPolicyRecord[]> {
  // A team has a handful (channels × priorities ≤ 50); the bound is a guard, not a page.
  const rows = await db.selectFrom('sla_policies').selectAll().orderBy('channel').orderBy('priority').limit(500).execute();
  return rows.map(toPolicy);
}

/** One policy per (channel, priority): setting it again replaces its targets. */
export async function upsertPolicy(db: Db, policy: SlaPolicy, now: number): Promise<SlaPolicyRecord> {
  const row = await db
    .insertInto('sla_policies')
    .values({ channel: policy.channel, priority: policy.priority, first_response_minutes: policy.firstResponseMinutes, resolution_minutes: policy.resolutionMinutes, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['channel', 'priority']).doUpdateSet({ first_response_minutes: policy.firstResponseMinutes, resolution_minutes: policy.resolutionMinutes, updated_at: now }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPolicy(row);
}

export async function deletePolicy(db: Db, id: number): Promise<void> {
  const result = await db.deleteFrom('sla_policies').where('id', '=', id).executeTakeFirst();
  if (!result.numDeletedRows) throw notFound('SLA policy', id);
}

// ---------------------------------------------------------------------------------------------
// Clocks of tickets

type SlaTicketRow = Pick<TicketRow, 'id' | 'channel' | 'priority' | 'assignee_id' | 'created_at' | 'first_response_at' | 'resolved_at' | 'status'>;

/** SLA inputs of many tickets in three queries (tickets given, their teams, their status history). */
export async function slaOfTickets(db: Db, tickets: readonly SlaTicketRow[]): Promise<Map<number, TicketSla>> {
  const out = new Map<number, TicketSla>();
  if (!tickets.length) return out;
  const [policies, fallback] = await Promise.all([listPolicies(db), defaultTeam(db)]);
  const assignees = [...new Set(tickets.map((t) => t.assignee_id).filter((a): a is number => a !== null))];
  const teamByAgent = new Map<number, Team>();
  if (assignees.length) {
    const rows = await db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .selectAll('teams')
      .select('team_members.agent_id as agent_id')
      .where('team_members.agent_id', 'in', assignees)
      .execute();
    for (const row of rows) teamByAgent.set(row.agent_id, toTeam(row));
  }
  const history = new Map<number, { at: number; toStatus: string }[]>();
  const ids = tickets.map((t) => t.id);
  for (let i = 0; i < ids.length; i += 500) {
    const events = await db
      .selectFrom('ticket_events')
      .select(['ticket_id', 'at', 'to_status'])
      .where('ticket_id', 'in', ids.slice(i, i + 500))
      .orderBy('at')
      .orderBy('id')
      .execute();
    for (const e of events) {
      const list = history.get(e.ticket_id) ?? [];
      list.push({ at: e.at, toStatus: e.to_status });
      history.set(e.ticket_id, list);
    }
  }
  for (const ticket of tickets) {
    const team = (ticket.assignee_id !== null && teamByAgent.get(ticket.assignee_id)) || fallback;
    const policy = choosePolicy(policies, ticket);
    const done = ticket.status === 'resolved' || ticket.status === 'closed';
    out.set(ticket.id, {
      ticketId: ticket.id,
      teamId: team.id,
      calendar: team.calendar,
      policyId: policy?.id ?? null,
      startedAt: toIso(ticket.created_at),
      pauses: pendingPauses(history.get(ticket.id) ?? []),
      firstResponse: policy ? { targetMinutes: policy.firstResponseMinutes, doneAt: toIsoOrNull(ticket.first_response_at) } : null,
      resolution: policy ? { targetMinutes: policy.resolutionMinutes, doneAt: done ? toIsoOrNull(ticket.resolved_at ?? null) : null } : null,
    });
  }
  return out;
}

export const slaTicketColumns = ['id', 'channel', 'priority', 'assignee_id', 'created_at', 'first_response_at', 'resolved_at', 'status'] as const;

export async function slaOfTicket(db: Db, ticketId: number): Promise<TicketSla> {
  const row = await db.selectFrom('tickets').select(slaTicketColumns).where('id', '=', ticketId).executeTakeFirst();
  if (!row) throw notFound('ticket', ticketId);
  return (await slaOfTickets(db, [row])).get(ticketId)!;
}
