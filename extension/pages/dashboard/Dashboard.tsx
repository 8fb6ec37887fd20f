import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { ChartConfiguration } from 'chart.js';
import { ask } from '../../messaging/client';
import type { ResponseMap } from '../../messaging/protocol';
import { direction, formatDate, formatDateTime, formatDuration, formatId, formatNumber, formatPercent, formatSigned, language, locale, t } from '../../i18n';
import { channelLabel, errorText } from '../../i18n/labels';
import { Chart } from './Chart';
import { DataTable, type Column } from './DataTable';
import { bucketLabel, localDate, round1, toHours } from './format';
import { SlaAttainment } from './SlaAttainment';
import { TeamSettings } from './TeamSettings';

type Summary = ResponseMap['metricsSummary'];
type GroupBy = 'day' | 'week' | 'month';

const palette = ['#1f5fbf', '#d9480f', '#2b8a3e', '#9c36b5', '#e8590c', '#0b7285', '#5c940d', '#c2255c', '#495057'];

/**
 * The support lead's view: a date range, then tiles, charts and tables for the service metrics of
 * docs/metrics.md. Everything comes from one `metrics.summary` call through the background.
 */
export function Dashboard() {
  const [from, setFrom] = createSignal(localDate(29));
  const [to, setTo] = createSignal(localDate(0));
  const [groupBy, setGroupBy] = createSignal<GroupBy>('day');
  const [tz, setTz] = createSignal(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [reopenWindowDays, setReopenWindowDays] = createSignal(7);
  const [version, setVersion] = createSignal(0);

  // An inverted range is the agent's slip, not a server error: say so and don't ask the API.
  const inverted = () => from() > to();
  const query = createMemo(() => (inverted() ? false : { from: from(), to: to(), groupBy: groupBy(), tz: tz(), reopenWindowDays: reopenWindowDays(), v: version() }));
  const [summary] = createResource(query, ({ v: _v, ...q }) => ask({ type: 'metricsSummary', ...q }));
  const value = () => (summary.state === 'ready' || summary.state === 'refreshing' ? summary.latest : undefined);
  // "Low scores to follow up" follows the range: the answers given between its first and last instant.
  const [followUps] = createResource(
    () => {
      const range = value()?.range;
      return range ? { start: range.start, end: range.end } : false;
    },
    ({ start, end }) => ask({ type: 'surveyFollowUps', answeredFrom: start, answeredBefore: end }),
  );
  const [teamStatus] = createResource(() => ask({ type: 'getStatus' }).catch(() => null));

  return (
    <main class="dashboard" dir={direction()} lang={language()}>
      <header class="dash-header">
        <h1>{t('dashboard.title')}</h1>
        <form
          class="range"
          onSubmit={(e) => {
            e.preventDefault();
            setVersion(version() + 1);
          }}
        >
          <label>
            {t('dashboard.from')}
            <input type="date" data-testid="dashboard-from" value={from()} aria-invalid={inverted()} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
          </label>
          <label>
            {t('dashboard.to')}
            <input type="date" data-testid="dashboard-to" value={to()} aria-invalid={inverted()} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
          </label>
          <label>
            {t('dashboard.groupBy')}
            <select value={groupBy()} onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}>
              <option value="day">{t('dashboard.day')}</option>
              <option value="week">{t('dashboard.week')}</option>
              <option value="month">{t('dashboard.month')}</option>
            </select>
          </label>
          <label>
            {t('dashboard.timeZone')}
            <input type="text" dir="ltr" value={tz()} size={18} onChange={(e) => e.currentTarget.value.trim() && setTz(e.currentTarget.value.trim())} />
          </label>
          <label>
            {t('dashboard.reopenWindow')}
            <input type="number" min="1" max="365" value={reopenWindowDays()} onChange={(e) => setReopenWindowDays(Math.min(365, Math.max(1, Number(e.currentTarget.value) || 7)))} />
          </label>
          <button type="submit">{t('dashboard.refresh')}</button>
        </form>
      </header>

      <Switch>
        <Match when={inverted()}>
          <p class="notice" role="alert" data-testid="dashboard-invalid-range">
            {t('dashboard.invalidRange', { to: formatDate(`${to()}T12:00:00`) })}
          </p>
        </Match>
        <Match when={summary.state === 'errored'}>
          <p class="error" role="alert" data-testid="dashboard-error" data-detail={String((summary.error as Error)?.message ?? summary.error)}>
            {errorText(summary.error)}
          </p>
        </Match>
        <Match when={value()}>{(s) => <Body summary={s()} followUps={followUps.state === 'ready' ? followUps() : undefined} />}</Match>
        <Match when={true}>
          <p class="muted" aria-busy="true" data-testid="dashboard-loading">
            {t('state.loading')}
          </p>
        </Match>
      </Switch>
      {/* Team workflows (issue 21): SLA attainment for the same range, and the lead's settings. */}
      <SlaAttainment from={from} to={to} tz={tz} version={version} />
      <TeamSettings isAdmin={teamStatus()?.agent?.role === 'admin'} />
    </main>
  );
}

