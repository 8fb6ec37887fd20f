import { createResource, createSignal, For, Show } from 'solid-js';
import type { PublicReplyChecker, PublicReplySubject } from '@shared/public-reply-check';
import { ask } from '../../messaging/client';
import { guardedInsert } from '../collision';
import { formatDate, formatId, t } from '../../i18n';
import { errorText } from '../../i18n/labels';
import type { InsertResult, PageState } from '../page-state';
import { createPublicReplyCheck } from './PublicReplyCheck';
import { Section } from './Section';
import { usePageWriter, type PageWriter } from '../primitives/page-writer';

/** The message being answered on this page, and its channel (issue 22). */
export function incomingOf(page: PageState): { channel: 'email' | 'x' | 'review'; text: string } | null {
  if (page.status !== 'recognized') return null;
  const c = page.context;
  if (c.kind === 'x-status') return { channel: 'x', text: c.tweet.text };
  if (c.kind === 'email-thread') return c.subject ? { channel: 'email', text: c.subject } : null;
  if (c.kind === 'reviews') {
    const review = c.reviews.find((r) => r.reviewId === c.focusReviewId) ?? c.reviews.find((r) => r.reviewerName === page.person?.displayName);
    return review ? { channel: 'review', text: [review.title, review.text].filter(Boolean).join('\n') } : null;
  }
  return null;
}

/**
 * A template inserted from Quick actions feeds the history too (best effort, never blocks). It
 * goes through the page's writer: a reply recorded after the page moved on would teach the
 * history a reply to the wrong conversation, so it is dropped (issue 17).
 */
export function recordTemplateUse(writer: PageWriter, page: PageState, customerId: number, templateId: number, text: string): void {
  const i = incomingOf(page);
  if (!i || !text.trim()) return;
  void writer.write({ type: 'recordReplyUse', customerId, templateId, channel: i.channel, incoming: i.text, reply: text, source: 'template' }).catch(() => undefined);
}

/**
 * Up to three replies for the message on the page, from resolved history and templates, each
 * saying where it came from. Insert puts it in the reply box for the agent to edit and send:
 * nothing is sent from here.
 */
export function SuggestedReplies(props: {
  customerId: number;
  page: PageState;
  insertReply(text: string): Promise<InsertResult>;
  publicReply?: PublicReplySubject | null;
  /** The page's public-reply check (review sites only, `PageHooks.checkPublicReply`). */
  checkPublicReply?: PublicReplyChecker;
}) {
  const incoming = () => incomingOf(props.page);
  const writer = usePageWriter();
  const [suggestions] = createResource(
    () => {
      const i = incoming();
      return i ? { ...i, customerId: props.customerId } : null;
    },
    (i) => ask({ type: 'suggestReplies', customerId: i.customerId, channel: i.channel, incoming: i.text }),
  );
  const [notice, setNotice] = createSignal<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const publicCheck = createPublicReplyCheck(() => props.publicReply ?? null, () => props.checkPublicReply);
  const list = () => (suggestions.state === 'ready' ? suggestions() : []);

  const insert = async (s: { text: string; templateId: number | null }) => {
    setNotice(null);
    try {
      // A teammate who replied here since this tab opened it is named once first (issue 21).
      const result = await guardedInsert(async () => ((await publicCheck.confirm(s.text)) ? props.insertReply(s.text) : ('kept' as const)));
      if (result === 'kept') return setNotice({ kind: 'ok', text: t('publicReply.kept') });
      if (result === 'no-box') return setNotice({ kind: 'error', text: t('action.replyNoBox') });
      setNotice({ kind: 'ok', text: result === 'inserted' ? t('action.replyInserted') : t('action.replyCopied') });
      const i = incoming();
      if (i) void writer.write({ type: 'recordReplyUse', customerId: props.customerId, templateId: s.templateId, channel: i.channel, incoming: i.text, reply: s.text, source: 'suggestion' }).catch(() => undefined);
    } catch (error) {
      // In the agent's language by error code, never the background's English detail.
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };

  return (
    <Show when={incoming()}>
      <Section id="suggested-replies" title={t('suggest.title')} count={list().length}>
        <Show when={list().length} fallback={<p class="muted">{suggestions.loading ? t('state.loading') : t('suggest.none')}</p>}>
          <ul class="list suggestions">
            <For each={list()}>
              {(s) => (
                <li class="suggestion" data-testid="rafiq-suggestion">
                  <p dir="auto" class="suggestion-text">{s.text}</p>
                  <p class="muted" data-testid="rafiq-suggestion-source">
                    {s.source
                      ? t('suggest.from', {
                          ticket: s.source.ticketId ? t('tickets.number', { id: formatId(s.source.ticketId) }) : '—',
                          date: formatDate(s.source.at),
                          agent: s.source.agentName ?? '—',
                        })
                      : t('suggest.fromTemplate', { name: s.templateName ?? '' })}
                  </p>
                  <button type="button" data-testid="rafiq-suggestion-insert" onClick={() => void insert(s)}>
                    {t('suggest.insert')}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <publicCheck.Warning />
        <Show when={notice()}>{(n) => <p class={`notice notice-${n().kind}`} role="status">{n().text}</p>}</Show>
      </Section>
    </Show>
  );
}
