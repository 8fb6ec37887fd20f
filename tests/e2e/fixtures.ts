/**
 * The e2e suite's shared setup as vitest fixtures (see tests/README.md). Each e2e file imports
 * `test` from here instead of wiring the fixture server, the API and Chromium by hand:
 *
 *   import { expect, test } from './fixtures';
 *   test.override({ routes: [{ host: 'mail.google.com', path: '/mail/u/0/', file: '...' }] });
 *   test('...', async ({ page, api }) => { ... });
 *
 * Everything but `failureReport` is file-scoped: one fixture server, one API, one browser and one
 * page per test file, started on first use and closed when the file ends (so tests in a file share
 * the page and go on from where the previous test left it, as a user's session does). The options
 * (`routes`, `seed`, `settings`, `viewport`, `enabledHosts`) are set per file with `test.override`.
 * `harness.ts` stays the low-level recipe (used by `npm run demo` and the sidebar benchmark too).
 */
import { basename } from 'node:path';
import { test as base } from 'vitest';
import type { Page } from 'playwright-core';
import {
  DEFAULT_EXTENSION_DIR,
  DEMO_AGENT_EMAILS,
  grantHosts,
  launchBrowserWithExtension,
  screenshot,
  startFixtureServer,
  startTestApi,
  type BrowserWithExtension,
  type ExtensionSettings,
  type FixtureRoute,
} from './harness';

export { expect, describe } from 'vitest';

/** Browsers open in this file (fixture-made or launched with `launchTracked`), for the failure report. */
const openBrowsers = new Set<BrowserWithExtension>();

/** `launchBrowserWithExtension` for files that restart the browser themselves; failures still report it. */
export async function launchTracked(options: Parameters<typeof launchBrowserWithExtension>[0]): Promise<BrowserWithExtension> {
  const browser = await launchBrowserWithExtension(options);
  openBrowsers.add(browser);
  const close = browser.close;
  return {
    ...browser,
    close: async () => {
      openBrowsers.delete(browser);
      await close();
    },
  };
}

export const test = base
  // ----- options: override per file with test.override({ ... }) -----
  /** Saved pages the fixture server answers with. */
  .extend('routes', { scope: 'file' }, [] as FixtureRoute[])
  /** What the test API's database starts with. */
  .extend('seed', { scope: 'file' }, 'demo' as 'demo' | 'empty')
  /**
   * Written to chrome.storage.local after launch, with the API's `serverUrl` and `token` added (what
   * the options page stores once connected). `null` leaves the extension as first installed.
   */
  .extend('settings', { scope: 'file' }, { agentEmails: DEMO_AGENT_EMAILS } as ExtensionSettings | null)
  .extend('viewport', { scope: 'file' }, null as { width: number; height: number } | null)
  /**
   * Hosts the user enabled from the popup ("Enable Rafiq on this site"). A permission prompt can't be
   * answered in headless Chromium, so a copy of the build carries the grant in its manifest, and the
   * review-sites content script is registered for them as the popup does after the grant.
   */
  .extend('enabledHosts', { scope: 'file' }, [] as string[])

  // ----- the running pieces -----
  .extend('fixtures', { scope: 'file' }, async ({ routes }, { onCleanup }) => {
    const server = await startFixtureServer({ routes });
    onCleanup(() => server.close());
    return server;
  })
  .extend('api', { scope: 'file' }, async ({ seed }, { onCleanup }) => {
    const api = await startTestApi({ seed });
    onCleanup(() => api.close());
    return api;
  })
  /** The build under test: `.output/chrome-mv3`, or a copy granted `enabledHosts`. */
  .extend('extensionDir', { scope: 'file' }, ({ enabledHosts }, { onCleanup }) => {
    if (!enabledHosts.length) return DEFAULT_EXTENSION_DIR;
    const granted = grantHosts(enabledHosts);
    onCleanup(() => granted.remove());
    return granted.dir;
  })
  .extend('browser', { scope: 'file' }, async ({ fixtures, api, settings, viewport, enabledHosts, extensionDir }, { onCleanup }) => {
    const browser = await launchTracked({ fixtureServer: fixtures, extensionDir, ...(viewport ? { viewport } : {}) });
    onCleanup(() => browser.close());
    if (settings) await browser.configure({ serverUrl: api.url, token: api.token, ...settings });
    if (enabledHosts.length) await browser.registerReviewScript(enabledHosts);
    return browser;
  })
  /** One page for the whole file, opened on first use. */
  .extend('page', { scope: 'file' }, async ({ browser }): Promise<Page> => browser.newPage())

  // ----- every test -----
  /** On failure: the browser's log and a screenshot of every open page, named after the test. */
  .extend('failureReport', { auto: true }, ({ onTestFailed, task }) => {
    onTestFailed(async () => {
      for (const browser of openBrowsers) {
        console.error(browser.diagnostics());
        const pages = browser.context.pages();
        for (const [i, page] of pages.entries()) {
          const name = `failed-${basename(task.file.name, '.test.ts')}-${task.name}${pages.length > 1 ? `-${i}` : ''}`;
          await screenshot(page, name).catch(() => undefined);
        }
      }
    });
    return undefined;
  });
