import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import type { TimelinePage } from '../../messaging/protocol';
import { ask } from '../../messaging/client';
import { formatDateTime, relativeTime, t } from '../../i18n';
import { channelLabel } from '../../i18n/labels';
import { channelIcon } from '../channel-icons';
import { Section } from './Section';

/** All channels merged, newest first; more pages load when the end scrolls into view. */
export function TimelineSection(props: { customerId: number; first: TimelinePage }) {
  const [items, setItems] = createSignal(props.first.items);
  const [cursor, setCursor] = createSignal(props.first.nextCursor);
  const [loading, setLoading] = createSignal(false);
  let sentinel: HTMLDivElement | undefined;
  // A new first page (another customer, or a refresh after a write) starts the list over.
  createEffect(
    on(
      () => props.first,
      (first) => {
        setItems(first.items);
        setCursor(first.nextCursor);
      },
      { defer: true },
    ),
  );

  const loadMore = async () => {
    const next = cursor();
    if (!next || loading()) return;
    setLoading(true);
    try {
      const page = await ask({ type: 'timelinePage', customerId: props.customerId, cursor: next });
      setItems([...items(), ...page.items]);
      setCursor(page.nextCursor);
    } finally {
      setLoading(false);
    }
  };

  onMount(() => {
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore());
    observer.observe(sentinel);
    onCleanup(() => observer.disconnect());
  });

  return (
    <Section id="timeline" title={t('section.timeline')}>
      <Show when={items().length} fallback={<p class="muted">{t('timeline.empty')}</p>}>
        <ol class="timeline">
          <For each={items()}>
            {(item) => (
              <li class="timeline-item" data-testid="rafiq-timeline-item" data-channel={item.channel} data-direction={item.direction}>
                <span class="icon" role="img" aria-label={channelLabel(item.channel)} title={channelLabel(item.channel)}>
                  {channelIcon[item.channel] ?? '•'}
                </span>
                <div class="body">
                  <div class="summary" dir="auto">{item.summary}</div>
                  <time class="muted" datetime={item.occurredAt} title={formatDateTime(item.occurredAt)}>
                    {relativeTime(item.occurredAt)}
                  </time>
                </div>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <div ref={sentinel} class="sentinel" />
      <Show when={cursor()}>
        <button type="button" class="link" disabled={loading()} onClick={loadMore}>
          {loading() ? t('state.loading') : t('timeline.more')}
        </button>
      </Show>
    </Section>
  );
}
