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
export function createTeamHandlers(api: () => Promise<ApiClient>, afterChange: () => void): { [T in TeamRequest]: (request: RequestOf<T>) => Promise<ResponseMap[T]> } {
  return {
    async ticketSla({ ticketId }) {
      return (await api()).sla.ticket.query({ ticketId });
    },
    async presenceHeartbeat({ tabId, conversationKey, activity }) {
      return (await api()).presence.heartbeat.mutate({ tabId, conversationKey, activity });
    },
    async presenceLeave({ tabId }) {
      return (await api()).presence.leave.mutate({ tabId });
    },
    async presenceRead({ conversationKey, since, ifVersion }) {
      return (await api()).presence.read.query({ conversationKey, since, ifVersion });
    },
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
      return (await api()).sla.teams.query();
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
      afterChange();
      return team;
    },
    async setAvailable({ available }) {
      return (await api()).sla.setAvailable.mutate({ available });
    },
  };
}
