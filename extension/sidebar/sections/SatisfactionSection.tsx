import { createResource, For, Show } from 'solid-js';
import { ask } from '../../messaging/client';
import { formatList, formatMoney, relativeTime, t, tp } from '../../i18n';
import { Section } from './Section';

/** The customer's open tickets, last CSAT and NPS answers (with their words) and lifetime orders. */
export function SatisfactionSection(props: { customerId: number }) {
  const [figures] = createResource(
    () => props.customerId,
    (customerId) => ask({ type: 'customerMetrics', customerId }),
  );
  // Reading an errored resource throws in Solid: look at `.state` first; a failure only hides the section.
  const value = () => (figures.state === 'ready' || figures.state === 'refreshing' ? figures.latest : undefined);

  return (
    <Show when={value()}>
      {(f) => (
        <Section id="satisfaction" title={t('section.satisfaction')}>
          <ul class="list" data-testid="rafiq-satisfaction">
            <li data-testid="rafiq-satisfaction-open">{t('satisfaction.openTickets', { count: f().openTickets })}</li>
            <Show when={f().lastCsat || f().lastNps} fallback={<li class="muted">{t('satisfaction.noAnswers')}</li>}>
              <For each={[f().lastCsat, f().lastNps].filter((a) => a !== null)}>
                {(answer) => (
                  <li data-testid={`rafiq-satisfaction-${answer.scale}`}>
                    <span class={answer.scale === 'csat' ? (answer.score <= 2 ? 'error' : answer.score >= 4 ? 'ok' : '') : answer.score <= 6 ? 'error' : answer.score >= 9 ? 'ok' : ''}>
                      {t(answer.scale === 'csat' ? 'satisfaction.csat' : 'satisfaction.nps', { score: answer.score })}
                    </span>{' '}
                    <span class="muted">{relativeTime(answer.answeredAt)}</span>
                    <Show when={answer.comment}>
                      {(comment) => (
                        <blockquote class="excerpt" dir="auto">
                          {comment()}
                        </blockquote>
                      )}
                    </Show>
                  </li>
                )}
              </For>
            </Show>
            <Show when={f().orders.count} fallback={<li class="muted">{t('satisfaction.noOrders')}</li>}>
              <li data-testid="rafiq-satisfaction-orders">
                {tp('satisfaction.orders', f().orders.count)}
                {': '}
                <bdi>{formatList(f().orders.byCurrency.map((c) => formatMoney(c.total, c.currency)))}</bdi>
              </li>
            </Show>
          </ul>
        </Section>
      )}
    </Show>
  );
}
