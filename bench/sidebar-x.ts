// The X half of `npm run bench:sidebar` (issue 5, "Speed"), called from bench/sidebar.bench.ts.
//
// 1. Badge → card: on https://x.com/home (tests/fixtures/pages/x/x-home-timeline-2026.html), the
//    time in the page from a click on a Rafiq badge to the frame that shows that author in the
//    sidebar, measured like the Gmail half: t0 = performance.now() when a real (trusted, CDP
//    input: Enter on the focused badge) click on the badge's button reaches the page, dom = a MutationObserver on the sidebar's shadow root
//    sees `[data-testid=rafiq-customer-name]` = the author's name, paint = the next
//    requestAnimationFrame.
//    - warm: cycling between the home timeline's known authors (@layla_haddad, @mehmet_yilmaz,
//      @nour_alsayed) after a few unmeasured clicks, so the background's caches hold them;
//    - cold: every click opens a different customer, created with an X handle in the API's
//      database before the run, whose tweet is inserted into the timeline (as X does while
//      scrolling) just before the click; its badge resolves (batched lookup, as in real use), but
//      its card (customer view) was never read in this browser, so the click misses that cache.
// 2. Observer cost: 100 tweet cells (clones of a real article of the fixture, handle/name/id
//    rewritten so every tweet is distinct) inserted into the timeline container, 10 cells per
//    animation frame (X's virtualized list renders in such batches), then a quiet second so
//    debounced work and the badge lookups finish. Script time on the page's main thread, from CDP
//    `Performance.getMetrics` (ScriptDuration, TaskDuration) before/after, in a browser WITH
//    Rafiq's X content script and in one WITHOUT it (the bare baseline extension, which has no X
//    script): the difference is Rafiq's. Two shapes: `append` (the 100 cells stay: 24 → 124 tweets)
//    and `window` (X's virtualized list: the oldest cells are removed so at most 30 remain).
//    Each shape runs several rounds on a freshly loaded page; medians are reported. One more
//    `append` round under the CDP sampling Profiler attributes script time to Rafiq's own
//    frames (chrome-extension:// URLs), a cross-check that does not depend on the difference.
//    Unrelated mutations: 1,000 attribute/text mutations (50 per frame) in X's left navigation
//    (outside `main`) and in the right-hand sidebar column (inside `main`, outside every tweet).
//
// Never fails on time: it returns numbers, the caller prints and saves them.
import type { CDPSession, Page } from 'playwright-core';
import { normalizeIdentities, createCustomer } from '../api/modules/customers/customers.repository';
import {
  DEMO_AGENT_EMAILS,
  DEMO_AGENT_X_HANDLES,
  launchBrowserWithExtension,
  screenshot,
  type BrowserWithExtension,
  type FixtureServer,
  type TestApi,
} from '../tests/e2e/harness';
import { installLongTaskObserver, measurePaint, readLongTasks } from './lib/probes';
import { median, round1, round2, stats, type LatencyStats } from './lib/stats';

export const X_FIXTURE = 'tests/fixtures/pages/x/x-home-timeline-2026.html';
export const X_HOME_URL = 'https://x.com/home';
const HOST_TAG = 'rafiq-sidebar';
const NAME_SELECTOR = '[data-testid="rafiq-customer-name"]';
const WARM_HANDLES = ['layla_haddad', 'mehmet_yilmaz', 'nour_alsayed'];
/** The fixture tweet every inserted cell is cloned from (a plain tweet: no quote, no media). */
const TEMPLATE = { handle: 'layla_haddad', name: 'Layla Haddad', id: '1858200000000000001' };
const CLICK_TIMEOUT_MS = 5_000;
const MAX_CONSECUTIVE_TIMEOUTS = 5;
const WARMUP_CLICKS = 6;
const SETTLE_MS = 2_000;
const TWEETS_PER_ROUND = 100;
const CELLS_PER_FRAME = 10;
/** After the last inserted cell: Rafiq's debounce (100 ms), the batched lookup and the re-sync. */
const QUIET_AFTER_INSERT_MS = 1_000;
const VIRTUAL_WINDOW = 30;
const UNRELATED_MUTATIONS = 1_000;
const MUTATIONS_PER_FRAME = 50;
export const X_GOALS = { observerMsPer100Tweets: 5, warmP95Ms: 100, coldP95Ms: 400 };

