import { createSignal, type JSX } from 'solid-js';
import { browser } from 'wxt/browser';
import type { Request } from '../messaging/protocol';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { SiteId } from '@shared/page-context';
import type { PageHooks, PageState } from '../sidebar/page-state';
import { mountSidebar } from './mount-sidebar';
import { watchPage } from './watch-page';

export interface PageSidebarOptions {
  siteId: SiteId;
  scope(): Element | null;
  read(): PageState;
  hooks: PageHooks;
  extra?: () => JSX.Element;
  debounceMs?: number;
  leadingMs?: number;
  /** Which DOM changes are worth a re-read (watch-page's `relevant`). */
  relevant?(record: MutationRecord): boolean;
}

/** The common content-script flow: watch the page, keep a PageState signal, show the sidebar. */
export async function mountPageSidebar(ctx: ContentScriptContext, options: PageSidebarOptions) {
  const [page, setPage] = createSignal<PageState>({ status: 'unrecognized' });
  // The background learns each new context before any write made on it can arrive (messages
  // from one content script are delivered in order), and refuses writes made on an older one.
  let reported: string | undefined;
  const onChange = (state: PageState) => {
    const key = pageContextKey(state);
    if (key !== reported) {
      reported = key;
      void browser.runtime.sendMessage({ type: 'pageContext', key } satisfies Request).catch(() => undefined);
    }
    setPage(state);
  };
  await mountSidebar(ctx, { page, hooks: options.hooks, extra: options.extra });
  const watcher = watchPage<PageState>(ctx, {
    siteId: options.siteId,
    read: options.read,
    onChange,
    onFailure: () => ({ status: 'failed' }),
    scope: options.scope,
    // Gmail and X render a thread in bursts; 120 ms after the last change keeps recognition
    // well inside the 300 ms budget while skipping the intermediate states.
    debounceMs: options.debounceMs ?? 120,
    leadingMs: options.leadingMs,
    relevant: options.relevant,
    key: pageKey,
  });
  return { page, setPage, rerun: watcher.rerun };
}

/** Two page states are the same when they name the same thing about the same person. */
export function pageKey(state: PageState): string {
  if (state.status !== 'recognized') return state.status;
  const c = state.context;
  const id =
    c.kind === 'email-thread'
      ? `${c.threadId}:${c.messages.length}`
      : c.kind === 'x-status'
        ? c.tweet.id
        : c.kind === 'reviews'
          ? `${c.reviews.length}:${c.unreadable.length}`
          : c.url;
  // The URL too: a view rendered before its URL changed must be read again once it has (the
  // wandering e2e caught a logged email keeping the previous thread's link).
  return `${c.kind}|${id}|${c.url}|${JSON.stringify(state.person?.identities ?? null)}`;
}

/**
 * What the sidebar shows belongs to one page context: the conversation (thread, tweet, profile,
 * review page) and the person in it. Everything drawn for a person — card, notices, dialogs,
 * drafts — is mounted under this key and dropped when it changes (issue 17). Unlike `pageKey`
 * it ignores what changes *within* a conversation (a new message arriving), so a draft survives.
 */
export function pageContextKey(state: PageState): string {
  if (state.status !== 'recognized') return state.status;
  const c = state.context;
  const where =
    c.kind === 'email-thread'
      ? c.threadId
      : c.kind === 'x-status'
        ? c.tweet.id
        : c.url;
  const who = state.person ? JSON.stringify(state.person.identities.map((i) => [i.kind, i.value.toLowerCase()])) : '-';
  return `${c.kind}|${where}|${who}`;
}
