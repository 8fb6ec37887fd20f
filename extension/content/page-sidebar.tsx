import { createSignal, type JSX } from 'solid-js';
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
}

/** The common content-script flow: watch the page, keep a PageState signal, show the sidebar. */
export async function mountPageSidebar(ctx: ContentScriptContext, options: PageSidebarOptions) {
  const [page, setPage] = createSignal<PageState>({ status: 'unrecognized' });
  await mountSidebar(ctx, { page, hooks: options.hooks, extra: options.extra });
  const watcher = watchPage<PageState>(ctx, {
    siteId: options.siteId,
    read: options.read,
    onChange: setPage,
    onFailure: () => ({ status: 'failed' }),
    scope: options.scope,
    // Gmail and X render a thread in bursts; 120 ms after the last change keeps recognition
    // well inside the 300 ms budget while skipping the intermediate states.
    debounceMs: options.debounceMs ?? 120,
    leadingMs: options.leadingMs,
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
  return `${c.kind}|${id}|${JSON.stringify(state.person?.identities ?? null)}`;
}
