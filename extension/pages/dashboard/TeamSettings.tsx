import { createResource, createSignal, For, Show } from 'solid-js';
import { WEEKDAYS, type BusinessCalendar, type Weekday } from '@shared/sla';
import { ask, BackgroundError } from '../../messaging/client';
import { channelLabel, errorText, priorityLabel } from '../../i18n/labels';
import { formatNumber, t } from '../../i18n';

type Team = Awaited<ReturnType<typeof loadTeams>>['teams'][number];
const loadTeams = () => ask({ type: 'teamInfo' });

const periodsText = (calendar: BusinessCalendar, day: Weekday) => calendar.week[day].map((p) => `${p.start}-${p.end}`).join(', ');

/** "09:00-13:00, 16:00-20:00" → periods; null when a part is not HH:MM-HH:MM. */
export function parsePeriods(text: string): { start: string; end: string }[] | null {
  const parts = text.split(/[,،]/).map((p) => p.trim()).filter(Boolean);
  const out: { start: string; end: string }[] = [];
  for (const part of parts) {
    const m = /^(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/.exec(part);
    if (!m) return null;
    out.push({ start: m[1]!, end: m[2]! });
  }
  return out;
}

/**
 * Where a team lead sets the team's business calendar (zone, working periods per weekday, holidays),
 * how tickets find an agent, and the SLA targets per channel and priority (issue 21). The API
 * refuses these to non-admins; the page says so instead of showing a form that cannot save.
 */
export function TeamSettings(props: { isAdmin: boolean }) {
  const [teams, { refetch }] = createResource(loadTeams);
  const [policies, { refetch: refetchPolicies }] = createResource(() => ask({ type: 'slaPolicies' }));
  const [notice, setNotice] = createSignal<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const report = async (action: () => Promise<unknown>) => {
    setNotice(null);
    try {
      await action();
      setNotice({ kind: 'ok', text: t('team.saved') });
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };

  const TeamForm = (p: { team: Team }) => {
    const [zone, setZone] = createSignal(p.team.calendar.timeZone);
    const [hours, setHours] = createSignal(Object.fromEntries(WEEKDAYS.map((d) => [d, periodsText(p.team.calendar, d)])) as Record<Weekday, string>);
    const [holidays, setHolidays] = createSignal(p.team.calendar.holidays.join('\n'));
    const [claim, setClaim] = createSignal(p.team.claimOnFirstReply);
    const [roundRobin, setRoundRobin] = createSignal(p.team.roundRobin);
    const save = () =>
      report(async () => {
        const week = {} as Record<Weekday, { start: string; end: string }[]>;
        for (const day of WEEKDAYS) {
          const periods = parsePeriods(hours()[day]);
          if (!periods) throw new BackgroundError('BAD_HOURS', t('team.badHours', { day: t(`weekday.${day}`) }));
          week[day] = periods;
        }
        const holidayList = holidays().split(/\s+/).filter(Boolean);
        await ask({ type: 'updateTeam', teamId: p.team.id, calendar: { timeZone: zone().trim(), week, holidays: holidayList }, claimOnFirstReply: claim(), roundRobin: roundRobin() });
        void refetch();
      });
    return (
      <form
        class="card stack"
        data-testid={`team-form-${p.team.id}`}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3 dir="auto">{p.team.name}</h3>
        <label>
          {t('team.timeZone')} <input type="text" dir="ltr" data-testid="team-zone" value={zone()} onInput={(e) => setZone(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>{t('team.hours')}</legend>
          <For each={WEEKDAYS}>
            {(day) => (
              <label class="row">
                <span>{t(`weekday.${day}`)}</span>
                <input type="text" dir="ltr" data-testid={`team-hours-${day}`} value={hours()[day]} onInput={(e) => setHours({ ...hours(), [day]: e.currentTarget.value })} />
              </label>
            )}
          </For>
        </fieldset>
        <label>
          {t('team.holidays')}
          <textarea dir="ltr" rows={3} value={holidays()} onInput={(e) => setHolidays(e.currentTarget.value)} />
        </label>
        <label>
          <input type="checkbox" checked={claim()} onChange={(e) => setClaim(e.currentTarget.checked)} /> {t('team.claim')}
        </label>
        <label>
          <input type="checkbox" checked={roundRobin()} onChange={(e) => setRoundRobin(e.currentTarget.checked)} /> {t('team.roundRobin')}
        </label>
        <button type="submit" data-testid="team-save">
          {t('team.save')}
        </button>
      </form>
    );
  };

  const [channel, setChannel] = createSignal('*');
  const [priority, setPriority] = createSignal<'*' | 'low' | 'normal' | 'high' | 'urgent'>('*');
  const [first, setFirst] = createSignal(240);
  const [resolution, setResolution] = createSignal(1440);

  return (
    <section class="team-settings card stack" data-testid="dashboard-team-settings">
      <h2>{t('team.title')}</h2>
      <Show when={props.isAdmin} fallback={<p class="muted">{t('team.adminOnly')}</p>}>
        <For each={teams.state === 'ready' ? teams().teams : []}>{(team) => <TeamForm team={team} />}</For>
        <h3>{t('team.policies')}</h3>
        <table>
          <thead>
            <tr>
              <th>{t('team.channel')}</th>
              <th>{t('team.priority')}</th>
              <th>{t('team.firstResponse')}</th>
              <th>{t('team.resolution')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For each={policies.state === 'ready' ? policies() : []}>
              {(p) => (
                <tr data-testid="team-policy">
                  <td>{p.channel === '*' ? t('team.anyChannel') : channelLabel(p.channel)}</td>
                  <td>{priorityLabel(p.priority)}</td>
                  <td>{formatNumber(p.firstResponseMinutes)}</td>
                  <td>{formatNumber(p.resolutionMinutes)}</td>
                  <td>
                    <button type="button" class="link" onClick={() => void report(async () => (await ask({ type: 'removeSlaPolicy', policyId: p.id }), void refetchPolicies()))}>
                      {t('team.remove')}
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void report(async () => {
              await ask({ type: 'setSlaPolicy', policy: { channel: channel().trim() || '*', priority: priority(), firstResponseMinutes: first(), resolutionMinutes: resolution() } });
              void refetchPolicies();
            });
          }}
        >
          <label>
            {t('team.channel')} <input type="text" dir="ltr" size={8} value={channel()} onInput={(e) => setChannel(e.currentTarget.value)} />
          </label>
          <label>
            {t('team.priority')}{' '}
            <select value={priority()} onChange={(e) => setPriority(e.currentTarget.value as '*' | 'low' | 'normal' | 'high' | 'urgent')}>
              <For each={['*', 'low', 'normal', 'high', 'urgent'] as const}>{(p) => <option value={p}>{priorityLabel(p)}</option>}</For>
            </select>
          </label>
          <label>
            {t('team.firstResponse')} <input type="number" min="1" value={first()} onInput={(e) => setFirst(Number(e.currentTarget.value))} />
          </label>
          <label>
            {t('team.resolution')} <input type="number" min="1" value={resolution()} onInput={(e) => setResolution(Number(e.currentTarget.value))} />
          </label>
          <button type="submit" data-testid="team-policy-save">
            {t('team.addPolicy')}
          </button>
        </form>
      </Show>
      <Show when={notice()}>
        {(n) => (
          <p class={n().kind === 'error' ? 'error' : 'muted'} role="status" data-testid="team-notice">
            {n().text}
          </p>
        )}
      </Show>
    </section>
  );
}
