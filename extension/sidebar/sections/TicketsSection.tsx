import { For, Show } from 'solid-js';
import type { TicketView } from '../../messaging/protocol';
import { relativeTime, t } from '../../i18n';
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
                  <span class="ticket-id">#{ticket.id}</span>
                  <span class={`status status-${ticket.status}`}>{ticket.status}</span>
                  <span class="muted">{relativeTime(ticket.createdAt)}</span>
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
