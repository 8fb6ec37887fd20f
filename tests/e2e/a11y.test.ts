// Accessibility in real Chromium (issue 19): axe-core (@axe-core/playwright, WCAG 2.1 A and AA
// rules, colour contrast included) on the sidebar (known customer, unknown person, offline), the
// options page, the popup, the dashboard and the identity page, in English and Arabic, in the
// light and the dark theme: no serious or critical violation. Plus the keyboard: every control
// reachable with Tab with a visible focus ring, and Escape closing the merge dialog.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { DEMO_AGENT_EMAILS } from './harness';
import { describe, expect, test } from './fixtures';

const LAYLA_THREAD = '18c2a1f0d4e5b6a7';

test.override({
  routes: [
    { host: 'mail.google.com', path: '/mail/u/0/', file: 'tests/fixtures/pages/gmail/gmail-thread-customer.html' },
    { host: 'mail.google.com', path: '/mail/u/1/', file: 'tests/fixtures/pages/gmail/gmail-thread-hostile.html' },
  ],
  viewport: { width: 1366, height: 900 },
  settings: { agentEmails: DEMO_AGENT_EMAILS },
});

/** Serious and critical violations under `include` (the sidebar's host element, or the whole page). */
async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

describe.each([
  { lang: 'en', theme: 'light' },
  { lang: 'ar', theme: 'dark' },
  { lang: 'en', theme: 'dark' },
  { lang: 'ar', theme: 'light' },
] as const)('$lang, $theme theme', ({ lang, theme }) => {
  test('sidebar: known customer and unknown person', async ({ page, browser }) => {
    await browser.configure({ language: lang, theme });
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
    await expect.poll(() => page.locator('[data-testid="rafiq-customer-name"]').textContent(), { timeout: 20_000 }).toBe('Layla Haddad');
    await expect.poll(() => page.locator('[data-testid="rafiq-timeline-item"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(page, 'rafiq-sidebar'), 'known customer').toEqual([]);

    await page.goto('https://mail.google.com/mail/u/1/#inbox/hostile');
    await expect.poll(() => page.locator('[data-testid="rafiq-unknown"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await seriousViolations(page, 'rafiq-sidebar'), 'unknown person').toEqual([]);
  });

  test('options, popup, dashboard and identity page', async ({ page, browser }) => {
    for (const [path, ready] of [
      ['options.html', '[data-testid="options-save"]'],
      ['popup.html', '[data-testid="popup-status"]'],
      ['dashboard.html', '[data-testid="dashboard-table-agents"] tbody tr'],
      ['identity.html', '[data-testid="rafiq-duplicates"] :is(li, p)'],
    ] as const) {
      await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
      await page.waitForSelector(ready, { timeout: 30_000 });
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });
});

describe('keyboard', () => {
  test('Tab reaches every sidebar control with a visible focus ring; Escape closes the merge dialog', async ({ page, browser }) => {
    await browser.configure({ language: 'en', theme: 'light' });
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
    await expect.poll(() => page.locator('[data-testid="rafiq-customer-name"]').textContent(), { timeout: 20_000 }).toBe('Layla Haddad');
    await page.locator('[data-testid="rafiq-collapse"]').focus();
    const controls = await page.locator('[data-testid="rafiq-panel"]').evaluate((panel) => panel.querySelectorAll('button:not([disabled]), input, textarea, select, a[href]').length);
    const reached = new Set<string>();
    for (let i = 0; i < controls + 5; i++) {
      // Runs in the page: only what is passed in exists there (the loop's `i` does not). The key
      // names the control, so `reached` counts distinct controls, not Tab presses.
      const focused = await page.evaluate(() => {
        const host = document.querySelector('rafiq-sidebar');
        const el = host?.shadowRoot?.activeElement as HTMLElement | null | undefined;
        if (!el) return null;
        const style = getComputedStyle(el);
        const siblings = [...(host!.shadowRoot!.querySelectorAll(el.tagName) as NodeListOf<Element>)];
        return { key: `${el.tagName}:${el.getAttribute('data-testid') ?? ''}:${el.textContent?.slice(0, 30) ?? ''}:${siblings.indexOf(el)}`, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      });
      if (!focused) break;
      expect(focused.ring, `focus ring on ${focused.key}`).toBe(true);
      reached.add(focused.key);
      await page.keyboard.press('Tab');
    }
    expect(reached.size).toBeGreaterThanOrEqual(Math.min(controls, 10));

    // Merge dialog: open it from the keyboard, Escape closes it.
    await page.locator('[data-testid="rafiq-merge-open"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="rafiq-panel"] [data-testid="rafiq-search"]').last().fill('Mehmet');
    await page.locator('[data-testid="rafiq-search-result"]').first().click({ timeout: 10_000 });
    await page.locator('[data-testid="rafiq-merge-dialog"]').waitFor({ timeout: 5_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="rafiq-merge-dialog"]').count()).toBe(0);
  });

  test('offline: the stale card passes axe in English and Arabic', async ({ page, browser }) => {
    // The server moves out of reach (nothing listens on port 9): the last known card, marked offline.
    await browser.configure({ serverUrl: 'http://127.0.0.1:9', language: 'en', theme: 'light' });
    // English: the page is the one the previous test left open (same URL, so no reload): the open
    // sidebar follows the new server address by itself. Arabic: a fresh load of the page, so the
    // card comes up offline from the start, right-to-left.
    for (const lang of ['en', 'ar'] as const) {
      await browser.configure({ language: lang });
      await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
      if (lang === 'ar') await page.reload();
      await page.locator('[data-testid="rafiq-offline"]').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('.rafiq-root').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(await seriousViolations(page, 'rafiq-sidebar'), `offline ${lang}`).toEqual([]);
    }
  });
});
