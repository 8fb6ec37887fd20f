import { For, Show } from 'solid-js';
import type { TicketView } from '../../messaging/protocol';
import { formatDateTime, formatId, relativeTime, t } from '../../i18n';
import { ticketStatusLabel } from '../../i18n/labels';
import { Section } from './Section';

export function TicketsSection(props: { tickets: TicketView[]; onStatus(ticketId: number, status: 'resolved' | 'open'): void }) {
  return (
    <Section id="tickets" title={t('section.tickets')} count={props.tickets.length}>
      <Show when={props.tickets.length} fallback={<p class="muted">{t('tickets.none')}</p>}>
        <ul class="list">
          <For each={props.tickets}>
            {(ticket) => (
              <li class="ticket" data-testid="rafiq-ticket" data-priority={ticket.priority}>
                <div class="row">
                  <bdi class="ticket-id">{t('tickets.number', { id: formatId(ticket.id) })}</bdi>
                  <span class={`status status-${ticket.status}`}>{ticketStatusLabel(ticket.status)}</span>
                  <time class="muted" datetime={ticket.createdAt} title={formatDateTime(ticket.createdAt)}>
                    {relativeTime(ticket.createdAt)}
                  </time>
                </div>
                <div class="subject" dir="auto">{ticket.subject}</div>
                <button type="button" class="link" onClick={() => props.onStatus(ticket.id, 'resolved')}>
                  {t('tickets.resolve')}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Section>
  );
}
