import { createResource, Show, type Accessor } from 'solid-js';
import { ask } from '../../messaging/client';
import type { ResponseMap } from '../../messaging/protocol';
import { formatNumber, formatPercent, t } from '../../i18n';
import { channelLabel, errorText } from '../../i18n/labels';
import { DataTable, type Column } from './DataTable';

type Row = ResponseMap['slaAttainment']['rows'][number];

/**
 * SLA attainment (issue 21): % of first responses and resolutions within target, per agent and
 * channel, with the team total as a tile and the table exportable as CSV. Uses the dashboard's
 * range and time zone; a clock still running and not yet due counts neither way.
 */
export function SlaAttainment(props: { from: Accessor<string>; to: Accessor<string>; tz: Accessor<string>; version: Accessor<number> }) {
  const [report] = createResource(
    () => ({ from: props.from(), to: props.to(), tz: props.tz(), v: props.version() }),
    ({ from, to, tz }) => ask({ type: 'slaAttainment', from, to, tz }),
  );
  // Percentages and counts in the language's digits (locale() carries the digit system and calendar).
  const pct = (value: number | null) => (value === null ? '—' : formatPercent(value));
  const cell = (c: Row['firstResponse']) => `${pct(c.percent)} (${formatNumber(c.met)}/${formatNumber(c.met + c.missed)})`;
  // The API sends channel codes; the total row's '*' stands for every channel.
  const channelName = (channel: string) => (channel === '*' ? t('dashboard.sla.allChannels') : channelLabel(channel));
  // A function, not a constant: this card renders before the language setting arrives, and its
  // headers must follow it (and any later change) like the rest of the page.
  const columns = (): Column<Row>[] => [
    // Agent names are data (any script), isolated; channels read in the agent's language (the CSV keeps the code, like the per-channel table).
    { title: t('dashboard.sla.agent'), value: (r) => r.agentName ?? t('dashboard.sla.nobody'), data: true },
    { title: t('dashboard.sla.channel'), value: (r) => r.channel, show: (r) => channelName(r.channel) },
    { title: t('dashboard.sla.tickets'), value: (r) => r.tickets },
    { title: t('dashboard.sla.firstResponse'), value: (r) => r.firstResponse.percent, show: (r) => cell(r.firstResponse) },
    { title: t('dashboard.sla.resolution'), value: (r) => r.resolution.percent, show: (r) => cell(r.resolution) },
  ];
  return (
    <section class="sla-attainment" data-testid="dashboard-sla">
      <Show when={report.state === 'errored'}>
        <p class="error" role="alert">
          {errorText(report.error)}
        </p>
      </Show>
      <Show when={report.state === 'ready' || report.state === 'refreshing' ? report.latest : undefined}>
        {(r) => (
          <>
            <div class="tiles">
              <div class="tile" data-testid="tile-sla-first-response">
                <span class="tile-label">{t('dashboard.sla.firstResponse')}</span>
                <span class="tile-value">{pct(r().total.firstResponse.percent)}</span>
              </div>
              <div class="tile" data-testid="tile-sla-resolution">
                <span class="tile-label">{t('dashboard.sla.resolution')}</span>
                <span class="tile-value">{pct(r().total.resolution.percent)}</span>
              </div>
            </div>
            <Show when={r().truncated}>
              <p class="muted">{t('dashboard.sla.truncated')}</p>
            </Show>
            <DataTable id="sla" title={t('dashboard.sla.title')} columns={columns()} rows={[...r().rows, { ...r().total, agentName: t('dashboard.sla.total') }]} fileName={`rafiq-sla-${props.from()}-${props.to()}.csv`} />
          </>
        )}
      </Show>
    </section>
  );
}
