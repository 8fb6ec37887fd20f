// The Gmail journey in Firefox ESR (issue 23): the built firefox-mv3 add-on, installed over WebDriver
// BiDi, shows the saved thread's customer and writes a note to the real API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { DEMO_AGENT_EMAILS, SCREENSHOT_DIR, startFixtureServer, startTestApi, type FixtureServer, type TestApi } from '../e2e/harness';
import { launchFirefoxWithExtension, type FirefoxWithExtension } from './firefox';

const LAYLA_THREAD = '18c2a1f0d4e5b6a7';
const sidebar = (testId: string) => `rafiq-sidebar >>> [data-testid="${testId}"]`;
/** Text without the bidi isolates (FSI…PDI) the UI puts around data such as names. */
const plain = (text: string | null | undefined) => (text ?? '').replace(/[\u2066-\u2069]/g, '');

let fixtures: FixtureServer;
let api: TestApi;
let firefox: FirefoxWithExtension;
let page: Page;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    routes: [{ host: 'mail.google.com', path: '/mail/u/0/', file: 'tests/fixtures/pages/gmail/gmail-thread-customer.html' }],
  });
  api = await startTestApi({ seed: 'demo' });
  firefox = await launchFirefoxWithExtension({ fixtureServer: fixtures });
  await firefox.configure({ serverUrl: api.url, token: api.token, agentEmails: DEMO_AGENT_EMAILS });
  page = await firefox.newPage();
});

afterAll(async () => {
  await firefox?.close();
  await api?.close();
  await fixtures?.close();
});

/** On a failure: the Firefox log and a screenshot (tests/e2e/screenshots/firefox-*.png). */
function reportOnFailure(name: string) {
  onTestFailed(async () => {
    console.error(firefox?.diagnostics());
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page?.screenshot({ path: join(SCREENSHOT_DIR, `firefox-${name}.png`) }).catch(() => undefined);
  });
}

async function textOf(selector: string): Promise<string | null> {
  const handle = await page.$(selector);
  if (!handle) return null;
  try {
    return plain(await handle.evaluate((element) => element.textContent));
  } finally {
    await handle.dispose();
  }
}

describe('Gmail in Firefox', () => {
  test('the add-on stored what the options page would', async () => {
    reportOnFailure('settings');
    expect(await firefox.readSettings(['serverUrl', 'token'])).toEqual({ serverUrl: api.url, token: api.token });
  });

  test('the open thread shows its customer in the sidebar', async () => {
    reportOnFailure('thread');
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
    await expect.poll(() => textOf(sidebar('rafiq-customer-name')), { timeout: 20_000 }).toBe('Layla Haddad');
  });

  test('a note added in the sidebar lands in the API database', async () => {
    reportOnFailure('note');
    const body = 'Firefox: wants the replacement shipped before Eid';
    const identity = await api.db.db
      .selectFrom('identities')
      .select('customer_id')
      .where('normalized', '=', 'layla.haddad@example.com')
      .executeTakeFirstOrThrow();
    await page.locator(sidebar('rafiq-action-note')).click();
    await page.locator(sidebar('rafiq-note-input')).fill(body);
    await page.locator(sidebar('rafiq-note-save')).click();
    await expect
      .poll(
        async () => (await api.db.db.selectFrom('notes').select('body').where('customer_id', '=', identity.customer_id).execute()).map((n) => n.body),
        { timeout: 15_000 },
      )
      .toContain(body);
    await expect.poll(() => textOf(sidebar('rafiq-note')), { timeout: 10_000 }).toContain('wants the replacement shipped');
  });
});
