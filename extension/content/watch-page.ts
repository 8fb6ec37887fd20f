import type { ContentScriptContext } from 'wxt/utils/content-script-context';

export interface WatchOptions<S> {
  /** Reads the page; may throw (a site changed its markup): that becomes `onFailure()`. */
  read(): S;
  onChange(state: S): void;
  onFailure(error: unknown): S;
  /** The smallest container whose changes matter (Gmail's main view); body when null. */
  scope(): Element | null;
  /** Wait this long after the last DOM change before reading (SPAs render in bursts). */
  debounceMs: number;
  /** Minimum time between two immediate (leading-edge) reads; defaults to debounceMs. */
  leadingMs?: number;
  /**
   * Which DOM changes can change what `read()` returns (default: all). X passes one that ignores
   * its side column and anything outside tweets, so unrelated churn never re-reads the page.
   */
  relevant?(record: MutationRecord): boolean;
  /** Compare states so an unchanged page does no work downstream. */
  key(state: S): string;
  siteId: string;
}

/**
 * Re-reads an SPA page (Gmail, X never reload) on WXT's location change and on a debounced
 * MutationObserver scoped to the smallest useful container. All listeners hang off `ctx`, so
 * they stop when the extension is updated or reloaded ("context invalidated" is a quiet stop).
 */
export function watchPage<S>(ctx: ContentScriptContext, options: WatchOptions<S>): { rerun(): void } {
  let lastKey: string | null = null;
  let timer: number | undefined;
  let loggedFailure = false;
  let observed: Element | null = null;
  // Rafiq's own nodes (badges placed by `onChange`/`read`) are not page changes: re-reading the
  // whole page for them doubled the work of every burst.
  const ours = (node: Node | null | undefined) => node?.nodeType === Node.ELEMENT_NODE && (node as Element).localName.startsWith('rafiq-');
  // X's badges are plain elements in the page (no shadow root, issue 20): repainting one (its
  // button's text) is a change inside a `rafiq-` element or its button, not the page's.
  const insideOurs = (node: Node) => {
    const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
    return ours(element) || ours(element?.parentElement);
  };
  // (Rafiq never edits a text node's data in place, so characterData records skip that check:
  // they are most of the churn of a page's counters and side columns.)
  const relevant = (record: MutationRecord) =>
    (record.type === 'characterData' || !insideOurs(record.target)) &&
    (record.type !== 'childList' || record.removedNodes.length > 0 || ![...record.addedNodes].every(ours));
  const siteRelevant = options.relevant;
  const observer = new MutationObserver((records) => {
    if (!siteRelevant) {
      if (records.some(relevant)) schedule();
      return;
    }
    // The site's filter sees every record (it may note what changed), not only up to the first hit.
    let changed = false;
    for (const record of records) if (relevant(record) && siteRelevant(record)) changed = true;
    if (changed) schedule();
  });

  const run = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (ctx.isInvalid) return;
    let state: S;
    try {
      state = options.read();
    } catch (error) {
      if (!loggedFailure) {
        loggedFailure = true;
        console.warn(`[rafiq] could not read ${options.siteId} page ${location.href}:`, error);
      }
      state = options.onFailure(error);
    }
    const key = options.key(state);
    if (key !== lastKey) {
      lastKey = key;
      options.onChange(state);
    }
    // The scope element can be replaced by the app: follow it.
    const scope = options.scope() ?? document.body;
    if (scope !== observed) {
      observer.disconnect();
      observer.observe(scope, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['email', 'data-legacy-thread-id', 'href'] });
      observed = scope;
    }
  };
  // Leading and trailing: the first change of a burst is read at once (a thread switch paints
  // the new customer without waiting), and the page is read again once the burst has settled
  // (debounceMs after the last change) so a half-rendered state never sticks.
  // Never ran on an edge yet: -Infinity, not 0 (performance.now() starts at the page load, so 0
  // suppressed the leading edge for the first `leadingMs` of a page's life).
  let lastRun = Number.NEGATIVE_INFINITY;
  const schedule = (urlChanged = false) => {
    const now = performance.now();
    // A URL change is read at once and leaves the leading edge to the DOM change that follows
    // it: otherwise Gmail's new thread, rendered just after the hash changed, waited for the
    // trailing read (issue 20: ~50 of the ~100 ms of a cold thread switch).
    if (urlChanged) run();
    // A new burst soon after the last one (an agent moving quickly between threads) still gets
    // its immediate read: the leading edge is throttled on its own interval, not the debounce.
    else if (now - lastRun >= (options.leadingMs ?? options.debounceMs)) {
      lastRun = now;
      run();
    }
    if (timer !== undefined) clearTimeout(timer);
    // Plain setTimeout, cleared once on invalidation below: `ctx.setTimeout` adds an invalidation
    // listener per call that is never removed, and X schedules on every frame while tweets stream
    // in (thousands of listeners in a long session; a measurable cost per call, issue 20).
    timer = window.setTimeout(() => {
      timer = undefined;
      lastRun = performance.now();
      run();
    }, options.debounceMs);
  };

  // An explicit rerun (the agent clicked something) is read at once whatever the leading-edge
  // throttle says: only DOM churn is throttled (X reads at most every `leadingMs` while tweets
  // stream in, then once more when they settle).
  const rerunNow = () => {
    lastRun = Number.NEGATIVE_INFINITY;
    schedule();
  };
  // WXT signals the change from the Navigation API's `navigate` event, which fires inside
  // `history.pushState`, before the URL is committed and before the page has rendered what it
  // navigated to: read once the page's task is over (a microtask), with the new URL.
  ctx.addEventListener(window, 'wxt:locationchange', () => queueMicrotask(() => schedule(true)));
  ctx.onInvalidated(() => {
    observer.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  });
  run();
  return { rerun: rerunNow };
}