/** Kept as the X report's name for the shared latency summary. */
export type XStats = LatencyStats;

export interface XClickPhase {
  clicks: number;
  painted: number;
  timeouts: number;
  aborted?: string;
  paint: XStats | null;
  dom: XStats | null;
  longTasks: { count: number; maxMs: number };
  samples: number[];
}

export interface ScriptCost {
  /** CDP ScriptDuration delta over the window (ms), one value per round. */
  scriptMs: number[];
  /** CDP TaskDuration delta (ms), one value per round. */
  taskMs: number[];
  median: { scriptMs: number; taskMs: number } | null;
}

export interface XVariantResult {
  skipped?: string;
  observer?: { append: ScriptCost & { badged: string }; window: ScriptCost & { badged: string } };
  unrelated?: { nav: ScriptCost; sidebarColumn: ScriptCost };
  profiler?: { extensionMs: number; totalSampledMs: number; topFunctions: { name: string; ms: number }[] };
  warm?: XClickPhase;
  cold?: XClickPhase;
}

export interface XReport {
  method: Record<string, unknown>;
  goals: typeof X_GOALS;
  rounds: number;
  clicksPerPhase: number;
  coldCustomersCreated: number;
  results: { baseline: XVariantResult; rafiq: XVariantResult };
  /** Rafiq − baseline, ms of script per 100 inserted tweets (medians). */
  observerCost: { append: number | null; window: number | null };
  unrelatedCost: { nav: number | null; sidebarColumn: number | null };
}

interface Person {
  handle: string;
  name: string;
}

// ---------------------------------------------------------------------------------------------

