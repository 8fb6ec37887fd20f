import '../../sidebar/sidebar.css';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { PageContextOf } from '@shared/page-context';
import { normalizeEmail } from '@shared/normalize';
import { gmailAdapter } from '../../sites/gmail/gmail.adapter';
import { contentScriptMatches } from '../../sites/hosts';
import { answersThread, findGmailReplyBox, insertGmailReply } from '../../sites/gmail/gmail.reply';
import { mountPageSidebar } from '../../content/page-sidebar';
import type { PageState } from '../../sidebar/page-state';
import { agentEmailsSetting } from '../../storage/settings';
import { startPageSnippets } from '../../content/snippets-page';
import { startSentReplies } from '../../content/sent-replies';
import { editorSelectors, hiddenAncestor, replyEndBefore, sendButtonSelector } from '../../sites/gmail/gmail.selectors';

type Thread = PageContextOf<'email-thread'>;
const threadOf = (state: PageState): Thread | null =>
  state.status === 'recognized' && state.context.kind === 'email-thread' ? state.context : null;

export default defineContentScript({
  matches: contentScriptMatches('gmail'),
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    const agentEmails = (await agentEmailsSetting.getValue()).flatMap((email) => {
      const n = normalizeEmail(email);
      return n.ok ? [n.normalized] : [];
    });
    const sidebar = await mountPageSidebar(ctx, {
      siteId: 'gmail',
      // Scope: see below (the whole page, so compose windows are seen too).
      // The whole page, not only the main view: compose windows open and close outside it (the
      // wandering e2e caught a closed compose's recipient staying on the card).
      scope: () => document.body,
      // Thread switches are the hot path: read at once, then again 30 ms after Gmail stops
      // changing the view (measured: warm p50 142 ms with a 120 ms settle, 43 ms with 30 ms).
      leadingMs: 40,
      debounceMs: 30,
      read() {
        const context = gmailAdapter.recognize(document, new URL(location.href), { agentEmails });
        if (!context || context.kind === 'email-list') return { status: 'unrecognized' };
        if (context.kind === 'email-thread' || context.kind === 'email-compose') return { status: 'recognized', context, person: context.customer };
        return { status: 'unrecognized' };
      },
      hooks: {
        async insertReply(text) {
          const box = findGmailReplyBox(document);
          return box && insertGmailReply(box, text) ? 'inserted' : 'no-box';
        },
        logTarget(state) {
          const thread = threadOf(state);
          if (!thread?.customer) return null;
          const customerEmail = thread.customer.identities[0]?.value.toLowerCase();
          const last = [...thread.messages].reverse().find((m) => m.fromEmail.toLowerCase() === customerEmail);
          return {
            label: 'action.logEmail',
            channel: 'email',
            externalId: last?.id ? `gmail:${last.id}` : `gmail-thread:${thread.threadId}`,
            summary: thread.subject.slice(0, 500) || '(no subject)',
            excerpt: null,
            url: thread.url,
            occurredAt: last?.time ?? null,
          };
        },
        ticketDraft(state) {
          const thread = threadOf(state);
          if (!thread) return null;
          return {
            subject: thread.subject.slice(0, 500) || '(no subject)',
            channel: 'email',
            sourceUrl: thread.url,
            sourceKey: `email:${thread.threadId}`,
            excerpt: null,
          };
        },
      },
    });
    // Snippets (issue 22) in reply and compose bodies; the message answered is the last one open.
    const replyBoxes = {
      channel: 'email',
      isReplyBox: (el: HTMLElement) => editorSelectors.some((selector) => el.matches(selector)) && el.closest(hiddenAncestor) === null,
      page: sidebar.page,
      // Gmail's message body (div.a3s, seen in every saved thread): the newest one shown.
      incoming: () => [...document.querySelectorAll('div[role="main"] div.a3s')].pop()?.textContent ?? threadOf(sidebar.page())?.subject ?? null,
    } as const;
    await startPageSnippets(ctx, replyBoxes);
    // What the agent sends there feeds the reply history (Send, or Gmail's own Ctrl/Cmd+Enter).
    ctx.onInvalidated(
      await startSentReplies(document, {
        ...replyBoxes,
        isReplyBox: (el) => replyBoxes.isReplyBox(el) && answersThread(el, threadOf(sidebar.page())?.subject),
        sendControl: sendButtonSelector,
        sendKeys: true,
        notTyped: replyEndBefore,
      }),
    );
  },
});
