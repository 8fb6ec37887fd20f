import type { Kysely } from 'kysely';
import { localTimeToInstant } from '@shared/sla';
import type { Database } from '../../db/database';
import { clocksOf, slaOfTickets, slaTicketColumns } from './sla.repository';

/**
 * Tickets read for one attainment report. Deadlines on a business calendar are computed in code,
 * not SQL; a range with more tickets than this is reported on its newest ones with
 * `truncated: true` (the dashboard says so) rather than taking the API down.
 */
export const ATTAINMENT_TICKET_LIMIT = 20_000;

export interface AttainmentCell {
  /** Clocks stopped in time (responded / resolved within target). */
  met: number;
  /** Clocks that ran out: stopped late, or still running past the deadline. */
  missed: number;
  /** Still running and not yet due: not counted either way. */
  pending: number;
  /** met / (met + missed) × 100, or null when nothing was due. */
  percent: number | null;
}

export interface AttainmentRow {
  agentId: number | null;
  agentName: string | null;
  channel: string;
  tickets: number;
  firstResponse: AttainmentCell;
  resolution: AttainmentCell;
}

const emptyCell = (): AttainmentCell => ({ met: 0, missed: 0, pending: 0, percent: null });
const finish = (c: AttainmentCell) => {
  c.percent = c.met + c.missed ? Math.round((c.met / (c.met + c.missed)) * 1000) / 10 : null;
};

/**
 * % of first responses and resolutions within target for tickets opened between two local dates
 * (both inclusive, in `tz`), per assignee and channel, plus the team total.
 */
export async function slaAttainment(
  db: Kysely<Database>,
  input: { from: string; to: string; tz: string; now: number },
): Promise<{ rows: AttainmentRow[]; total: AttainmentRow; truncated: boolean }> {
  const [fy, fm, fd] = input.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = input.to.split('-').map(Number) as [number, number, number];
  const fromMs = localTimeToInstant(input.tz, fy, fm, fd, 0);
  const toMs = localTimeToInstant(input.tz, ty, tm, td, 1440);
  const tickets = await db
    .selectFrom('tickets')
    .select(slaTicketColumns)
    .where('created_at', '>=', fromMs)
    .where('created_at', '<', toMs)
    .orderBy('created_at', 'desc')
    .limit(ATTAINMENT_TICKET_LIMIT + 1)
    .execute();
  const truncated = tickets.length > ATTAINMENT_TICKET_LIMIT;
  const used = tickets.slice(0, ATTAINMENT_TICKET_LIMIT);
  const slas = await slaOfTickets(db, used);
  const agentIds = [...new Set(used.map((t) => t.assignee_id).filter((a): a is number => a !== null))];
  const names = new Map<number, string>();
  if (agentIds.length) {
    for (const a of await db.selectFrom('agents').select(['id', 'name']).where('id', 'in', agentIds).execute()) names.set(a.id, a.name);
  }
  const groups = new Map<string, AttainmentRow>();
  const total: AttainmentRow = { agentId: null, agentName: null, channel: '*', tickets: 0, firstResponse: emptyCell(), resolution: emptyCell() };
  const count = (cell: AttainmentCell, state: string | undefined) => {
    if (state === 'met') cell.met++;
    else if (state === 'missed' || state === 'breached') cell.missed++;
    else if (state) cell.pending++;
  };
  for (const ticket of used) {
    const key = `${ticket.assignee_id ?? ''}\u0000${ticket.channel}`;
    let row = groups.get(key);
    if (!row) {
      row = { agentId: ticket.assignee_id, agentName: ticket.assignee_id === null ? null : (names.get(ticket.assignee_id) ?? null), channel: ticket.channel, tickets: 0, firstResponse: emptyCell(), resolution: emptyCell() };
      groups.set(key, row);
    }
    const clocks = clocksOf(slas.get(ticket.id)!, input.now);
    for (const r of [row, total]) {
      r.tickets++;
      count(r.firstResponse, clocks.firstResponse?.state);
      count(r.resolution, clocks.resolution?.state);
    }
  }
  const rows = [...groups.values()].sort((a, b) => (a.agentName ?? '\uffff').localeCompare(b.agentName ?? '\uffff') || a.channel.localeCompare(b.channel));
  for (const r of [...rows, total]) {
    finish(r.firstResponse);
    finish(r.resolution);
  }
  return { rows, total, truncated };
}