function cost(scriptMs: number[], taskMs: number[]): ScriptCost {
  return {
    scriptMs: scriptMs.map(round2),
    taskMs: taskMs.map(round2),
    median: scriptMs.length ? { scriptMs: round2(median(scriptMs)), taskMs: round2(median(taskMs)) } : null,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The template cell's markup for another author and tweet id. */
function cellHtml(template: string, person: Person, id: string): string {
  return template
    .replace(new RegExp(escapeRegExp(TEMPLATE.id), 'g'), id)
    .replace(new RegExp(escapeRegExp(TEMPLATE.name), 'g'), escapeHtml(person.name))
    .replace(new RegExp(escapeRegExp(TEMPLATE.handle), 'gi'), person.handle);
}

// ---------------------------------------------------------------------------------------------
// In-page code (main world; Rafiq's shadow roots are open)
// ---------------------------------------------------------------------------------------------

/** The cell (`cellInnerDiv`) holding the template tweet, without Rafiq's badge (a copy of it would be inert, and removed). */
function readTemplateCell(args: { handle: string; id: string }): string | null {
  const link = document.querySelector(`article[data-testid="tweet"] a[href="/${args.handle}/status/${args.id}"]`);
  const cell = link?.closest('[data-testid="cellInnerDiv"]');
  if (!cell) return null;
  const copy = cell.cloneNode(true) as Element;
  for (const badge of copy.querySelectorAll('rafiq-badge')) badge.remove();
  return copy.outerHTML;
}

/** Parses the cells now (outside the measured window) and keeps them, detached, for `insertCells`. */
function prepareCells(htmls: string[]): number {
  const template = document.createElement('template');
  template.innerHTML = htmls.join('');
  const cells = [...template.content.children];
  (window as unknown as { __rafiqXCells: Element[] }).__rafiqXCells = cells;
  return cells.length;
}

/**
 * Inserts the prepared cells into the timeline container, `perFrame` per animation frame; with
 * `window`, removes the oldest cells so at most that many remain (X's virtualized list). Resolves
 * `quietMs` after the last batch.
 */
function insertCells(args: { perFrame: number; window: number | null; quietMs: number; top: boolean }): Promise<{ inserted: number; cells: number }> {
  const cells = (window as unknown as { __rafiqXCells: Element[] }).__rafiqXCells;
  const container = document.querySelector('div[aria-label^="Timeline:"] > div');
  if (!container) throw new Error('no timeline container (div[aria-label^="Timeline:"] > div)');
  let next = 0;
  return new Promise((resolve) => {
    const frame = () => {
      const batch = cells.slice(next, next + args.perFrame);
      next += batch.length;
      for (const cell of batch) {
        if (args.top) container.prepend(cell);
        else container.append(cell);
      }
      if (args.window !== null) {
        const all = container.querySelectorAll(':scope > [data-testid="cellInnerDiv"]');
        const excess = all.length - args.window;
        for (let i = 0; i < excess; i++) all[args.top ? all.length - 1 - i : i]!.remove();
      }
      if (next < cells.length) requestAnimationFrame(frame);
      else setTimeout(() => resolve({ inserted: next, cells: container.querySelectorAll(':scope > [data-testid="cellInnerDiv"]').length }), args.quietMs);
    };
    requestAnimationFrame(frame);
  });
}

/** 1,000 attribute/text mutations in `selector`'s subtree, `perFrame` per frame; resolves `quietMs` after. */
function mutateOutsideTweets(args: { selector: string; count: number; perFrame: number; quietMs: number }): Promise<number> {
  const root = document.querySelector(args.selector);
  if (!root) throw new Error(`no ${args.selector} on the page`);
  const elements = [...root.querySelectorAll('div, span, a')].filter((el) => !el.closest('article'));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node && texts.length < 50; node = walker.nextNode()) {
    if ((node as Text).data.trim() && !(node.parentElement?.closest('article') ?? null)) texts.push(node as Text);
  }
  if (!elements.length || !texts.length) throw new Error(`nothing to mutate in ${args.selector}`);
  let done = 0;
  return new Promise((resolve) => {
    const frame = () => {
      for (let i = 0; i < args.perFrame && done < args.count; i++, done++) {
        if (done % 2 === 0) elements[done % elements.length]!.setAttribute('aria-label', `bench ${done}`);
        else {
          const text = texts[done % texts.length]!;
          text.data = done % 4 === 1 ? `${text.data} ` : text.data.trimEnd();
        }
      }
      if (done < args.count) requestAnimationFrame(frame);
      else setTimeout(() => resolve(done), args.quietMs);
    };
    requestAnimationFrame(frame);
  });
}

// ---------------------------------------------------------------------------------------------

interface ClickSample {
  ok: boolean;
  paintMs: number;
  domMs: number;
  t0: number;
  tEnd: number;
  error?: string;
}

async function measureClick(page: Page, badge: string, expected: string): Promise<ClickSample> {
  const s = await measurePaint(page, {
    action: { kind: 'click-badge', badge },
    expected,
    hostTag: HOST_TAG,
    selector: NAME_SELECTOR,
    timeoutMs: CLICK_TIMEOUT_MS,
  });
  return {
    ok: s.ok,
    paintMs: s.tPaint - s.t0,
    domMs: s.tDom - s.t0,
    t0: s.t0,
    tEnd: s.ok ? s.tPaint : s.t0 + CLICK_TIMEOUT_MS,
    ...(s.error ? { error: s.error } : {}),
  };
}

async function metrics(cdp: CDPSession): Promise<{ script: number; task: number }> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { script: get('ScriptDuration'), task: get('TaskDuration') };
}

async function openHome(browser: BrowserWithExtension, withRafiq: boolean, page?: Page): Promise<Page> {
  const p = page ?? (await browser.newPage());
  if (!page) await p.addInitScript(installLongTaskObserver);
  await p.goto(X_HOME_URL, { waitUntil: 'load', timeout: 30_000 }).catch(() => p.waitForLoadState('domcontentloaded'));
  if (withRafiq) {
    // Rafiq is ready when every tweet with an author has its badge, and the known ones are marked.
    await p
      .waitForFunction(
        () => {
          const tweets = [...document.querySelectorAll('article[data-testid="tweet"]')].filter((a) => a.querySelector('[data-testid="User-Name"]')).length;
          const badges = document.querySelectorAll('rafiq-badge').length;
          const known = document.querySelector('rafiq-badge[data-handle="layla_haddad"] > button[data-known="true"]');
          return tweets > 0 && badges >= tweets && Boolean(known) && Boolean(document.querySelector('rafiq-sidebar')?.shadowRoot);
        },
        undefined,
        { timeout: 15_000 },
      )
      .catch(() => {
        throw new Error('Rafiq did not badge the home timeline within 15 s');
      });
  }
  await p.waitForTimeout(SETTLE_MS);
  return p;
}

