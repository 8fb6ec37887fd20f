import { afterEach, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { watchPage } from '../../extension/content/watch-page';

/** Issue 20: how often a streaming page is re-read, and what does not count as a page change. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  fakeBrowser.reset();
  document.body.replaceChildren();
});

function watch(leadingMs: number) {
  document.body.innerHTML = '<main><div id="list"></div><span id="mine"></span></main>';
  const ctx = new ContentScriptContext('watch-page-test');
  let reads = 0;
  const watcher = watchPage(ctx, {
    siteId: 'x',
    read: () => ++reads,
    onChange: () => undefined,
    onFailure: () => -1,
    scope: () => document.querySelector('main'),
    debounceMs: 100,
    leadingMs,
    key: (n) => String(n),
  });
  return { ctx, watcher, reads: () => reads };
}

test('a burst is read at its first change and once it settles, not at every change (leadingMs)', async () => {
  const { ctx, reads } = watch(2_000);
  expect(reads()).toBe(1); // the first read, on start
  const list = document.getElementById('list')!;
  for (let i = 0; i < 6; i++) {
    list.append(document.createElement('div'));
    await sleep(10);
  }
  expect(reads()).toBe(2); // leading edge only; the throttle holds the rest
  await sleep(250);
  expect(reads()).toBe(3); // trailing, once settled
  ctx.abort();
});

test('a rerun reads at once despite the throttle; a change inside a Rafiq element is not a page change', async () => {
  const { ctx, watcher, reads } = watch(2_000);
  document.getElementById('list')!.append(document.createElement('div'));
  await sleep(0);
  expect(reads()).toBe(2);
  watcher.rerun();
  expect(reads()).toBe(3);
  await sleep(250);
  const before = reads();
  // A badge placed, then repainted (its button's text and attributes), as X's badges are.
  const badge = document.createElement('rafiq-badge');
  badge.append(document.createElement('button'));
  document.getElementById('mine')!.append(badge);
  await sleep(0);
  badge.firstElementChild!.textContent = 'Customer';
  badge.firstElementChild!.setAttribute('href', 'x');
  await sleep(250);
  expect(reads()).toBe(before);
  // Invalidated: a pending trailing read never runs.
  document.getElementById('list')!.append(document.createElement('div'));
  await sleep(0);
  const pending = reads();
  ctx.abort();
  await sleep(250);
  expect(reads()).toBe(pending);
});
