import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { PageState } from '../sidebar/page-state';
import { ask } from '../messaging/client';
import { snippetPrefixSetting } from '../storage/settings';
import { cleanBlockText } from '@shared/text';
import type { PublicReplyChecker, PublicReplySubject } from '@shared/public-reply-check';
import { startSnippets, type Expansion } from './snippets';
import { openCollisionConfirm, openPublicReplyConfirm } from './snippets-fill';
import { noteConversationWrite, takeCollisionWarning } from '../sidebar/collision';
import { pageContextKey } from './page-sidebar';

/**
 * Snippets on a live page: the content scripts of Gmail, X and the review sites call this with
 * their reply boxes and the page state the sidebar already reads. The customer is the page's
 * recognized person (looked up through the background, which caches it); the message being
 * answered gives the language when the customer has no locale.
 */
export interface PageSnippetOptions {
  channel: 'email' | 'x' | 'review';
  isReplyBox(element: HTMLElement): boolean;
  page(): PageState;
  /** The incoming message on the page (for the variant's language and the reply history). */
  incoming(): string | null;
  /**
   * Review and complaint sites: what the public-reply check knows (other reviewers' names…) and
   * the check itself, handed in so that only the review sites' script carries it (issue 20).
   */
  publicReply?: { subject(): PublicReplySubject | null; check: PublicReplyChecker };
}

/** The customer of the page's recognized person (the background caches the lookup), or null. */
export async function pageCustomerId(state: PageState): Promise<number | null> {
  if (state.status !== 'recognized' || !state.person) return null;
  try {
    return (await ask({ type: 'lookupPerson', person: state.person })).customer?.id ?? null;
  } catch {
    return null;
  }
}

export async function startPageSnippets(ctx: ContentScriptContext, options: PageSnippetOptions): Promise<void> {
  let prefix = await snippetPrefixSetting.getValue();
  const unwatch = snippetPrefixSetting.watch((value) => (prefix = value ?? ';'));
  const customerId = () => pageCustomerId(options.page());
  const incoming = () => cleanBlockText(options.incoming()).slice(0, 5000) || null;
  // The page context and customer a shortcut was expanded on: the reply history it feeds is
  // refused by the background if the page moved on before it was inserted (issue 17).
  let lastCustomer: number | null = null;
  let lastContext = '';
  const stop = startSnippets(document, {
    isReplyBox: options.isReplyBox,
    prefix: () => prefix,
    async expand(shortcut): Promise<Expansion | null> {
      lastContext = pageContextKey(options.page());
      lastCustomer = await customerId();
      return ask({ type: 'expandSnippet', shortcut, customerId: lastCustomer, incoming: incoming() });
    },
    async confirm(text, editor) {
      // The sidebar on this page keeps the collision guard (issue 21): a teammate who replied
      // here since this tab opened the conversation is named once, next to the box.
      const collision = takeCollisionWarning();
      if (collision && !(await openCollisionConfirm(document, editor, collision))) return false;
      const subject = options.publicReply?.subject();
      if (!subject) return true;
      const warnings = options.publicReply!.check(text, subject);
      return warnings.length ? openPublicReplyConfirm(document, editor, warnings) : true;
    },
    inserted(expansion, text) {
      void noteConversationWrite('replied');
      const message = incoming();
      if (!message) return;
      const context = { key: lastContext, customerId: lastCustomer };
      void ask({ type: 'recordReplyUse', context, customerId: lastCustomer, templateId: expansion.template.id, channel: options.channel, incoming: message, reply: text, source: 'snippet' }).catch(() => undefined);
    },
  });
  ctx.onInvalidated(() => {
    stop();
    unwatch();
  });
}