function makeCells(template: string, prefix: string, count: number, idBase: bigint): { htmls: string[]; people: Person[] } {
  const people: Person[] = [];
  const htmls: string[] = [];
  for (let i = 0; i < count; i++) {
    const person = { handle: `${prefix}_${String(i).padStart(3, '0')}`, name: `Timeline ${prefix.toUpperCase()} ${i}` };
    people.push(person);
    htmls.push(cellHtml(template, person, (idBase + BigInt(i)).toString()));
  }
  return { htmls, people };
}

async function observerRound(
  page: Page,
  cdp: CDPSession,
  template: string,
  shape: 'append' | 'window',
  roundNo: number,
): Promise<{ scriptMs: number; taskMs: number; badged: number; cells: number }> {
  const prefix = `${shape === 'append' ? 'a' : 'w'}${roundNo}`;
  const { htmls } = makeCells(template, prefix, TWEETS_PER_ROUND, 1_860_000_000_000_000_000n + BigInt(roundNo * 1_000 + (shape === 'append' ? 0 : 500_000)));
  await page.evaluate(prepareCells, htmls);
  await page.waitForTimeout(300);
  const before = await metrics(cdp);
  const result = await page.evaluate(insertCells, {
    perFrame: CELLS_PER_FRAME,
    window: shape === 'window' ? VIRTUAL_WINDOW : null,
    quietMs: QUIET_AFTER_INSERT_MS,
    top: false,
  });
  const after = await metrics(cdp);
  const badged = await page.evaluate(
    (p) => document.querySelectorAll(`rafiq-badge[data-handle^="${p}_"]`).length,
    prefix,
  );
  return { scriptMs: after.script - before.script, taskMs: after.task - before.task, badged, cells: result.cells };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

async function profiledRound(page: Page, cdp: CDPSession, template: string): Promise<NonNullable<XVariantResult['profiler']>> {
  const { htmls } = makeCells(template, 'p', TWEETS_PER_ROUND, 1_861_000_000_000_000_000n);
  await page.evaluate(prepareCells, htmls);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await page.waitForTimeout(300);
  await cdp.send('Profiler.start');
  await page.evaluate(insertCells, { perFrame: CELLS_PER_FRAME, window: null, quietMs: QUIET_AFTER_INSERT_MS, top: false });
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] } };
  await cdp.send('Profiler.disable');
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const isExtension = new Map<number, boolean>();
  const ext = (id: number): boolean => {
    const cached = isExtension.get(id);
    if (cached !== undefined) return cached;
    // Iterative walk to the root (deep stacks).
    const chain: number[] = [];
    let current: number | undefined = id;
    let found = false;
    while (current !== undefined) {
      const known = isExtension.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(current);
      if (byId.get(current)?.callFrame.url.startsWith('chrome-extension://')) {
        found = true;
        break;
      }
      current = parent.get(current);
    }
    for (const c of chain) isExtension.set(c, found);
    return found;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let extensionUs = 0;
  let idleUs = 0;
  let totalUs = 0;
  const selfByFunction = new Map<string, number>();
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the gap to the next sample.
    const us = deltas[i + 1] ?? 0;
    const node = byId.get(samples[i]!);
    totalUs += us;
    if (node?.callFrame.functionName === '(idle)' || node?.callFrame.functionName === '(program)') idleUs += us;
    if (ext(samples[i]!)) {
      extensionUs += us;
      const name = `${node?.callFrame.functionName || '(anonymous)'}`;
      selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + us);
    }
  }
  const topFunctions = [...selfByFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, us]) => ({ name, ms: round2(us / 1000) }));
  return { extensionMs: round2(extensionUs / 1000), totalSampledMs: round2((totalUs - idleUs) / 1000), topFunctions };
}

async function unrelatedRound(page: Page, cdp: CDPSession, selector: string): Promise<{ scriptMs: number; taskMs: number }> {
  await page.waitForTimeout(300);
  const before = await metrics(cdp);
  await page.evaluate(mutateOutsideTweets, { selector, count: UNRELATED_MUTATIONS, perFrame: MUTATIONS_PER_FRAME, quietMs: 500 });
  const after = await metrics(cdp);
  return { scriptMs: after.script - before.script, taskMs: after.task - before.task };
}

