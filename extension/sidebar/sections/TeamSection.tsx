import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show, untrack } from 'solid-js';
import { clocksOf, currentClock, type SlaClock } from '@shared/sla';
import { PRESENCE_HEARTBEAT_MS, PRESENCE_POLL_MS } from '@shared/presence-timing';
import type { PresenceSnapshot } from '@shared/presence';
import { ask, BackgroundError } from '../../messaging/client';
import { errorText } from '../../i18n/labels';
import type { TicketView } from '../../messaging/protocol';
import { formatDateTime, formatId, formatNumber, relativeTime, t } from '../../i18n';
import { lastReplyAt, setCollisionConversation, setCollisionWarning } from '../collision';
import { createTeamClock } from '../primitives/createTeamClock';
import { Section } from './Section';
import { usePageWriter } from '../primitives/page-writer';
import { presenceHeartbeat, presenceLeaveNow, presenceLeaveSoon } from '../presence-tab';

/** A reply inserted within this long makes this tab's presence "replying" for teammates. */
const REPLYING_FOR_MS = 2 * 60_000;

/** "1 h 20 m" in the UI language (Intl's unit names; no hand-written plurals). */
export function formatBusinessMinutes(minutes: number, lang?: string): string {
  const total = Math.max(0, Math.round(Math.abs(minutes)));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  // Through the i18n layer (its locale carries the digit system), unless a test asks for a bare language.
  const unit = (value: number, u: 'day' | 'hour' | 'minute') => {
    const options: Intl.NumberFormatOptions = { style: 'unit', unit: u, unitDisplay: 'narrow' };
    return lang ? new Intl.NumberFormat(lang, options).format(value) : formatNumber(value, options);
  };
  const parts = [days ? unit(days, 'day') : '', hours ? unit(hours, 'hour') : '', mins || (!days && !hours) ? unit(mins, 'minute') : ''].filter(Boolean);
  return parts.join(' ');
}

/** Green, amber at 75% used, red once breached (the same thresholds as the API's queues). */
export function slaTone(clock: SlaClock): 'ok' | 'warning' | 'breached' | 'paused' | 'done' {
  switch (clock.state) {
    case 'warning':
      return 'warning';
    case 'breached':
    case 'missed':
      return 'breached';
    case 'paused':
      return 'paused';
    case 'met':
      return 'done';
    default:
      return 'ok';
  }
}

/**
 * The open ticket's SLA clock, who else is on this conversation, and its assignment (issue 21).
 * Takes the tickets and the conversation it shows as props (the sidebar decides which person and
 * page this is); everything else comes through background messages.
 */
