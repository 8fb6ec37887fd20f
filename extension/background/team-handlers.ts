import type { RequestOf, ResponseMap } from '../messaging/protocol';
import type { ApiClient } from './api-client';

type TeamRequest =
  | 'ticketSla'
  | 'presenceHeartbeat'
  | 'presenceLeave'
  | 'presenceRead'
  | 'presenceRecord'
  | 'assignTicket'
  | 'teamInfo'
  | 'queueCounts'
  | 'queueList'
  | 'slaAttainment'
  | 'slaPolicies'
  | 'setSlaPolicy'
  | 'removeSlaPolicy'
  | 'updateTeam'
  | 'setAvailable';

/**
 * The background's side of team workflows (issue 21). None of these go through the outbox:
 * presence and clocks are about now (a queued heartbeat would be a lie later), and an assignment
 * or a settings change made offline should fail visibly rather than land hours later.
 * `afterChange` drops cached customer cards (their open tickets show the assignee).
 */
/**
 * How long the background holds a presence read to send it with the others (issue 21: presence at
 * team scale). Every tab polls on the wall clock's second (TeamSection), so an agent's tabs ask
 * within a few milliseconds of each other; the reads gathered in this window leave in one tick and
 * tRPC's batch link carries them in one HTTP request — one request per agent a second instead of
 * one per tab.
 */
export const PRESENCE_BATCH_WINDOW_MS = 25;
/** The server refuses batches over MAX_BATCH_CALLS (api/rate-limit.ts); presence stays well under it. */
const PRESENCE_BATCH_MAX = 20;

type PresenceReadRequest = RequestOf<'presenceRead'>;

/**
 * Teams and their members change rarely, and every customer card showed them (the assign menu):
 * one read serves every card of this browser for TEAM_INFO_TTL_MS (issue 20: a thread switch
 * asked for them each time). This browser's own team changes clear it at once; a teammate's
 * change (a new member, someone marking themselves away) shows within the minute.
 */
export const TEAM_INFO_TTL_MS = 60_000;

export function createTeamHandlers(api: () => Promise<ApiClient>, afterChange: () => void): { [T in TeamRequest]: (request: RequestOf<T>) => Promise<ResponseMap[T]> } {
  let teamInfo: { client: ApiClient; at: number; value: Promise<ResponseMap['teamInfo']> } | undefined;
  let queued: { request: PresenceReadRequest; resolve(value: ResponseMap['presenceRead']): void; reject(error: unknown): void }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flushReads = async () => {
    timer = undefined;
    const batch = queued;
    queued = [];
    let client: ApiClient;
    try {
      client = await api();
    } catch (error) {
      batch.forEach((q) => q.reject(error));
      return;
    }
    // All in the same tick: the batch link sends them together (split by maxURLLength if long).
    for (const { request, resolve, reject } of batch) {
      client.presence.read.query({ conversationKey: request.conversationKey, since: request.since, ifVersion: request.ifVersion }).then(resolve, reject);
    }
  };
  const readPresence = (request: PresenceReadRequest) =>
    new Promise<ResponseMap['presenceRead']>((resolve, reject) => {
      queued.push({ request, resolve, reject });
      if (queued.length >= PRESENCE_BATCH_MAX) {
        if (timer !== undefined) clearTimeout(timer);
        void flushReads();
      } else if (timer === undefined) {
        timer = setTimeout(() => void flushReads(), PRESENCE_BATCH_WINDOW_MS);
      }
    });
  return {
    async ticketSla({ ticketId }) {
      return (await api()).sla.ticket.query({ ticketId });
    },
    async presenceHeartbeat({ tabId, conversationKey, activity, read }) {
      return (await api()).presence.heartbeat.mutate({ tabId, conversationKey, activity, read });
    },
    async presenceLeave({ tabId }) {
      return (await api()).presence.leave.mutate({ tabId });
    },
    presenceRead: readPresence,
    async presenceRecord({ conversationKey, kind, ticketId }) {
      const result = await (await api()).presence.record.mutate({ conversationKey, kind, ticketId });
      if (result.claimed) afterChange();
      return result;
    },
    async assignTicket({ ticketId, to }) {
      const client = await api();
      const result = to === 'me' ? await client.queues.assignToMe.mutate({ ticketId }) : await client.queues.assign.mutate({ ticketId, agentId: to });
      afterChange();
      return result;
    },
    async teamInfo() {
      const client = await api();
      const now = Date.now();
      // Keyed on the client: another server or token never sees this one's team.
      if (!teamInfo || teamInfo.client !== client || now - teamInfo.at > TEAM_INFO_TTL_MS) {
        const entry: NonNullable<typeof teamInfo> = { client, at: now, value: client.sla.teams.query() };
        teamInfo = entry;
        // A failed read is not kept: the next card asks again.
        entry.value.catch(() => {
          if (teamInfo === entry) teamInfo = undefined;
        });
      }
      return teamInfo.value;
    },
    async queueCounts() {
      return (await api()).queues.counts.query();
    },
    async queueList({ queue, cursor }) {
      return (await api()).queues.list.query({ queue, cursor, limit: 50 });
    },
    async slaAttainment({ from, to, tz }) {
      return (await api()).sla.attainment.query({ from, to, tz });
    },
    async slaPolicies() {
      return (await api()).sla.policies.query();
    },
    async setSlaPolicy({ policy }) {
      return (await api()).sla.setPolicy.mutate(policy);
    },
    async removeSlaPolicy({ policyId }) {
      return (await api()).sla.removePolicy.mutate({ id: policyId });
    },
    async updateTeam({ teamId, name, calendar, claimOnFirstReply, roundRobin }) {
      const team = await (await api()).sla.updateTeam.mutate({ id: teamId, name, calendar, claimOnFirstReply, roundRobin });
      teamInfo = undefined;
      afterChange();
      return team;
    },
    async setAvailable({ available }) {
      const result = await (await api()).sla.setAvailable.mutate({ available });
      teamInfo = undefined;
      return result;
    },
  };
}