function Body(props: { summary: Summary; followUps: ResponseMap['surveyFollowUps'] | undefined }) {
  const s = () => props.summary;
  const labels = () => s().buckets.map((b) => bucketLabel(b.key, s().range.groupBy));
  const rtl = () => direction() === 'rtl';
  const orNone = (value: number | null, format: (v: number) => string) => (value === null ? '—' : format(value));
  /**
   * Chart.js in the agent's language: its numbers from the same Intl locale as the rest of the
   * page, legends and tooltips right-to-left, time running from the right and the value axis on
   * the right in Arabic and Persian (the chart mirrors like the page).
   */
  const chartOptions = (scales: Record<string, object>, extra: object = {}) => ({
    animation: false as const,
    maintainAspectRatio: false,
    locale: locale(),
    plugins: { legend: { rtl: rtl(), textDirection: direction() }, tooltip: { rtl: rtl(), textDirection: direction() } },
    scales,
    ...extra,
  });
  // Value ticks through the page's formatter: Chart.js writes 0 as a Latin "0" whatever the locale,
  // which mixed digit systems on one axis in Arabic and Persian.
  const valueTicks = () => ({ callback: (value: number | string) => formatNumber(Number(value), { maximumFractionDigits: 2 }) });
  const timeAxes = (y: object = {}) => ({ x: { reverse: rtl() }, y: { position: rtl() ? 'right' : 'left', beginAtZero: true, ticks: valueTicks(), ...y } });
  const line = (datasets: { label: string; data: (number | null)[] }[], options: { min?: number; max?: number } = {}): ChartConfiguration =>
    ({
      type: 'line',
      data: { labels: labels(), datasets: datasets.map((d, i) => ({ ...d, borderColor: palette[i], backgroundColor: palette[i], spanGaps: true, tension: 0.2 })) },
      options: chartOptions(timeAxes({ min: options.min, max: options.max })),
    }) as ChartConfiguration;

  const tiles = () => [
    { id: 'tickets', label: t('dashboard.tickets'), value: formatNumber(s().volume.total.tickets) },
    { id: 'first-response', label: t('dashboard.firstResponse'), value: formatDuration(s().firstResponse.total.medianMs) },
    { id: 'resolution', label: t('dashboard.resolution'), value: formatDuration(s().resolution.total.medianMs) },
    { id: 'review-response', label: t('dashboard.reviewResponse'), value: formatDuration(s().reviewResponse.total.medianMs) },
    { id: 'reopen', label: t('dashboard.reopenRate'), value: orNone(s().reopen.total.rate, formatPercent) },
    { id: 'fcr', label: t('dashboard.fcr'), value: orNone(s().fcr.total.rate, formatPercent) },
    { id: 'backlog', label: t('dashboard.backlog'), value: formatNumber(s().backlog.atEnd) },
    { id: 'csat', label: t('dashboard.csat'), value: orNone(s().csat.total.score, formatPercent) },
    { id: 'nps', label: t('dashboard.nps'), value: orNone(s().nps.total.score, (v) => formatSigned(v)) },
    { id: 'retention', label: t('dashboard.retention'), value: orNone(s().retention.rate, formatPercent) },
    { id: 'repeat', label: t('dashboard.repeatPurchase'), value: orNone(s().repeatPurchase.rate, formatPercent) },
  ];

  const volumeChart = (): ChartConfiguration =>
    ({
      type: 'bar',
      data: {
        labels: labels(),
        datasets: s().volume.channels.map((channel, i) => ({
          label: channelLabel(channel),
          data: s().volume.byBucketChannel.map((b) => Number(b[channel] ?? 0)),
          backgroundColor: palette[i % palette.length],
        })),
      },
      options: chartOptions({ x: { stacked: true, reverse: rtl() }, y: { stacked: true, beginAtZero: true, position: rtl() ? 'right' : 'left', ticks: valueTicks() } }),
    }) as ChartConfiguration;
  const topicChart = (topics: Summary['topics']['tags']['top']): ChartConfiguration =>
    ({
      type: 'bar',
      data: {
        labels: topics.map((x) => x.topic),
        datasets: [
          { label: t('dashboard.thisPeriod'), data: topics.map((x) => x.current), backgroundColor: palette[0] },
          { label: t('dashboard.lastPeriod'), data: topics.map((x) => x.previous), backgroundColor: '#868e96' },
        ],
      },
      // Bars grow from the inline start: from the right in Arabic and Persian.
      options: chartOptions({ x: { reverse: rtl(), beginAtZero: true, ticks: valueTicks() }, y: { position: rtl() ? 'right' : 'left' } }, { indexAxis: 'y' }),
    }) as ChartConfiguration;

  const periodRows = () =>
    s().buckets.map((b, i) => ({
      period: b.key,
      periodLabel: bucketLabel(b.key, s().range.groupBy),
      tickets: s().volume.series[i]!.tickets,
      frt: s().firstResponse.series[i]!,
      res: s().resolution.series[i]!,
      reopen: s().reopen.series[i]!.rate,
      fcr: s().fcr.series[i]!.rate,
      backlog: s().backlog.series[i]!.open,
      csat: s().csat.series[i]!.score,
      nps: s().nps.series[i]!.score,
      retention: s().retention.series[i]!.rate,
    }));
  type PeriodRow = ReturnType<typeof periodRows>[number];
  // Column sets are functions so their headers follow a language change made while the page is open.
  const periodColumns = (): Column<PeriodRow>[] => [
    { title: t('dashboard.col.period'), value: (r) => r.period, show: (r) => r.periodLabel },
    { title: t('dashboard.col.tickets'), value: (r) => r.tickets },
    { title: t('dashboard.col.frtMedian'), value: (r) => toHours(r.frt.medianMs) },
    { title: t('dashboard.col.frtP90'), value: (r) => toHours(r.frt.p90Ms) },
    { title: t('dashboard.col.resMedian'), value: (r) => toHours(r.res.medianMs) },
    { title: t('dashboard.col.resP90'), value: (r) => toHours(r.res.p90Ms) },
    { title: t('dashboard.col.reopen'), value: (r) => round1(r.reopen) },
    { title: t('dashboard.col.fcr'), value: (r) => round1(r.fcr) },
    { title: t('dashboard.col.backlog'), value: (r) => r.backlog },
    { title: t('dashboard.col.csat'), value: (r) => round1(r.csat) },
    { title: t('dashboard.col.nps'), value: (r) => round1(r.nps) },
    { title: t('dashboard.col.retention'), value: (r) => round1(r.retention) },
  ];

  type TeamRow = Summary['agents'][number] | Summary['channels'][number];
  const teamColumns = <R extends TeamRow>(first: Column<R>): Column<R>[] => [
    first,
    { title: t('dashboard.col.tickets'), value: (r) => r.tickets },
    { title: t('dashboard.col.open'), value: (r) => r.openNow },
    { title: t('dashboard.col.frtMedian'), value: (r) => toHours(r.firstResponseMedianMs) },
    { title: t('dashboard.col.frtP90'), value: (r) => toHours(r.firstResponseP90Ms) },
    { title: t('dashboard.col.resolved'), value: (r) => r.resolved },
    { title: t('dashboard.col.resMedian'), value: (r) => toHours(r.resolutionMedianMs) },
    { title: t('dashboard.col.resP90'), value: (r) => toHours(r.resolutionP90Ms) },
    { title: t('dashboard.col.reopen'), value: (r) => round1(r.reopenRate) },
    { title: t('dashboard.col.fcr'), value: (r) => round1(r.fcrRate) },
    { title: t('dashboard.col.csat'), value: (r) => round1(r.csat) },
    { title: t('dashboard.col.nps'), value: (r) => round1(r.nps) },
  ];
  const agentColumns = () =>
    teamColumns<Summary['agents'][number]>({
      title: t('dashboard.col.agent'),
      value: (r) => (r.agentId === null ? t('dashboard.unassigned') : r.agentName),
      data: true,
    });
  const channelColumns = () => teamColumns<Summary['channels'][number]>({ title: t('dashboard.col.channel'), value: (r) => r.channel, show: (r) => channelLabel(r.channel) });

  type Topic = Summary['topics']['tags']['top'][number];
  const topicColumns = (): Column<Topic>[] => [
    { title: t('dashboard.col.topic'), value: (r) => r.topic, data: true },
    { title: t('dashboard.col.current'), value: (r) => r.current },
    { title: t('dashboard.col.previous'), value: (r) => r.previous },
    { title: t('dashboard.col.change'), value: (r) => r.change, show: (r) => `${r.change > 0 ? '▲ ' : r.change < 0 ? '▼ ' : ''}${formatSigned(r.change, 0)}` },
  ];

  type FollowUp = ResponseMap['surveyFollowUps']['items'][number];
  const followUpColumns = (): Column<FollowUp>[] => [
    { title: t('dashboard.col.date'), value: (r) => r.answeredAt, show: (r) => formatDateTime(r.answeredAt) },
    { title: t('dashboard.col.customer'), value: (r) => r.customerName, data: true },
    { title: t('dashboard.col.ticket'), value: (r) => `#${r.ticketId} ${r.ticketSubject}`, show: (r) => `${t('tickets.number', { id: formatId(r.ticketId) })} ${r.ticketSubject}`, data: true },
    { title: t('dashboard.col.scale'), value: (r) => r.scale.toUpperCase() },
    { title: t('dashboard.col.score'), value: (r) => r.score },
    { title: t('dashboard.col.comment'), value: (r) => r.comment, data: true, wrap: true },
  ];
  const fileName = (name: string) => `rafiq-${name}-${s().range.from}-${s().range.to}.csv`;

  return (
    <>
      <section class="tiles" aria-label={t('dashboard.title')}>
        <For each={tiles()}>
          {(tile) => (
            <div class="tile" data-testid={`dashboard-tile-${tile.id}`}>
              <span class="tile-label">{tile.label}</span>
              <strong class="tile-value">
                <bdi>{tile.value}</bdi>
              </strong>
            </div>
          )}
        </For>
      </section>

      <section class="charts">
        <div class="card">
          <h2>{t('dashboard.volumeByChannel')}</h2>
          <Chart config={volumeChart} label={t('dashboard.volumeByChannel')} testId="chart-volume" />
        </div>
        <div class="card">
          <h2>{t('dashboard.responseTrend')}</h2>
          <Chart
            label={t('dashboard.responseTrend')}
            testId="chart-first-response"
            config={() =>
              line([
                { label: t('dashboard.median'), data: s().firstResponse.series.map((b) => toHours(b.medianMs)) },
                { label: t('dashboard.p90'), data: s().firstResponse.series.map((b) => toHours(b.p90Ms)) },
              ])
            }
          />
        </div>
        <div class="card">
          <h2>{t('dashboard.resolutionTrend')}</h2>
          <Chart
            label={t('dashboard.resolutionTrend')}
            testId="chart-resolution"
            config={() =>
              line([
                { label: t('dashboard.median'), data: s().resolution.series.map((b) => toHours(b.medianMs)) },
                { label: t('dashboard.p90'), data: s().resolution.series.map((b) => toHours(b.p90Ms)) },
              ])
            }
          />
        </div>
        <div class="card">
          <h2>{t('dashboard.ratesTrend')}</h2>
          <Chart
            label={t('dashboard.ratesTrend')}
            testId="chart-rates"
            config={() =>
              line(
                [
                  { label: t('dashboard.reopenRate'), data: s().reopen.series.map((b) => round1(b.rate)) },
                  { label: t('dashboard.fcr'), data: s().fcr.series.map((b) => round1(b.rate)) },
                ],
                { min: 0, max: 100 },
              )
            }
          />
        </div>
        <div class="card">
          <h2>{t('dashboard.backlogTrend')}</h2>
          <Chart label={t('dashboard.backlogTrend')} testId="chart-backlog" config={() => line([{ label: t('dashboard.backlog'), data: s().backlog.series.map((b) => b.open) }])} />
        </div>
        <div class="card">
          <h2>{t('dashboard.retentionTrend')}</h2>
          <Chart
            label={t('dashboard.retentionTrend')}
            testId="chart-retention"
            config={() => ({
              type: 'bar',
              data: { labels: labels(), datasets: [{ label: t('dashboard.retention'), data: s().retention.series.map((b) => round1(b.rate)), backgroundColor: palette[2] }] },
              // Like the other charts: the page's digits, legend and time axis mirrored in Arabic and Persian.
              options: chartOptions(timeAxes({ min: 0, max: 100 })),
            })}
          />
        </div>
        <div class="card">
          <h2>{t('dashboard.satisfactionTrend')}</h2>
          <Chart
            label={t('dashboard.satisfactionTrend')}
            testId="chart-satisfaction"
            config={() =>
              line(
                [
                  { label: t('dashboard.csat'), data: s().csat.series.map((b) => round1(b.score)) },
                  { label: t('dashboard.nps'), data: s().nps.series.map((b) => round1(b.score)) },
                ],
                { min: -100, max: 100 },
              )
            }
          />
        </div>
        <div class="card">
          <h2>{t('dashboard.topWords')}</h2>
          <Chart label={t('dashboard.topWords')} testId="chart-topics" config={() => topicChart(s().topics.words.top)} />
        </div>
        <Show when={s().topics.tags.top.length}>
          <div class="card">
            <h2>{t('dashboard.topTags')}</h2>
            <Chart label={t('dashboard.topTags')} testId="chart-tags" config={() => topicChart(s().topics.tags.top)} />
          </div>
        </Show>
      </section>

      <DataTable id="agents" title={t('dashboard.perAgent')} columns={agentColumns()} rows={s().agents} fileName={fileName('agents')} />
      <DataTable id="channels" title={t('dashboard.perChannel')} columns={channelColumns()} rows={s().channels} fileName={fileName('channels')} />
      <DataTable id="periods" title={t('dashboard.perPeriod')} columns={periodColumns()} rows={periodRows()} fileName={fileName('periods')} />
      <DataTable id="words" title={t('dashboard.topWords')} columns={topicColumns()} rows={s().topics.words.top} fileName={fileName('topics-words')} />
      <DataTable id="tags" title={t('dashboard.topTags')} columns={topicColumns()} rows={s().topics.tags.top} fileName={fileName('topics-tags')} />
      <DataTable id="follow-ups" title={t('dashboard.followUps')} columns={followUpColumns()} rows={props.followUps?.items ?? []} fileName={fileName('follow-ups')} />
    </>
  );
}
