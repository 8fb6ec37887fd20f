import { afterEach, expect, test } from 'vitest';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { watchPage } from '../../extension/content/watch-page';

/**
 * Issue 20: WXT reports a URL change from the Navigation API's `navigate` event, which fires
 * inside `history.pushState`, before the URL is committed and before the page has swapped in
 * what it navigated to. Reading right there saw the old thread and used up the leading edge, so
 * the new thread waited for the trailing read (~50 ms of a cold Gmail switch).
 */
let invalid = false;
const listeners = new Map<string, () => void>();
const ctx = {
  get isInvalid() {
    return invalid;
  },
  addEventListener: (_target: unknown, type: string, handler: () => void) => void listeners.set(type, handler),
  onInvalidated: () => undefined,
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
} as unknown as ContentScriptContext;

afterEach(() => {
  invalid = true;
  listeners.clear();
  document.body.innerHTML = '';
});

test('a URL change and the view swapped in the same task are read at once, with the new URL and the new view', async () => {
  invalid = false;
  history.replaceState(null, '', '#inbox/old');
  document.body.innerHTML = '<div role="main">old thread</div>';
  const seen: string[] = [];
  watchPage<string>(ctx, {
    siteId: 'gmail',
    read: () => `${location.hash}|${document.querySelector('[role="main"]')!.textContent}`,
    onChange: (state) => void seen.push(state),
    onFailure: () => 'failed',
    scope: () => document.body,
    debounceMs: 30,
    leadingMs: 40,
    key: (state) => state,
  });
  expect(seen).toEqual(['#inbox/old|old thread']);

  // What Gmail does, in one task: the navigate event (WXT's locationchange) fires inside
  // pushState before the URL is committed, then the thread view is replaced.
  listeners.get('wxt:locationchange')!();
  history.pushState(null, '', '#inbox/new');
  document.querySelector('[role="main"]')!.textContent = 'new thread';
  // Once the task is over (its microtasks), well before the 30 ms trailing read.
  await Promise.resolve();
  await Promise.resolve();
  expect(seen).toEqual(['#inbox/old|old thread', '#inbox/new|new thread']);
});
