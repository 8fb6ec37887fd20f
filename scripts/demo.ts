// `npm run demo`: Rafiq working on Gmail, X and Trustpilot without any account. Builds the
// extension (package.json does `wxt build` first), starts the API on a throwaway demo database,
// serves saved pages under their real host names (the e2e harness, tests/e2e/harness.ts) and
// opens them in Chromium with the extension loaded and connected.
//
// With a display (DISPLAY set) the browser window stays open until Ctrl-C; without one it runs
// headless, saves a screenshot of each page to demo-screenshots/ and says where.
//
// The saved pages carry no site CSS, so the demo (only the demo: e2e tests see the untouched
// pages) links a stylesheet of our own per site, scripts/demo-styles/<site>.css, that lays the
// page out like the real site. It is served from the page's own host and read on every load, so a
// reload shows an edited stylesheet.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import {
  DEFAULT_EXTENSION_DIR,
  DEMO_AGENT_EMAILS,
  DEMO_AGENT_X_HANDLES,
  REPO_ROOT,
  launchBrowserWithExtension,
  screenshot,
  startFixtureServer,
  startTestApi,
  waitForSidebar,
  type BrowserWithExtension,
  type FixtureRoute,
  type FixtureServer,
  type TestApi,
} from '../tests/e2e/harness';

interface DemoPage {
  name: string;
  what: string;
  url: string;
  file: string;
  /** scripts/demo-styles/<style>.css */
  style: 'gmail' | 'x' | 'trustpilot';
}

/** Where the demo stylesheet is served on every demo host (a path no saved page uses). */
const DEMO_STYLE_PATH = '/__rafiq-demo/site.css';

const demoPages: DemoPage[] = [
  {
    name: 'gmail-thread',
    what: 'Gmail: an email from Layla Haddad',
    url: 'https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6a7',
    file: 'tests/fixtures/pages/gmail/gmail-thread-customer.html',
    style: 'gmail',
  },
  {
    name: 'x-status',
    what: 'X: a post by @layla_haddad with replies',
    url: 'https://x.com/layla_haddad/status/1858000000000000001',
    file: 'tests/fixtures/pages/x/x-status-with-replies.html',
    style: 'x',
  },
  {
    name: 'x-home',
    what: 'X: the home timeline, known customers badged',
    url: 'https://x.com/home',
    file: 'tests/fixtures/pages/x/x-home-timeline-2026.html',
    style: 'x',
  },
  {
    name: 'trustpilot',
    what: 'Trustpilot: reviews of a shop, reviewers recognised',
    url: 'https://www.trustpilot.com/review/studiosamo.it',
    file: 'tests/fixtures/pages/trustpilot/trustpilot-it-studiosamo-2025.html',
    style: 'trustpilot',
  },
];

const screenshotDir = join(REPO_ROOT, 'demo-screenshots');
let headed = Boolean(process.env.DISPLAY);

let api: TestApi | undefined;
let fixtures: FixtureServer | undefined;
let browser: BrowserWithExtension | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await browser?.close().catch(() => undefined);
    await fixtures?.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
  }
  process.exit(code);
}

/** The saved page with our stylesheet linked last in its head (after anything the page has). */
function withDemoStyle(html: string): string {
  const link = `<link rel="stylesheet" href="${DEMO_STYLE_PATH}" data-rafiq-demo-style>`;
  const at = html.search(/<\/head>/i);
  return at === -1 ? link + html : html.slice(0, at) + link + html.slice(at);
}

/** Opens one demo page, waits for the sidebar (and its customer) for a while, then screenshots it. */
async function show(page: Page, demo: DemoPage): Promise<string> {
  await page.goto(demo.url, { waitUntil: 'load', timeout: 30_000 }).catch(() => page.waitForLoadState('domcontentloaded'));
  const sidebar = await waitForSidebar(page, 10_000);
  if (sidebar) {
    // Give the card its data (a customer name, or the "unknown person" state) before the picture.
    await page
      .locator('rafiq-sidebar [data-testid="rafiq-customer-name"]')
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
      .catch(() => undefined);
    await page.waitForTimeout(500);
  } else {
    console.warn(`  ! no Rafiq sidebar on ${demo.url} after 10 s (screenshot taken anyway)`);
  }
  return screenshot(page, demo.name, screenshotDir);
}

async function main() {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const available = demoPages.filter((demo) => existsSync(join(REPO_ROOT, demo.file)));
  for (const demo of demoPages) {
    if (!available.includes(demo)) console.warn(`  ! skipping ${demo.name}: ${demo.file} is missing`);
  }
  if (available.length === 0) throw new Error('none of the demo pages exist under tests/fixtures/pages');

  console.log('Starting the demo API (throwaway SQLite database, demo data)…');
  api = await startTestApi({ seed: 'demo' });
  const routes: FixtureRoute[] = available.flatMap((demo) => {
    const url = new URL(demo.url);
    return [
      { host: url.hostname, path: url.pathname, body: withDemoStyle(readFileSync(join(REPO_ROOT, demo.file), 'utf8')), contentType: 'text/html; charset=utf-8' },
      { host: url.hostname, path: DEMO_STYLE_PATH, file: join(REPO_ROOT, 'scripts/demo-styles', `${demo.style}.css`) },
    ];
  });
  fixtures = await startFixtureServer({ routes });

  console.log(`Opening Chromium (${headed ? 'window' : 'headless: no DISPLAY'}) with the extension from ${relative(REPO_ROOT, DEFAULT_EXTENSION_DIR)}…`);
  if (headed) {
    browser = await launchBrowserWithExtension({ fixtureServer: fixtures, headless: false, viewport: null }).catch((error: unknown) => {
      // DISPLAY can be set but unusable (a stale SSH forward): screenshots are still worth having.
      console.warn(`  ! no window on DISPLAY=${process.env.DISPLAY} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); running headless`);
      headed = false;
      return undefined;
    });
  }
  // 1280×800: the size of the screenshots in docs/ (README "Demo").
  browser ??= await launchBrowserWithExtension({ fixtureServer: fixtures, headless: true, viewport: { width: 1280, height: 800 } });
  await browser.configure({
    serverUrl: api.url,
    token: api.token,
    agentEmails: DEMO_AGENT_EMAILS,
    agentXHandles: DEMO_AGENT_X_HANDLES,
  });

  const shots: string[] = [];
  for (const demo of available) {
    console.log(`  ${demo.what}`);
    const page = await browser.newPage();
    try {
      shots.push(await show(page, demo));
    } catch (error) {
      console.warn(`  ! ${demo.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!headed) await page.close();
  }

  console.log(`\nScreenshots (${shots.length}):`);
  for (const file of shots) console.log(`  ${relative(process.cwd(), file) || file}`);

  if (!headed) {
    console.log('\nNo display, so Chromium ran headless; open the PNGs above to see the sidebar.');
    await stop(0);
  }

  console.log(`\nChromium is open. These addresses are served from saved pages (only in that window):`);
  for (const demo of available) console.log(`  ${demo.url}   ${demo.what}`);
  console.log(`\nAPI: ${api.url}  (connection string: ${api.url}#token=${api.token})`);
  console.log('Everything is thrown away on exit. Press Ctrl-C to stop.');
  // Stay up until Ctrl-C, or until the window is closed.
  browser.context.on('close', () => void stop(0));
  await new Promise(() => undefined);
}

main().catch(async (error: unknown) => {
  console.error(`\nnpm run demo failed: ${error instanceof Error ? error.message : String(error)}`);
  if (browser) console.error(browser.diagnostics());
  await stop(1);
});