async function clickPhase(page: Page, clicks: { person: Person; badge: string; prepare?: () => Promise<void> }[], warmup: number, idleMs: number): Promise<XClickPhase> {
  const samples: ClickSample[] = [];
  let consecutive = 0;
  let aborted: string | undefined;
  for (const [index, click] of clicks.entries()) {
    await click.prepare?.();
    const sample = await measureClick(page, click.badge, click.person.name);
    if (index >= warmup) {
      samples.push(sample);
      consecutive = sample.ok ? 0 : consecutive + 1;
      if (consecutive >= MAX_CONSECUTIVE_TIMEOUTS) {
        aborted = `${MAX_CONSECUTIVE_TIMEOUTS} clicks in a row never showed the author (last: @${click.person.handle} ${click.person.name}${sample.error ? `; ${sample.error}` : ''})`;
        break;
      }
    }
    await page.waitForTimeout(idleMs);
  }
  const tasks = await readLongTasks(page);
  const during = tasks.filter((t) => samples.some((s) => t.start + t.duration >= s.t0 && t.start <= s.tEnd + idleMs) && t.duration >= 50);
  const ok = samples.filter((s) => s.ok);
  return {
    clicks: samples.length,
    painted: ok.length,
    timeouts: samples.length - ok.length,
    ...(aborted ? { aborted } : {}),
    paint: stats(ok.map((s) => s.paintMs)),
    dom: stats(ok.map((s) => s.domMs)),
    longTasks: { count: during.length, maxMs: Math.round(Math.max(0, ...during.map((t) => t.duration))) },
    samples: samples.map((s) => (s.ok ? round1(s.paintMs) : -1)),
  };
}

// ---------------------------------------------------------------------------------------------

/** Customers with these X handles in the API's database; creates `count` more (the cold authors). */
async function prepareCustomers(api: TestApi, count: number): Promise<{ warm: Person[]; cold: Person[] }> {
  const rows = await api.db.db
    .selectFrom('identities')
    .innerJoin('customers', 'customers.id', 'identities.customer_id')
    .select(['customers.display_name as name', 'identities.normalized as handle'])
    .where('identities.kind', '=', 'x')
    .execute();
  const warm = WARM_HANDLES.map((handle) => {
    const row = rows.find((r) => r.handle === handle);
    if (!row) throw new Error(`demo data has no customer with X handle @${handle}`);
    return { handle, name: row.name };
  });
  const first = ['Zeynep', 'Omar', 'Hana', 'Yusuf', 'Lina', 'Kerem', 'Salma', 'Idris', 'Maya', 'Tarek', 'Elif', 'Rami'];
  const last = ['Aksoy', 'Farouk', 'Nasser', 'Demir', 'Khalil', 'Sahin', 'Mansour', 'Celik', 'Haddad', 'Aziz', 'Ozturk', 'Saleh'];
  const cold: Person[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const person = { handle: `bench_cold_${String(i).padStart(3, '0')}`, name: `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]} ${i}` };
    await createCustomer(
      api.db.db,
      { displayName: person.name, identities: normalizeIdentities([{ kind: 'x', value: person.handle }]), linkedBy: 'seed', agentId: null },
      now,
    );
    cold.push(person);
  }
  return { warm, cold };
}

