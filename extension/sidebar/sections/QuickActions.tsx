import { createResource, createSignal, For, Show } from 'solid-js';
import type { ReplyTemplate } from '@shared/reply-template';
import { ask, BackgroundError, newIdempotencyKey } from '../../messaging/client';
import { formatId, t } from '../../i18n';
import { errorText, ticketStatusLabel } from '../../i18n/labels';
import { usePageWriter } from '../primitives/page-writer';
import type { InsertResult, LogTarget, TicketDraft } from '../page-state';
import { Section } from './Section';
import { guardCollision, guardedInsert, noteConversationWrite } from '../collision';
import type { PublicReplyChecker, PublicReplySubject } from '@shared/public-reply-check';
import { createPublicReplyCheck } from './PublicReplyCheck';

type Panel = 'none' | 'note' | 'reply';

export function QuickActions(props: {
  customerId: number;
  logTarget: LogTarget | null;
  ticketDraft: TicketDraft | null;
  insertReply(text: string): Promise<InsertResult>;
  /** Set on review and complaint pages: replies there are public and checked first (issue 22). */
  publicReply?: PublicReplySubject | null;
  /** The page's public-reply check (review sites only, `PageHooks.checkPublicReply`). */
  checkPublicReply?: PublicReplyChecker;
  /** Told when a template went into the reply box: it feeds the suggestions' history (issue 22). */
  onTemplateInserted?(templateId: number, text: string): void;
  onChanged(): void;
}) {
  const publicCheck = createPublicReplyCheck(() => props.publicReply ?? null, () => props.checkPublicReply);
  // Writes are bound to the page context this panel was mounted for (issue 17).
  const writer = usePageWriter();
  const [panel, setPanel] = createSignal<Panel>('none');
  const [notice, setNotice] = createSignal<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [noteBody, setNoteBody] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [templates] = createResource(
    () => (panel() === 'reply' ? query() : null),
    (q) => ask({ type: 'listTemplates', query: q }),
  );

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice({ kind: 'ok', text: await action() });
      props.onChanged();
    } catch (error) {
      // A write kept in the outbox is not an error: it will be delivered.
      const queued = error instanceof BackgroundError && error.code === 'QUEUED';
      setNotice({ kind: queued ? 'ok' : 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const saveNote = () =>
    run(async () => {
      const done = () => {
        setNoteBody('');
        setPanel('none');
      };
      try {
        await writer.write({ type: 'addNote', idempotencyKey: newIdempotencyKey(), customerId: props.customerId, body: noteBody() });
      } catch (error) {
        // Kept in the outbox: as good as saved for the agent, so the form closes too.
        if (error instanceof BackgroundError && error.code === 'QUEUED') done();
        throw error;
      }
      done();
      return t('action.saved');
    });

  const createTicket = (draft: TicketDraft) =>
    run(async () => {
      const { ticket } = await writer.write({ type: 'createTicket', idempotencyKey: newIdempotencyKey(), customerId: props.customerId, ...draft });
      return t('action.ticketCreated', { number: t('tickets.number', { id: formatId(ticket.id) }), status: ticketStatusLabel(ticket.status) });
    });

  const logItem = (target: LogTarget) =>
    run(async () => {
      guardCollision();
      const { created } = await writer.write({
        type: 'logInteraction',
        idempotencyKey: newIdempotencyKey(),
        customerId: props.customerId,
        channel: target.channel,
        direction: 'inbound',
        summary: target.summary,
        excerpt: target.excerpt,
        url: target.url,
        externalId: target.externalId,
        occurredAt: target.occurredAt,
      });
      void noteConversationWrite('logged');
      return created ? t('action.logged') : t('action.alreadyLogged');
    });

  const useTemplate = (template: ReplyTemplate) =>
    run(async () => {
      let text = '';
      const result = await guardedInsert(async () => {
        text = (await ask({ type: 'renderTemplate', templateId: template.id, customerId: props.customerId })).text;
        if (!(await publicCheck.confirm(text))) return 'kept' as const;
        return props.insertReply(text);
      });
      if (result === 'kept') return t('publicReply.kept');
      if (result === 'no-box') throw new BackgroundError('NO_REPLY_BOX', t('action.replyNoBox'));
      props.onTemplateInserted?.(template.id, text);
      setPanel('none');
      return result === 'inserted' ? t('action.replyInserted') : t('action.replyCopied');
    });

  return (
    <Section id="actions" title={t('section.actions')}>
      <div class="actions">
        <button type="button" data-testid="rafiq-action-note" onClick={() => setPanel(panel() === 'note' ? 'none' : 'note')}>
          {t('action.note')}
        </button>
        <Show when={props.ticketDraft}>
          {(draft) => (
            <button type="button" data-testid="rafiq-action-ticket" disabled={busy()} onClick={() => createTicket(draft())}>
              {t('action.createTicket')}
            </button>
          )}
        </Show>
        <Show when={props.logTarget}>
          {(target) => (
            <button type="button" data-testid="rafiq-action-log" disabled={busy()} onClick={() => logItem(target())}>
              {t(target().label)}
            </button>
          )}
        </Show>
        <button type="button" data-testid="rafiq-action-reply" onClick={() => setPanel(panel() === 'reply' ? 'none' : 'reply')}>
          {t('action.reply')}
        </button>
      </div>
      <Show when={panel() === 'note'}>
        <form
          class="panel"
          onSubmit={(event) => {
            event.preventDefault();
            if (noteBody().trim()) void saveNote();
          }}
        >
          <textarea
            data-testid="rafiq-note-input"
            aria-label={t('action.note')}
            dir="auto"
            rows={3}
            maxLength={10_000}
            placeholder={t('action.notePlaceholder')}
            value={noteBody()}
            onInput={(e) => setNoteBody(e.currentTarget.value)}
          />
          <div class="row">
            <button type="submit" data-testid="rafiq-note-save" disabled={busy() || !noteBody().trim()}>
              {t('action.save')}
            </button>
            <button type="button" class="link" onClick={() => setPanel('none')}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      </Show>
      <Show when={panel() === 'reply'}>
        <div class="panel">
          <input
            type="search"
            data-testid="rafiq-template-search"
            aria-label={t('action.replySearch')}
            placeholder={t('action.replySearch')}
            value={query()}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
          <ul class="list templates">
            <For each={templates() ?? []}>
              {(template) => (
                <li>
                  <button type="button" class="template" data-testid="rafiq-template-item" disabled={busy()} onClick={() => useTemplate(template)}>
                    <span dir="auto">{template.name}</span>
                    <bdi class="muted" dir="ltr">/{template.shortcut}</bdi>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <publicCheck.Warning />
      <Show when={notice()}>
        {(n) => (
          <p class={`notice notice-${n().kind}`} role="status" data-testid="rafiq-notice">
            {n().text}
          </p>
        )}
      </Show>
    </Section>
  );
}
