import { createSignal, For, Show } from 'solid-js';
import type { CustomerView } from '../../messaging/protocol';
import { formatDateTime, relativeTime, t } from '../../i18n';
import { Section } from './Section';

/** Notes longer than this (or with many lines) show their first lines and a "Show more" toggle. */
const LONG_NOTE_CHARS = 280;
const LONG_NOTE_LINES = 4;

function Note(props: { note: CustomerView['notes'][number] }) {
  const [expanded, setExpanded] = createSignal(false);
  const long = () => props.note.body.length > LONG_NOTE_CHARS || props.note.body.split('\n').length > LONG_NOTE_LINES;
  return (
    <li class="note" data-testid="rafiq-note">
      <p dir="auto" class="note-body" data-collapsed={long() && !expanded() ? 'true' : 'false'}>
        {props.note.body}
      </p>
      <div class="row">
        <time class="muted" datetime={props.note.createdAt} title={formatDateTime(props.note.createdAt)}>
          {relativeTime(props.note.createdAt)}
        </time>
        <Show when={long()}>
          <button type="button" class="link" data-testid="rafiq-note-toggle" aria-expanded={expanded()} onClick={() => setExpanded(!expanded())}>
            {expanded() ? t('notes.showLess') : t('notes.showMore')}
          </button>
        </Show>
      </div>
    </li>
  );
}

export function NotesSection(props: { notes: CustomerView['notes'] }) {
  return (
    <Section id="notes" title={t('section.notes')} count={props.notes.length}>
      <Show when={props.notes.length} fallback={<p class="muted">{t('notes.none')}</p>}>
        <ul class="list">
          <For each={props.notes}>{(note) => <Note note={note} />}</For>
        </ul>
      </Show>
    </Section>
  );
}