async function runVariant(
  id: 'baseline' | 'rafiq',
  extensionDir: string,
  fixtures: FixtureServer,
  api: TestApi,
  template: string | null,
  people: { warm: Person[]; cold: Person[] },
  opts: { rounds: number; clicks: number; idleMs: number },
): Promise<{ result: XVariantResult; template: string | null }> {
  const withRafiq = id === 'rafiq';
  console.log(`\n[x ${id}] launching Chromium with ${extensionDir}`);
  const browser = await launchBrowserWithExtension({ fixtureServer: fixtures, extensionDir });
  try {
    await browser.configure({ serverUrl: api.url, token: api.token, agentEmails: DEMO_AGENT_EMAILS, agentXHandles: DEMO_AGENT_X_HANDLES });
    let page: Page;
    try {
      page = await openHome(browser, withRafiq);
    } catch (error) {
      console.error(browser.diagnostics());
      return { result: { skipped: error instanceof Error ? error.message : String(error) }, template };
    }
    template ??= await page.evaluate(readTemplateCell, { handle: TEMPLATE.handle, id: TEMPLATE.id });
    if (!template) return { result: { skipped: `no tweet /${TEMPLATE.handle}/status/${TEMPLATE.id} in ${X_FIXTURE}` }, template };
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' }).catch(() => cdp.send('Performance.enable'));

    const result: XVariantResult = {};
    const observer = {} as NonNullable<XVariantResult['observer']>;
    for (const shape of ['append', 'window'] as const) {
      const scripts: number[] = [];
      const tasks: number[] = [];
      const badged: string[] = [];
      for (let r = 0; r < opts.rounds; r++) {
        if (r > 0 || shape === 'window') await openHome(browser, withRafiq, page);
        const one = await observerRound(page, cdp, template, shape, r);
        scripts.push(one.scriptMs);
        tasks.push(one.taskMs);
        const expected = shape === 'append' ? TWEETS_PER_ROUND : Math.min(VIRTUAL_WINDOW, TWEETS_PER_ROUND);
        badged.push(`${one.badged}/${expected}`);
      }
      observer[shape] = { ...cost(scripts, tasks), badged: [...new Set(badged)].join(', ') };
      console.log(`[x ${id}] observer ${shape}: script ms per ${TWEETS_PER_ROUND} tweets ${observer[shape].scriptMs.join(', ')} (median ${observer[shape].median?.scriptMs}); badged ${observer[shape].badged}`);
    }
    result.observer = observer;

    await openHome(browser, withRafiq, page);
    const unrelated = {} as NonNullable<XVariantResult['unrelated']>;
    for (const [key, selector] of [
      ['nav', 'nav[aria-label="Primary"]'],
      ['sidebarColumn', '[data-testid="sidebarColumn"]'],
    ] as const) {
      const scripts: number[] = [];
      const tasks: number[] = [];
      for (let r = 0; r < opts.rounds; r++) {
        const one = await unrelatedRound(page, cdp, selector);
        scripts.push(one.scriptMs);
        tasks.push(one.taskMs);
      }
      unrelated[key] = cost(scripts, tasks);
      console.log(`[x ${id}] ${UNRELATED_MUTATIONS} unrelated mutations in ${key}: script ms ${unrelated[key].scriptMs.join(', ')}`);
    }
    result.unrelated = unrelated;

    await openHome(browser, withRafiq, page);
    result.profiler = await profiledRound(page, cdp, template);
    console.log(`[x ${id}] profiler: ${result.profiler.extensionMs} ms in extension frames of ${result.profiler.totalSampledMs} ms sampled`);

    if (withRafiq) {
      await openHome(browser, withRafiq, page);
      const warmClicks = Array.from({ length: WARMUP_CLICKS + opts.clicks }, (_, i) => {
        const person = people.warm[i % people.warm.length]!;
        return { person, badge: `rafiq-badge[data-handle="${person.handle}"]` };
      });
      result.warm = await clickPhase(page, warmClicks, WARMUP_CLICKS, opts.idleMs);
      console.log(`[x ${id}] warm clicks p50 ${result.warm.paint?.p50 ?? '-'} ms p95 ${result.warm.paint?.p95 ?? '-'} ms; cold…`);

      // Cold: before each click, X "scrolls in" one tweet by a never-opened customer (at the top of
      // the timeline, the oldest inserted cells leave so the list stays virtualized-sized).
      const coldCells = people.cold.slice(0, opts.clicks).map((person, i) => ({
        person,
        html: cellHtml(template!, person, (1_862_000_000_000_000_000n + BigInt(i)).toString()),
        id: (1_862_000_000_000_000_000n + BigInt(i)).toString(),
      }));
      const coldClicks = coldCells.map((cell) => ({
        person: cell.person,
        badge: `rafiq-badge[data-tweet-id="${cell.id}"]`,
        prepare: async () => {
          await page.evaluate(prepareCells, [cell.html]);
          await page.evaluate(insertCells, { perFrame: 1, window: VIRTUAL_WINDOW, quietMs: 0, top: true });
          await page
            .waitForFunction(
              (sel) => document.querySelector(sel) !== null,
              `rafiq-badge[data-tweet-id="${cell.id}"] > button[data-known="true"]`,
              { timeout: 5_000, polling: 50 },
            )
            .catch(() => undefined);
          await page.waitForTimeout(opts.idleMs);
        },
      }));
      result.cold = await clickPhase(page, coldClicks, 0, opts.idleMs);
      console.log(`[x ${id}] cold clicks p50 ${result.cold.paint?.p50 ?? '-'} ms p95 ${result.cold.paint?.p95 ?? '-'} ms`);
      await screenshot(page, 'bench-x-rafiq-last').catch(() => undefined);
    }
    await cdp.detach().catch(() => undefined);
    return { result, template };
  } finally {
    await browser.close();
  }
}

