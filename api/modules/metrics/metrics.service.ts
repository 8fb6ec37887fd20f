import type { z } from 'zod';
import type { metricsSummaryInputSchema } from '@shared/metrics';
import type { Db } from '../../db/connection';
import { toIso } from '../../db/time';
import { planBuckets, type BucketPlan } from './buckets';
import {
  agentNames,
  backlog,
  csatScores,
  customerFigures,
  customerRetention,
  firstContactResolution,
  firstResponseTimes,
  npsScores,
  reopenRates,
  repeatPurchase,
  resolutionTimes,
  reviewResponseTimes,
  ticketVolume,
  topSubjectWords,
  topTags,
  type CountsRow,
  type DurationStatsRow,
  type TopicRow,
} from './metrics.repository';

/**
 * `metrics.summary`: runs the per-metric queries (in parallel on PostgreSQL's pool) and shapes
 * their aggregates for the dashboard. Only aggregates cross into JavaScript: at most one row per
 * bucket, agent and channel. Definitions: docs/metrics.md.
 */

type SummaryInput = z.output<typeof metricsSummaryInputSchema>;
const DAY = 86_400_000;

export interface Duration {
  /** Items in the cohort (e.g. tickets created), with or without a value yet. */
  items: number;
  /** Items with a value (e.g. answered tickets). */
  measured: number;
  meanMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface Breakdown<R> {
  total: R;
  series: (R & { bucket: string })[];
  byAgent: (R & { agentId: number | null; agentName: string })[];
  byChannel: (R & { channel: string })[];
}

const pct = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null);
const ms = (v: number | null) => (v === null ? null : Math.round(v));

type AgentMap = Map<number, string>;
const agentIdOf = (k: string) => (k === '' ? null : Number(k));
const agentNameOf = (agents: AgentMap, k: string) => (k === '' ? 'unassigned' : (agents.get(Number(k)) ?? `agent ${k}`));

function breakdown<Row extends { dim: string; k: string }, R>(
  rows: Row[],
  plan: BucketPlan,
  agents: AgentMap,
  shape: (row: Row | undefined) => R,
): Breakdown<R> {
  const pick = (dim: string, k: string) => rows.find((r) => r.dim === dim && r.k === k);
  const of = (dim: string) => rows.filter((r) => r.dim === dim);
  return {
    total: shape(pick('total', '')),
    series: plan.keys.map((bucket, i) => ({ bucket, ...shape(pick('bucket', String(i))) })),
    byAgent: of('agent')
      .map((r) => ({ agentId: agentIdOf(r.k), agentName: agentNameOf(agents, r.k), ...shape(r) }))
      .sort((a, b) => a.agentName.localeCompare(b.agentName)),
    byChannel: of('channel')
      .map((r) => ({ channel: r.k, ...shape(r) }))
      .sort((a, b) => a.channel.localeCompare(b.channel)),
  };
}

const duration = (r: DurationStatsRow | undefined): Duration => ({
  items: r?.total ?? 0,
  measured: r?.n ?? 0,
  meanMs: ms(r?.mean ?? null),
  medianMs: ms(r?.p50 ?? null),
  p90Ms: ms(r?.p90 ?? null),
});
const count = (r: CountsRow | undefined, column: string) => Number(r?.[column] ?? 0);

function topics(rows: TopicRow[]) {
  const shape = (r: TopicRow) => ({ topic: r.topic, current: r.current, previous: r.previous, change: r.current - r.previous, rising: r.current > r.previous });
  return { top: rows.filter((r) => r.list === 'top').map(shape), rising: rows.filter((r) => r.list === 'rising').map(shape) };
}

