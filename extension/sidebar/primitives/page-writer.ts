import { createContext, useContext } from 'solid-js';
import { ask, BackgroundError } from '../../messaging/client';
import type { Request, RequestType, ResponseMap } from '../../messaging/protocol';
import { t } from '../../i18n';

/**
 * Writes bound to one page context (issue 17). The sidebar mounts everything it shows for a
 * person under one context key (see `Sidebar.tsx`); every write made there goes through this
 * writer, which stamps it with that key and the customer the agent saw, and refuses it locally
 * when the page has already moved on. The background checks the same key against what the tab
 * reported (`handlers.ts`), so a write from a stale panel is refused twice over.
 */
export interface PageWriter {
  write<T extends RequestType>(request: Extract<Request, { type: T }>): Promise<ResponseMap[T]>;
  /** True while the page still shows the context this writer was made for. */
  current(): boolean;
}

export const CONTEXT_CHANGED = 'CONTEXT_CHANGED';

export function makePageWriter(key: string, customerId: () => number | null, isCurrent: () => boolean): PageWriter {
  return {
    current: isCurrent,
    async write(request) {
      if (!isCurrent()) throw new BackgroundError(CONTEXT_CHANGED, t('notice.contextChanged'));
      try {
        const bound = { ...request, context: { key, customerId: customerId() } } as Extract<Request, { type: typeof request.type }>;
        return (await ask(bound)) as ResponseMap[typeof request.type];
      } catch (error) {
        // The background's English sentence becomes the agent's language.
        if (error instanceof BackgroundError && error.code === CONTEXT_CHANGED) throw new BackgroundError(CONTEXT_CHANGED, t('notice.contextChanged'));
        throw error;
      }
    },
  };
}

/** Outside a page (the identity page, the dashboard) writes are not bound to a context. */
const unbound: PageWriter = { write: (request) => ask(request), current: () => true };

export const PageWriterContext = createContext<PageWriter>(unbound);

export function usePageWriter(): PageWriter {
  return useContext(PageWriterContext);
}
