import { z } from 'zod';
import { timeZoneSchema } from '@shared/metrics';
import { lineText } from '@shared/text-schema';
import { businessCalendarSchema, slaPolicySchema } from '@shared/sla-schema';
import { adminProcedure, agentProcedure, idInput, router } from '../../trpc';
import { DomainError } from '../../errors';
import { writeAudit } from '../audit/audit.repository';
import { listQueue } from '../queues/queues.repository';
import {
  clocksOf,
  createTeam,
  deletePolicy,
  listMembers,
  listPolicies,
  listTeams,
  setAvailable,
  setMembership,
  slaOfTicket,
  updateTeam,
  upsertPolicy,
} from './sla.repository';
import { slaAttainment } from './sla.service';

const id = z.number().int().positive();
const teamName = lineText(100);

/** Teams, business calendars and SLA policies: agents read them, admins (team leads) set them. */
export const slaRouter = router({
  teams: agentProcedure.query(async ({ ctx }) => {
    const [teams, members] = await Promise.all([listTeams(ctx.db), listMembers(ctx.db)]);
    return { teams, members };
  }),

  createTeam: adminProcedure.input(z.object({ name: teamName, calendar: businessCalendarSchema })).mutation(async ({ ctx, input }) => {
    const team = await createTeam(ctx.db, input, ctx.now());
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'team.create', entity: 'team', entityId: team.id, before: null, after: team, at: ctx.now() });
    return team;
  }),

  updateTeam: adminProcedure
    .input(
      z.object({
        id,
        name: teamName.optional(),
        calendar: businessCalendarSchema.optional(),
        claimOnFirstReply: z.boolean().optional(),
        roundRobin: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { id: teamId, ...patch } = input;
      const { before, after } = await updateTeam(ctx.db, teamId, patch, ctx.now());
      await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'team.update', entity: 'team', entityId: teamId, before, after, at: ctx.now() });
      return after;
    }),

  setMember: adminProcedure.input(z.object({ agentId: id, teamId: id })).mutation(async ({ ctx, input }) => {
    await setMembership(ctx.db, input.agentId, input.teamId);
    return { ok: true as const };
  }),

  /** An agent marks themselves available (or not) for round-robin. */
  setAvailable: agentProcedure.input(z.object({ available: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setAvailable(ctx.db, ctx.agent.id, input.available);
    return { available: input.available };
  }),

  policies: agentProcedure.query(({ ctx }) => listPolicies(ctx.db)),

  setPolicy: adminProcedure.input(slaPolicySchema).mutation(async ({ ctx, input }) => {
    const policy = await upsertPolicy(ctx.db, input, ctx.now());
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'sla.policy.set', entity: 'sla_policy', entityId: policy.id, before: null, after: policy, at: ctx.now() });
    return policy;
  }),

  removePolicy: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await deletePolicy(ctx.db, input.id);
    await writeAudit(ctx.db, { agentId: ctx.agent.id, action: 'sla.policy.remove', entity: 'sla_policy', entityId: input.id, before: null, after: null, at: ctx.now() });
    return { ok: true as const };
  }),

  /** A ticket's calendar, targets and pauses (the sidebar runs the clock itself) and the clocks now. */
  ticket: agentProcedure.input(z.object({ ticketId: id })).query(async ({ ctx, input }) => {
    const sla = await slaOfTicket(ctx.db, input.ticketId);
    return { sla, clocks: clocksOf(sla, ctx.now()), serverNow: new Date(ctx.now()).toISOString() };
  }),

  /** Open tickets whose running clock has run out or runs out within the hour, soonest first. */
  breaching: agentProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(50), cursor: z.number().int().min(0).nullish() }))
    .query(({ ctx, input }) => listQueue(ctx.db, { queue: 'breaching', agentId: ctx.agent.id, limit: input.limit, cursor: input.cursor, now: ctx.now() })),

  attainment: agentProcedure
    .input(
      z
        .object({ from: z.iso.date({ message: 'must be a date like 2026-11-01' }), to: z.iso.date({ message: 'must be a date like 2026-11-30' }), tz: timeZoneSchema.default('UTC') })
        .refine((v) => v.from <= v.to, { message: 'must not be after `to`', path: ['from'] }),
    )
    .query(({ ctx, input }) => {
      if (Date.parse(input.to) - Date.parse(input.from) > 400 * 86_400_000) throw new DomainError('invalid', 'at most 400 days', { field: 'to' });
      return slaAttainment(ctx.db, { ...input, now: ctx.now() });
    }),
});
