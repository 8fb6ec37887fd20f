/**
 * In-page probes shared by the sidebar benchmarks. The functions marked "in-page" are handed to
 * `page.evaluate` / `addInitScript`, so each is self-contained: it uses nothing from this module.
 *
 * How one measurement works, inside the page (the page's time, not Playwright's polling):
 *   t0     performance.now() right before the action (a Gmail thread swapped in place, or an X
 *          badge clicked);
 *   dom    a MutationObserver on the sidebar's open shadow root sees the expected name;
 *   paint  the next requestAnimationFrame after that (the frame that shows it).
 */
import type { Page } from 'playwright-core';

export interface LongTask {
  start: number;
  duration: number;
}

/** In-page, installed before any page script: records long tasks (≥ 50 ms) for the whole page life. */
export function installLongTaskObserver() {
  const w = window as unknown as { __rafiqLongTasks: LongTask[] };
  w.__rafiqLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__rafiqLongTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task support: the report says 0 observed.
  }
}

/** The long tasks `installLongTaskObserver` has seen so far. */
export function readLongTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (window as unknown as { __rafiqLongTasks?: LongTask[] }).__rafiqLongTasks ?? []);
}

/** What starts the clock: Gmail opening another thread in place, or a click on an X badge. */
export type PaintAction = { kind: 'swap-thread'; html: string; hash: string } | { kind: 'click-badge'; badge: string };

export interface PaintProbeArgs {
  action: PaintAction;
  /** The name the sidebar must show. */
  expected: string;
  /** The sidebar's shadow host tag and the name's selector inside it (Rafiq's or the baseline's). */
  hostTag: string;
  selector: string;
  timeoutMs: number;
}

export interface PaintProbeResult {
  ok: boolean;
  t0: number;
  tDom: number;
  tPaint: number;
  /** How long the swap-thread action itself took (the page's cost, not the extension's); 0 for a click. */
  swapMs: number;
  error: string;
}

/** In-page: starts one measurement; the result lands in window.__rafiqBench (see `measurePaint`). */
export function startPaintProbe(args: PaintProbeArgs) {
  const state = { done: false, ok: false, t0: 0, tDom: 0, tPaint: 0, swapMs: 0, error: '' };
  (window as unknown as { __rafiqBench: typeof state }).__rafiqBench = state;
  const action = args.action;
  // X badges are plain elements since issue 20 (a shadow root before): either way, its button.
  const host = action.kind === 'click-badge' ? document.querySelector(action.badge) : null;
  const button = host ? ((host.shadowRoot ?? host).querySelector('button') ?? null) : null;
  const main = action.kind === 'swap-thread' ? document.querySelector('div[role="main"]') : null;
  if (action.kind === 'click-badge' && !button) {
    state.error = `no badge ${action.badge}`;
    state.done = true;
    return;
  }
  if (action.kind === 'swap-thread' && !main) throw new Error('no div[role="main"] on the page');

  const read = () => document.querySelector(args.hostTag)?.shadowRoot?.querySelector(args.selector)?.textContent?.trim() ?? null;
  let observedRoot: ShadowRoot | null = null;
  let matched = false;
  const observer = new MutationObserver(() => check());
  const attach = () => {
    const root = document.querySelector(args.hostTag)?.shadowRoot ?? null;
    if (root && root !== observedRoot) {
      observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
      observedRoot = root;
    }
  };
  const check = () => {
    if (matched) return;
    attach(); // the host may have been (re)mounted
    if (read() !== args.expected) return;
    matched = true;
    state.tDom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      state.tPaint = performance.now();
      state.ok = true;
      state.done = true;
    });
  };
  // A remounted host appears as a child of <html> or <body>.
  observer.observe(document.documentElement, { childList: true });
  observer.observe(document.body, { childList: true });
  attach();
  setTimeout(() => {
    if (matched) return;
    matched = true;
    observer.disconnect();
    state.done = true;
  }, args.timeoutMs);

  state.t0 = performance.now();
  if (action.kind === 'swap-thread') {
    // What Gmail does when a thread is opened: the hash changes and the thread view is replaced.
    history.pushState(null, '', action.hash);
    main!.innerHTML = action.html;
    state.swapMs = performance.now() - state.t0;
  } else {
    // Rafiq acts only on a click the browser marks as a person's (isTrusted), so the click comes
    // from outside the page (`measurePaint`, CDP key input); t0 is when it reaches the page, in the
    // first capture listener, right before Rafiq's own (on the document) sees it.
    window.addEventListener(
      'click',
      () => {
        state.t0 = performance.now();
        queueMicrotask(check); // a synchronous render shows up as a mutation too, but be sure
      },
      { capture: true, once: true },
    );
  }
}

/** Runs `startPaintProbe` in the page and waits (bounded) for its result. */
export async function measurePaint(page: Page, args: PaintProbeArgs): Promise<PaintProbeResult> {
  await page.evaluate(startPaintProbe, args);
  if (args.action.kind === 'click-badge') {
    // Enter on the focused badge: a trusted click like the mouse's, without hit-testing (the
    // fixture's virtualized cells are absolutely placed, and a cell inserted at the top of the
    // list sits under another one, so a pointer click there lands on that one).
    const button = page.locator(`${args.action.badge} button`).first();
    await button.focus({ timeout: args.timeoutMs }).catch(() => undefined);
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(() => (window as unknown as { __rafiqBench?: { done: boolean } }).__rafiqBench?.done === true, undefined, {
    polling: 'raf',
    timeout: args.timeoutMs + 5_000,
  });
  return page.evaluate(() => (window as unknown as { __rafiqBench: PaintProbeResult }).__rafiqBench);
}