export function TeamSection(props: {
  tickets: TicketView[];
  /** The conversation on screen: the ticket source key of this thread, tweet or review (null: none). */
  conversationKey: string | null;
  me: number | null;
  onChanged(): void;
}) {
  const now = createTeamClock();
  const ticket = createMemo(() => props.tickets.find((x) => props.conversationKey && x.sourceKey === props.conversationKey) ?? props.tickets[0] ?? null);
  const [sla] = createResource(
    () => {
      const current = ticket();
      // Refetch when the ticket changes in a way that moves its clocks.
      return current ? { id: current.id, status: current.status, responded: current.firstResponseAt, assignee: current.assigneeId } : null;
    },
    ({ id }) => ask({ type: 'ticketSla', ticketId: id }),
  );
  const slaValue = () => (sla.state === 'ready' || sla.state === 'refreshing' ? sla.latest : undefined);
  const running = createMemo(() => {
    const value = slaValue();
    return value ? currentClock(clocksOf(value.sla, now())) : null;
  });

  // ---- presence: heartbeat every 5 s, poll every second, leave when nothing follows
  // One presence tab per page (presence-tab.ts): moving to the next thread is one heartbeat, which
  // also brings who is there (`read`), instead of a leave, a heartbeat and a read (issue 20).
  const [openedAt, setOpenedAt] = createSignal<string | null>(null);
  const [presence, setPresence] = createSignal<PresenceSnapshot | 'unknown' | null>(null);
  // Keyed on the conversation only (`on` leaves the body untracked): a ticket refetch or a reply
  // must not restart presence, or the collision window would start again.
  createEffect(on(() => props.conversationKey, (key) => {
    setOpenedAt(null);
    setPresence(null);
    setCollisionConversation(key ? { key, ticketId: untrack(ticket)?.id ?? null } : null);
    if (!key) return;
    let version: string | undefined;
    let stopped = false;
    const show = (snapshot: PresenceSnapshot) => {
      version = snapshot.version;
      setPresence({ version: snapshot.version, viewers: snapshot.viewers, activity: snapshot.activity });
    };
    const beat = async () => {
      try {
        const activity = Date.now() - lastReplyAt() < REPLYING_FOR_MS ? 'replying' : 'viewing';
        const first = !openedAt();
        const answer = await presenceHeartbeat(key, activity, first);
        if (!stopped && !openedAt()) {
          setOpenedAt(answer.openedAt);
          // The first answer at once: until it comes the line says "checking", not "offline".
          // A server without the combined answer gets a read, as before.
          if ('presence' in answer && answer.presence) show(answer.presence);
          else void poll();
        }
      } catch {
        if (!stopped) setPresence('unknown');
      }
    };
    const poll = async () => {
      const since = openedAt();
      if (!since || stopped) return;
      try {
        const answer = await ask({ type: 'presenceRead', conversationKey: key, since, ifVersion: version });
        if (stopped) return;
        if (!answer.unchanged) show(answer);
        else if (presence() === 'unknown') {
          version = undefined; // ask for the full answer again after being offline
        }
      } catch (error) {
        if (!stopped && !(error instanceof BackgroundError && error.code === 'BAD_MESSAGE')) {
          setPresence('unknown');
          version = undefined;
        }
      }
    };
    void beat();
    const beats = setInterval(() => void beat(), PRESENCE_HEARTBEAT_MS);
    // Polls fall on the wall clock's second, so every tab of this browser asks at the same moment
    // and the background sends their reads in one request (PRESENCE_BATCH_WINDOW_MS).
    let polls: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      void poll();
      polls = setTimeout(tick, PRESENCE_POLL_MS - (Date.now() % PRESENCE_POLL_MS));
    };
    polls = setTimeout(tick, PRESENCE_POLL_MS - (Date.now() % PRESENCE_POLL_MS));
    const leave = () => void presenceLeaveNow({ pageGoing: true });
    window.addEventListener('pagehide', leave);
    onCleanup(() => {
      stopped = true;
      clearInterval(beats);
      clearTimeout(polls);
      window.removeEventListener('pagehide', leave);
      // The next thread's card usually follows at once and moves the tab with its heartbeat.
      presenceLeaveSoon();
      setCollisionConversation(null);
    });
  }));

  // What teammates did here since this tab opened it: shown, and checked before a reply or a log.
  const collision = createMemo(() => {
    const p = presence();
    if (!p || p === 'unknown' || !p.activity.length) return null;
    const latest = p.activity[0]!;
    const text = t(latest.kind === 'replied' ? 'collision.replied' : 'collision.logged', { name: latest.name, time: relativeTime(latest.at, now()) });
    return { text, version: p.activity.map((a) => `${a.agentId}@${a.at}`).join(',') };
  });
  createEffect(() => {
    const c = collision();
    setCollisionWarning(c);
  });

  // ---- assignment
  const [team] = createResource(() => ask({ type: 'teamInfo' }));
  const members = () => (team.state === 'ready' ? team().members : []);
  const nameOf = (id: number) => members().find((m) => m.agentId === id)?.name ?? `#${id}`;
  const [notice, setNotice] = createSignal<{ kind: 'ok' | 'error'; text: string } | null>(null);
  // The ticket of the page shown: refused once the page moved on (issue 17).
  const writer = usePageWriter();
  const assign = async (to: 'me' | number | null) => {
    const current = ticket();
    if (!current) return;
    setNotice(null);
    try {
      await writer.write({ type: 'assignTicket', ticketId: current.id, to });
      setNotice({ kind: 'ok', text: t('assign.done') });
      props.onChanged();
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };

  const clockText = () => {
    const r = running();
    if (!r) return t('sla.noTarget');
    const c = r.clock;
    if (c.state === 'paused') return t('sla.paused');
    if (c.state === 'met') return t('sla.met');
    const time = formatBusinessMinutes(c.remainingMinutes);
    const overdue = c.state === 'breached' || c.state === 'missed';
    if (r.kind === 'firstResponse') return t(overdue ? 'sla.replyOverdue' : 'sla.replyDue', { time });
    return t(overdue ? 'sla.resolveOverdue' : 'sla.resolveDue', { time });
  };
  const dueTitle = () => {
    const c = running()?.clock;
    if (!c?.deadline) return undefined;
    const when = formatDateTime(c.deadline);
    return t('sla.dueAt', { when, percent: Math.round(c.percentUsed) });
  };

  return (
    <Section id="team" title={t('section.team')}>
      <Show when={ticket()} fallback={<p class="muted">{t('sla.noTicket')}</p>}>
        {(current) => (
          <>
            <p
              class={`sla-clock sla-${running() ? slaTone(running()!.clock) : 'none'}`}
              data-testid="rafiq-sla-clock"
              data-state={running()?.clock.state ?? 'none'}
              title={dueTitle()}
            >
              <span class="ticket-id">{t('tickets.number', { id: formatId(current().id) })}</span> {clockText()}
            </p>
            <div class="row assign" data-testid="rafiq-assignment">
              <span class="muted">{current().assigneeId ? t('assign.assignedTo', { name: nameOf(current().assigneeId!) }) : t('assign.unassigned')}</span>
              <Show when={current().assigneeId !== props.me}>
                <button type="button" class="link" data-testid="rafiq-assign-me" onClick={() => void assign('me')}>
                  {t('assign.toMe')}
                </button>
              </Show>
              <select
                data-testid="rafiq-assign-to"
                aria-label={t('assign.toTeammate')}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  e.currentTarget.value = '';
                  if (value === 'none') void assign(null);
                  else if (value) void assign(Number(value));
                }}
              >
                <option value="">{t('assign.toTeammate')}</option>
                <For each={members().filter((m) => m.agentId !== current().assigneeId)}>{(m) => <option value={m.agentId}>{m.name}</option>}</For>
                <Show when={current().assigneeId !== null}>
                  <option value="none">{t('assign.unassign')}</option>
                </Show>
              </select>
            </div>
          </>
        )}
      </Show>
      <Show when={props.conversationKey}>
        <p class="presence" data-testid="rafiq-presence" data-state={presenceState(presence())}>
          <Show
            when={typeof presence() === 'object' && presence() !== null && (presence() as PresenceSnapshot).viewers.length > 0}
            fallback={presence() === null ? t('presence.checking') : presence() === 'unknown' ? t('presence.unknown') : t('presence.alone')}
          >
            <For each={(presence() as PresenceSnapshot).viewers}>
              {(v, i) => (
                <>
                  {i() > 0 ? ' · ' : ''}
                  {t(v.activity === 'replying' ? 'presence.replying' : 'presence.viewing', { name: v.name })}
                </>
              )}
            </For>
          </Show>
        </p>
      </Show>
      <Show when={collision()}>
        {(c) => (
          <p class="notice notice-error" role="alert" data-testid="rafiq-collision">
            {c().text}
          </p>
        )}
      </Show>
      <Show when={notice()}>
        {(n) => (
          <p class={`notice notice-${n().kind}`} role="status">
            {n().text}
          </p>
        )}
      </Show>
    </Section>
  );
}

function presenceState(p: PresenceSnapshot | 'unknown' | null): string {
  if (p === null) return 'checking';
  if (p === 'unknown') return 'unknown';
  return p.viewers.length ? 'others' : 'alone';
}
