import { For, Show } from 'solid-js';
import type { CustomerView } from '../../messaging/protocol';
import { relativeTime, t } from '../../i18n';
import { Section } from './Section';

export function NotesSection(props: { notes: CustomerView['notes'] }) {
  return (
    <Section id="notes" title={t('section.notes')} count={props.notes.length}>
      <Show when={props.notes.length} fallback={<p class="muted">{t('notes.none')}</p>}>
        <ul class="list">
          <For each={props.notes}>
            {(note) => (
              <li class="note" data-testid="rafiq-note">
                <p dir="auto">{note.body}</p>
                <span class="muted">{relativeTime(note.createdAt)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Section>
  );
}
