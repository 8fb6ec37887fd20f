import { createResource, createSignal, For, onMount, Show } from 'solid-js';
import { ask } from '../../messaging/client';
import { channelLabel, errorText } from '../../i18n/labels';
import type { ResponseMap } from '../../messaging/protocol';
import { direction, formatId, relativeTime, t } from '../../i18n';
import { formatBusinessMinutes, slaTone } from '../../sidebar/sections/TeamSection';

type Queue = 'mine' | 'unassigned' | 'breaching';
type Item = ResponseMap['queueList']['items'][number];

/**
 * The agent's queues (issue 21): Mine, Unassigned, Breaching soon, with counts; each item shows
 * customer, channel, age and SLA clock, and opens its source (the Gmail thread, the tweet, the
 * review) where the sidebar shows that ticket.
 */
export function QueuePage() {
  const [queue, setQueue] = createSignal<Queue>('mine');
  const [error, setError] = createSignal<string | null>(null);
  const [items, setItems] = createSignal<Item[]>([]);
  const [cursor, setCursor] = createSignal<number | null>(null);
  const [counts, { refetch: refetchCounts }] = createResource(() => ask({ type: 'queueCounts' }).catch(() => null));
  const [status] = createResource(() => ask({ type: 'getStatus' }).catch(() => null));
  const [available, setAvailableSignal] = createSignal<boolean | null>(null);
  createResource(
    () => status()?.agent?.id,
    async (me) => {
      const info = await ask({ type: 'teamInfo' });
      setAvailableSignal(info.members.find((m) => m.agentId === me)?.available ?? false);
    },
  );

  const load = async (which: Queue, from: number | null) => {
    setError(null);
    try {
      const page = await ask({ type: 'queueList', queue: which, cursor: from });
      setItems(from === null ? page.items : [...items(), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(errorText(e));
    }
  };
  onMount(() => void load('mine', null));
  const pick = (which: Queue) => {
    setQueue(which);
    setItems([]);
    void load(which, null);
    void refetchCounts();
  };

  const clockCell = (item: Item) => {
    const c = item.clock?.clock;
    if (!c) return <span class="muted">—</span>;
    const overdue = c.state === 'breached' || c.state === 'missed';
    const key = item.clock!.kind === 'firstResponse' ? (overdue ? 'sla.replyOverdue' : 'sla.replyDue') : overdue ? 'sla.resolveOverdue' : 'sla.resolveDue';
    return (
      <span class={`sla-${slaTone(c)}`} data-testid="queue-sla" data-state={c.state}>
        {c.state === 'paused' ? t('sla.paused') : t(key, { time: formatBusinessMinutes(c.remainingMinutes) })}
      </span>
    );
  };

  const tab = (which: Queue, label: string, count: () => number | undefined) => (
    <button type="button" aria-pressed={queue() === which} data-testid={`queue-tab-${which}`} onClick={() => pick(which)}>
      {label} <span class="count">{count() ?? '…'}</span>
    </button>
  );

  return (
    <main class="page stack" dir={direction()}>
      <h1>{t('queue.title')}</h1>
      <Show when={available() !== null}>
        <label>
          <input
            type="checkbox"
            data-testid="queue-available"
            checked={available()!}
            onChange={async (e) => {
              const value = e.currentTarget.checked;
              await ask({ type: 'setAvailable', available: value });
              setAvailableSignal(value);
            }}
          />{' '}
          {t('queue.available')}
        </label>
      </Show>
      <div class="queue-tabs" role="group">
        {tab('mine', t('queue.mine'), () => counts()?.mine)}
        {tab('unassigned', t('queue.unassigned'), () => counts()?.unassigned)}
        {tab('breaching', t('queue.breaching'), () => counts()?.breaching)}
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()!}
        </p>
      </Show>
      <Show when={items().length} fallback={<p class="muted" data-testid="queue-empty">{t('queue.empty')}</p>}>
        <table class="queue-table" data-testid="queue-table">
          <thead>
            <tr>
              <th>{t('queue.col.customer')}</th>
              <th>{t('queue.col.channel')}</th>
              <th>{t('queue.col.age')}</th>
              <th>{t('queue.col.sla')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={items()}>
              {(item) => (
                <tr data-testid="queue-item" data-ticket-id={item.ticketId}>
                  <td>
                    <Show when={item.sourceUrl} fallback={<bdi title={t('queue.noSource')}>{item.customerName}</bdi>}>
                      <a href={item.sourceUrl!} target="_blank" rel="noopener noreferrer" title={t('queue.openSource')}>
                        <bdi>{item.customerName}</bdi>
                      </a>
                    </Show>
                    <div class="muted" dir="auto">
                      {t('tickets.number', { id: formatId(item.ticketId) })} <bdi>{item.subject}</bdi>
                    </div>
                  </td>
                  <td>{channelLabel(item.channel)}</td>
                  <td>{relativeTime(item.createdAt)}</td>
                  <td>{clockCell(item)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={cursor() !== null}>
        <button type="button" onClick={() => void load(queue(), cursor())}>
          {t('queue.more')}
        </button>
      </Show>
    </main>
  );
}
