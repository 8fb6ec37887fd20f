import { For, Show } from 'solid-js';
import type { CustomerView } from '../../messaging/protocol';
import { formatMoney, relativeTime, t } from '../../i18n';
import { Section } from './Section';

export function OrdersSection(props: { orders: CustomerView['orders'] }) {
  return (
    <Section id="orders" title={t('section.orders')} count={props.orders.items.length}>
      <Show when={props.orders.items.length} fallback={<p class="muted">{t('orders.none')}</p>}>
        <ul class="list">
          <For each={props.orders.items}>
            {(order) => (
              <li class="order" data-testid="rafiq-order">
                <span class="order-number" dir="ltr">{order.number}</span>
                <span class={`status status-${order.status}`}>{order.status}</span>
                <span>{formatMoney(order.total, order.currency)}</span>
                <span class="muted">{relativeTime(order.placedAt)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Section>
  );
}
