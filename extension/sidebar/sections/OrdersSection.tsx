import { For, Show } from 'solid-js';
import type { CustomerView } from '../../messaging/protocol';
import { formatDate, formatMoney, relativeTime, t } from '../../i18n';
import { orderStatusLabel } from '../../i18n/labels';
import { Section } from './Section';

export function OrdersSection(props: { orders: CustomerView['orders'] }) {
  return (
    <Section id="orders" title={t('section.orders')} count={props.orders.items.length}>
      <Show when={props.orders.items.length} fallback={<p class="muted">{t('orders.none')}</p>}>
        <ul class="list">
          <For each={props.orders.items}>
            {(order) => (
              <li class="order" data-testid="rafiq-order">
                <bdi class="order-number" dir="ltr">{order.number}</bdi>
                <span class={`status status-${order.status}`}>{orderStatusLabel(order.status)}</span>
                {/* Amount and date in their own cells: "€120.00" never runs into "3 days ago". */}
                <bdi class="order-total">{formatMoney(order.total, order.currency)}</bdi>
                <time class="muted order-date" datetime={order.placedAt} title={formatDate(order.placedAt)}>
                  {relativeTime(order.placedAt)}
                </time>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Section>
  );
}