export interface XBenchOptions {
  api: TestApi;
  fixtures: FixtureServer;
  rafiqDir: string;
  baselineDir: string;
  /** Why Rafiq's half can't run (no build, no X content script), or null. */
  rafiqProblem: string | null;
  clicks: number;
  rounds: number;
  idleMs: number;
}

export async function runXBench(options: XBenchOptions): Promise<XReport> {
  const people = await prepareCustomers(options.api, options.clicks);
  console.log(`\n[x] ${people.cold.length} customers with X handles created for the cold phase; ${options.rounds} rounds per observer measurement`);
  const opts = { rounds: options.rounds, clicks: options.clicks, idleMs: options.idleMs };
  const results: XReport['results'] = { baseline: {}, rafiq: {} };
  let template: string | null = null;
  // Rafiq first: its page is where the template cell is read (the same markup for both).
  if (options.rafiqProblem) results.rafiq = { skipped: options.rafiqProblem };
  else {
    try {
      const run = await runVariant('rafiq', options.rafiqDir, options.fixtures, options.api, template, people, opts);
      results.rafiq = run.result;
      template = run.template;
    } catch (error) {
      results.rafiq = { skipped: `crashed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
      console.error('[x rafiq]', error);
    }
  }
  try {
    const run = await runVariant('baseline', options.baselineDir, options.fixtures, options.api, template, people, opts);
    results.baseline = run.result;
  } catch (error) {
    results.baseline = { skipped: `crashed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    console.error('[x baseline]', error);
  }
  const diff = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? null : round2(a - b));
  const r = results.rafiq;
  const b = results.baseline;
  return {
    method: {
      page: `${X_FIXTURE} served as ${X_HOME_URL}`,
      badgeToCard:
        'in-page performance.now() when a trusted click (CDP input: Enter on the focused badge button) reaches the page (first capture listener) → MutationObserver on the sidebar shadow root sees the author\'s name → next requestAnimationFrame',
      warm: `cycling @${WARM_HANDLES.join(', @')} after ${WARMUP_CLICKS} unmeasured clicks`,
      cold: 'a different customer per click (created with an X handle in the API db before the run); its tweet is inserted at the top of the timeline, its badge resolves, then the click: the card (customer view) was never read in this browser',
      observer: `${TWEETS_PER_ROUND} tweet cells (clones of /${TEMPLATE.handle}/status/${TEMPLATE.id}, handle/name/id rewritten) appended to the timeline container, ${CELLS_PER_FRAME} per animation frame, then ${QUIET_AFTER_INSERT_MS} ms quiet; CDP Performance.getMetrics ScriptDuration/TaskDuration delta; append = cells stay (24 → 124 tweets), window = at most ${VIRTUAL_WINDOW} cells remain (virtualized list); median over rounds, each on a freshly loaded page`,
      baseline: 'the same, in Chromium with the bare baseline extension (no X content script): the difference is Rafiq',
      profiler: 'one extra append round under the CDP sampling profiler (100 µs): time in stacks with a chrome-extension:// frame',
      unrelated: `${UNRELATED_MUTATIONS} mutations (half aria-label attribute changes, half text edits), ${MUTATIONS_PER_FRAME} per frame, in nav[aria-label=Primary] (outside main) and [data-testid=sidebarColumn] (inside main, no tweets)`,
      idleAfterClickMs: options.idleMs,
      clickTimeoutMs: CLICK_TIMEOUT_MS,
    },
    goals: X_GOALS,
    rounds: options.rounds,
    clicksPerPhase: options.clicks,
    coldCustomersCreated: people.cold.length,
    results,
    observerCost: {
      append: diff(r.observer?.append.median?.scriptMs, b.observer?.append.median?.scriptMs),
      window: diff(r.observer?.window.median?.scriptMs, b.observer?.window.median?.scriptMs),
    },
    unrelatedCost: {
      nav: diff(r.unrelated?.nav.median?.scriptMs, b.unrelated?.nav.median?.scriptMs),
      sidebarColumn: diff(r.unrelated?.sidebarColumn.median?.scriptMs, b.unrelated?.sidebarColumn.median?.scriptMs),
    },
  };
}

export function printXReport(report: XReport): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const { baseline: b, rafiq: r } = report.results;
  console.log(`\nX: badge click → customer card painted (ms, in-page time; goals p95 < ${X_GOALS.warmP95Ms} warm, < ${X_GOALS.coldP95Ms} cold)`);
  console.log(`${'phase'.padEnd(16)}${pad('p50', 8)}${pad('p95', 8)}${pad('max', 8)}${pad('n', 5)}${pad('t/o', 5)}${pad('long tasks', 12)}${pad('max task', 10)}`);
  if (r.skipped) console.log(`${'rafiq'.padEnd(16)}skipped: ${r.skipped}`);
  for (const phase of ['warm', 'cold'] as const) {
    const p = r[phase];
    if (!p) continue;
    console.log(
      `${`rafiq ${phase}`.padEnd(16)}${pad(p.paint?.p50 ?? '-', 8)}${pad(p.paint?.p95 ?? '-', 8)}${pad(p.paint?.max ?? '-', 8)}${pad(p.painted, 5)}${pad(p.timeouts, 5)}` +
        `${pad(p.longTasks.count, 12)}${pad(p.longTasks.maxMs, 10)}${p.aborted ? `  aborted: ${p.aborted}` : ''}`,
    );
  }
  console.log(
    `\nX: observer cost, ms of main-thread script per ${TWEETS_PER_ROUND} inserted tweets (${CELLS_PER_FRAME}/frame; median of ${report.rounds}; goal Rafiq < ${X_GOALS.observerMsPer100Tweets} ms)`,
  );
  console.log(`${'insertion'.padEnd(34)}${pad('baseline', 10)}${pad('rafiq', 10)}${pad('Rafiq Δ', 10)}${pad('task Δ', 10)}  badged`);
  const row = (label: string, base: ScriptCost | undefined, raf: (ScriptCost & { badged?: string }) | undefined) => {
    const d = (a?: number, c?: number) => (a === undefined || c === undefined ? '-' : (a - c).toFixed(2));
    console.log(
      `${label.padEnd(34)}${pad(base?.median?.scriptMs.toFixed(2) ?? '-', 10)}${pad(raf?.median?.scriptMs.toFixed(2) ?? '-', 10)}` +
        `${pad(d(raf?.median?.scriptMs, base?.median?.scriptMs), 10)}${pad(d(raf?.median?.taskMs, base?.median?.taskMs), 10)}  ${raf?.badged ?? ''}`,
    );
  };
  if (b.skipped) console.log(`baseline skipped: ${b.skipped}`);
  row(`append (24 → ${24 + TWEETS_PER_ROUND} tweets)`, b.observer?.append, r.observer?.append);
  row(`window (≤ ${VIRTUAL_WINDOW} cells, virtualized)`, b.observer?.window, r.observer?.window);
  row(`${UNRELATED_MUTATIONS} mutations, left nav`, b.unrelated?.nav, r.unrelated?.nav);
  row(`${UNRELATED_MUTATIONS} mutations, sidebarColumn`, b.unrelated?.sidebarColumn, r.unrelated?.sidebarColumn);
  if (r.profiler) {
    console.log(
      `Profiler (one append round): ${r.profiler.extensionMs} ms in Rafiq's frames (chrome-extension://) of ${r.profiler.totalSampledMs} ms busy; top: ` +
        r.profiler.topFunctions.slice(0, 5).map((f) => `${f.name} ${f.ms}`).join(', '),
    );
  }
  console.log(`Rounds (Rafiq, script ms): append ${r.observer?.append.scriptMs.join(' / ') ?? '-'}; window ${r.observer?.window.scriptMs.join(' / ') ?? '-'}`);
  console.log(`Rounds (baseline, script ms): append ${b.observer?.append.scriptMs.join(' / ') ?? '-'}; window ${b.observer?.window.scriptMs.join(' / ') ?? '-'}`);
}