export async function metricsSummary(conn: Db, input: SummaryInput) {
  const plan = planBuckets(input);
  const windowMs = input.reopenWindowDays * DAY;
  const [agentRows, volumeRows, frtRows, resolutionRows, reviewRows, reopenRows, fcrRows, backlogFigures, csatRows, npsRows, retention, repeat, tagRows, wordRows] =
    await Promise.all([
      agentNames(conn),
      ticketVolume(conn, plan),
      firstResponseTimes(conn, plan),
      resolutionTimes(conn, plan),
      reviewResponseTimes(conn, plan),
      reopenRates(conn, plan, windowMs),
      firstContactResolution(conn, plan),
      backlog(conn, plan),
      csatScores(conn, plan),
      npsScores(conn, plan),
      customerRetention(conn, plan),
      repeatPurchase(conn, plan),
      topTags(conn, plan),
      topSubjectWords(conn, plan),
    ]);
  const agents: AgentMap = new Map(agentRows.map((a) => [a.id, a.name]));

  const volume = breakdown(volumeRows, plan, agents, (r) => ({ tickets: count(r, 'tickets') }));
  const channels = [...new Set(volumeRows.filter((r) => r.dim === 'channel').map((r) => r.k))].sort();
  const volumeByBucketChannel = plan.keys.map((bucket, i) => ({
    bucket,
    ...Object.fromEntries(channels.map((c) => [c, count(volumeRows.find((r) => r.dim === 'bucket_channel' && r.k === `${i}:${c}`), 'tickets')])),
  })) as ({ bucket: string } & Record<string, number>)[];

  const firstResponse = breakdown(frtRows, plan, agents, duration);
  const resolution = breakdown(resolutionRows, plan, agents, duration);
  const reviewResponse = breakdown(reviewRows, plan, agents, duration);
  const reopen = breakdown(reopenRows, plan, agents, (r) => {
    const resolved = count(r, 'resolved');
    const reopened = count(r, 'reopened');
    return { resolved, reopened, rate: pct(reopened, resolved) };
  });
  const fcr = breakdown(fcrRows, plan, agents, (r) => {
    const resolved = count(r, 'resolved');
    const firstContact = count(r, 'fcr');
    return { resolved, firstContact, rate: pct(firstContact, resolved) };
  });
  const csat = breakdown(csatRows, plan, agents, (r) => {
    const answers = count(r, 'answers');
    const satisfied = count(r, 'satisfied');
    return { answers, satisfied, score: pct(satisfied, answers) };
  });
  const nps = breakdown(npsRows, plan, agents, (r) => {
    const answers = count(r, 'answers');
    const promoters = count(r, 'promoters');
    const detractors = count(r, 'detractors');
    return { answers, promoters, passives: answers - promoters - detractors, detractors, score: answers ? (100 * (promoters - detractors)) / answers : null };
  });

  // Backlog at the end of each bucket, walking back from "open now" over the aggregated changes.
  const backlogEnds: number[] = new Array(plan.keys.length);
  let open = backlogFigures.openNow - backlogFigures.afterEnd;
  for (let i = plan.keys.length - 1; i >= 0; i--) {
    backlogEnds[i] = open;
    open -= backlogFigures.deltas.find((d) => d.bucket === i)?.delta ?? 0;
  }
  const backlogAtStart = open;

  const perAgentOpen = backlogFigures.openBy.filter((r) => r.dim === 'agent');
  const agentKeys = new Set([volume, firstResponse, resolution, reopen, fcr, csat, nps].flatMap((m) => m.byAgent.map((a) => a.agentId)));
  for (const r of perAgentOpen) agentKeys.add(agentIdOf(r.k));
  const channelKeys = new Set([volume, firstResponse, resolution, reopen, fcr, csat, nps].flatMap((m) => m.byChannel.map((a) => a.channel)));
  for (const r of backlogFigures.openBy) if (r.dim === 'channel') channelKeys.add(r.k);

  // One row per agent and per channel for the tables: every metric's figure for that key.
  const tableRow = (parts: {
    volume?: { tickets: number };
    open: number;
    frt?: Duration;
    res?: Duration;
    reopen?: { rate: number | null };
    fcr?: { rate: number | null };
    csat?: { score: number | null };
    nps?: { score: number | null };
  }) => ({
    tickets: parts.volume?.tickets ?? 0,
    openNow: parts.open,
    firstResponseMedianMs: parts.frt?.medianMs ?? null,
    firstResponseP90Ms: parts.frt?.p90Ms ?? null,
    resolved: parts.res?.measured ?? 0,
    resolutionMedianMs: parts.res?.medianMs ?? null,
    resolutionP90Ms: parts.res?.p90Ms ?? null,
    reopenRate: parts.reopen?.rate ?? null,
    fcrRate: parts.fcr?.rate ?? null,
    csat: parts.csat?.score ?? null,
    nps: parts.nps?.score ?? null,
  });
  const agentRow = (agentId: number | null) => {
    const is = (x: { agentId: number | null }) => x.agentId === agentId;
    return tableRow({
      volume: volume.byAgent.find(is),
      open: backlogFigures.openBy.find((r) => r.dim === 'agent' && agentIdOf(r.k) === agentId)?.open ?? 0,
      frt: firstResponse.byAgent.find(is),
      res: resolution.byAgent.find(is),
      reopen: reopen.byAgent.find(is),
      fcr: fcr.byAgent.find(is),
      csat: csat.byAgent.find(is),
      nps: nps.byAgent.find(is),
    });
  };
  const channelRow = (channel: string) => {
    const is = (x: { channel: string }) => x.channel === channel;
    return tableRow({
      volume: volume.byChannel.find(is),
      open: backlogFigures.openBy.find((r) => r.dim === 'channel' && r.k === channel)?.open ?? 0,
      frt: firstResponse.byChannel.find(is),
      res: resolution.byChannel.find(is),
      reopen: reopen.byChannel.find(is),
      fcr: fcr.byChannel.find(is),
      csat: csat.byChannel.find(is),
      nps: nps.byChannel.find(is),
    });
  };

  return {
    range: {
      from: input.from,
      to: input.to,
      tz: input.tz,
      groupBy: input.groupBy,
      reopenWindowDays: input.reopenWindowDays,
      start: toIso(plan.start),
      end: toIso(plan.end),
      previousStart: toIso(plan.previousStart),
    },
    buckets: plan.keys.map((key, i) => ({ key, start: toIso(plan.starts[i]!), end: toIso(plan.starts[i + 1] ?? plan.end) })),
    volume: { ...volume, channels, byBucketChannel: volumeByBucketChannel },
    firstResponse,
    resolution,
    reviewResponse,
    reopen,
    fcr,
    backlog: {
      atStart: backlogAtStart,
      atEnd: backlogEnds.at(-1) ?? backlogAtStart,
      openNow: backlogFigures.openNow,
      series: plan.keys.map((bucket, i) => ({ bucket, open: backlogEnds[i]! })),
    },
    csat,
    nps,
    retention: {
      previousActive: retention.previousActive,
      retained: retention.retained,
      rate: pct(retention.retained, retention.previousActive),
      // The last bucket's next period is outside the range: its rate is left out (null).
      series: plan.keys.map((bucket, i) => {
        const r = retention.buckets.find((x) => x.bucket === i);
        const last = i === plan.keys.length - 1;
        return { bucket, active: r?.active ?? 0, retainedNext: last ? null : (r?.retainedNext ?? 0), rate: last ? null : pct(r?.retainedNext ?? 0, r?.active ?? 0) };
      }),
    },
    repeatPurchase: { ...repeat, rate: pct(repeat.repeaters, repeat.buyers) },
    topics: { tags: topics(tagRows), words: topics(wordRows) },
    agents: [...agentKeys]
      .map((agentId) => ({ agentId, agentName: agentId === null ? 'unassigned' : (agents.get(agentId) ?? `agent ${agentId}`), ...agentRow(agentId) }))
      .sort((a, b) => a.agentName.localeCompare(b.agentName)),
    channels: [...channelKeys].sort().map((channel) => ({ channel, ...channelRow(channel) })),
  };
}
export type MetricsSummary = Awaited<ReturnType<typeof metricsSummary>>;

/** The sidebar's satisfaction figures for one customer. */
export async function customerMetrics(conn: Db, customerId: number) {
  const figures = await customerFigures(conn, customerId);
  const answer = (a: typeof figures.csat) =>
    a ? { scale: a.scale, score: a.score, comment: a.comment, answeredAt: toIso(Number(a.answered_at)), ticketId: a.ticket_id } : null;
  return {
    customerId,
    openTickets: figures.openTickets,
    lastCsat: answer(figures.csat),
    lastNps: answer(figures.nps),
    orders: {
      count: figures.orders.reduce((sum, o) => sum + Number(o.count), 0),
      /** Lifetime value per currency (cancelled and returned orders excluded), largest first. */
      byCurrency: figures.orders
        .map((o) => ({ currency: o.currency, count: Number(o.count), total: Number(o.total_cents) / 100 }))
        .sort((a, b) => b.total - a.total),
      firstAt: figures.orders.length ? toIso(Math.min(...figures.orders.map((o) => Number(o.first_at)))) : null,
      lastAt: figures.orders.length ? toIso(Math.max(...figures.orders.map((o) => Number(o.last_at)))) : null,
    },
  };
}
