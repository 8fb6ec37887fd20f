// Arabic, Persian and Turkish in real Chromium (issue 19): every surface of the built extension in
// each language, against the real API with the demo workspace. For each language: no English
// interface word on the sidebar (known and unknown person), options, popup, dashboard and identity
// page (data such as names and emails aside); the sidebar root is right-to-left for Arabic and
// Persian; the panel never covers the page's main content on Gmail and X. Screenshots of the
// sidebar and the dashboard land in docs/ for the README.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_AGENT_EMAILS, DEMO_AGENT_X_HANDLES, REPO_ROOT, screenshot, type BrowserWithExtension } from './harness';
import { describe, expect, test } from './fixtures';
import { englishInterfaceWords, englishWordsIn, visibleInterfaceText } from './interface-words';

const LAYLA_THREAD = '18c2a1f0d4e5b6a7';
const X_STATUS = '/layla_haddad/status/1858000000000000001';

test.override({
  routes: [
    { host: 'mail.google.com', path: '/mail/u/0/', file: 'tests/fixtures/pages/gmail/gmail-thread-customer.html' },
    { host: 'mail.google.com', path: '/mail/u/1/', file: 'tests/fixtures/pages/gmail/gmail-thread-hostile.html' },
    { host: 'x.com', path: X_STATUS, file: 'tests/fixtures/pages/x/x-status-with-replies.html' },
  ],
  viewport: { width: 1366, height: 900 },
  settings: { agentEmails: DEMO_AGENT_EMAILS, agentXHandles: DEMO_AGENT_X_HANDLES },
});

const SIDEBAR = 'rafiq-sidebar';
const docs = join(REPO_ROOT, 'docs');

type Box = { x: number; y: number; width: number; height: number };
const overlapWidth = (a: Box, b: Box) => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));

async function panelBox(page: Page): Promise<Box> {
  const box = await page.locator('[data-testid="rafiq-panel"]').boundingBox();
  expect(box, 'the panel is on screen').not.toBeNull();
  return box!;
}

async function expectNoEnglish(page: Page, root: string, lang: 'ar' | 'fa' | 'tr', surface: string) {
  const text = await visibleInterfaceText(page, root);
  expect(text.trim().length, `${surface} shows text`).toBeGreaterThan(20);
  expect(englishWordsIn(text, englishInterfaceWords(lang)), `English interface words on the ${surface} in ${lang}`).toEqual([]);
}

async function useLanguage(browser: BrowserWithExtension, lang: 'ar' | 'fa' | 'tr') {
  // Persian with Solar Hijri dates, Arabic with Hijri (Umm al-Qura) dates: the calendars offered.
  await browser.configure({ language: lang, calendar: lang === 'fa' ? 'persian' : lang === 'ar' ? 'islamic-umalqura' : 'gregory', digits: 'native' });
}

describe.each(['ar', 'fa', 'tr'] as const)('%s', (lang) => {
  const rtl = lang !== 'tr';

  test('sidebar on Gmail: translated, right direction, beside the thread (not over it)', async ({ page, browser }) => {
    await useLanguage(browser, lang);
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
    await expect.poll(() => page.locator('[data-testid="rafiq-customer-name"]').textContent(), { timeout: 20_000 }).toBe('Layla Haddad');
    await expect.poll(() => page.locator('[data-testid="rafiq-timeline-item"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.rafiq-root').getAttribute('dir')).toBe(rtl ? 'rtl' : 'ltr');
    await expectNoEnglish(page, SIDEBAR, lang, 'sidebar (known customer)');

    // The panel sits at the inline end of its direction, and the page's room is on that side.
    const panel = await panelBox(page);
    const viewport = page.viewportSize()!;
    if (rtl) expect(panel.x).toBeLessThan(2);
    else expect(panel.x + panel.width).toBeGreaterThan(viewport.width - 2);
    const main = await page.locator('div[role="main"]').first().boundingBox();
    expect(main).not.toBeNull();
    expect(overlapWidth(panel, main!), 'panel over the thread').toBe(0);

    mkdirSync(docs, { recursive: true });
    copyFileSync(await screenshot(page, `sidebar-${lang}`), join(docs, `sidebar-${lang}.png`));
  });

  test('sidebar for an unknown sender: translated', async ({ page }) => {
    await page.goto('https://mail.google.com/mail/u/1/#inbox/hostile');
    await expect.poll(() => page.locator('[data-testid="rafiq-unknown"]').count(), { timeout: 20_000 }).toBe(1);
    await expectNoEnglish(page, SIDEBAR, lang, 'sidebar (unknown person)');
  });

  test('sidebar on X: the post is not covered', async ({ page }) => {
    await page.goto(`https://x.com${X_STATUS}`);
    await expect.poll(() => page.locator('[data-testid="rafiq-customer-name"]').textContent(), { timeout: 20_000 }).toBe('Layla Haddad');
    const panel = await panelBox(page);
    const post = await page.locator('article[data-testid="tweet"]').first().boundingBox();
    expect(post).not.toBeNull();
    expect(overlapWidth(panel, post!), 'panel over the post').toBe(0);
    await expectNoEnglish(page, SIDEBAR, lang, 'sidebar on X');
  });

  test('options, popup and identity page: translated and mirrored', async ({ page, browser }) => {
    for (const [path, ready, surface] of [
      ['options.html', '[data-testid="options-save"]', 'options'],
      ['popup.html', '[data-testid="popup-status"]', 'popup'],
      ['identity.html', '[data-testid="rafiq-duplicates"] :is(li, p)', 'identity page'],
    ] as const) {
      await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
      await page.waitForSelector(ready, { timeout: 20_000 });
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe(rtl ? 'rtl' : 'ltr');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await expectNoEnglish(page, 'body', lang, surface);
    }
  });

  test('dashboard: translated, mirrored, one digit system', async ({ page, browser }) => {
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await page.waitForSelector('[data-testid="dashboard-tile-tickets"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="dashboard-table-agents"] tbody tr', { timeout: 15_000 });
    expect(await page.locator('main.dashboard').getAttribute('dir')).toBe(rtl ? 'rtl' : 'ltr');
    await expectNoEnglish(page, 'body', lang, 'dashboard');
    // Every tile in the language's digits: Persian ۰–۹, Arabic ٠–٩, Turkish 0–9, never mixed.
    const tiles = (await page.locator('.tile-value').allInnerTexts()).join(' ');
    const native = { ar: /[٠-٩]/, fa: /[۰-۹]/, tr: /[0-9]/ }[lang];
    expect(tiles).toMatch(native);
    for (const other of [/[0-9]/, /[٠-٩]/, /[۰-۹]/].filter((d) => d.source !== native.source)) expect(tiles).not.toMatch(other);
    mkdirSync(docs, { recursive: true });
    copyFileSync(await screenshot(page, `dashboard-${lang}`), join(docs, `dashboard-${lang}.png`));
  });
});
