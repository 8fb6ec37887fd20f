// The Gmail journey in real Chromium: the built extension on saved Gmail pages served as
// https://mail.google.com, against the real API on a temporary database with the demo data.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, screenshot, type TestApi } from './harness';
import { describe, expect, test } from './fixtures';

/** Text without the bidi isolates (FSI…PDI) the UI puts around data such as names and ticket numbers. */
const plain = (text: string | null) => (text ?? '').replace(/[\u2066-\u2069]/g, '');


const LAYLA_THREAD = '18c2a1f0d4e5b6a7';
const MEHMET_THREAD = '18c2a1f0d4e5b6b8';
const pages = 'tests/fixtures/pages/gmail';

test.override({
  routes: [
    { host: 'mail.google.com', path: '/mail/u/0/', file: `${pages}/gmail-thread-customer.html` },
    { host: 'mail.google.com', path: '/fixtures/participants.html', file: `${pages}/gmail-thread-participants.html` },
    { host: 'mail.google.com', path: '/mail/u/1/', file: `${pages}/gmail-thread-hostile.html` },
    { host: 'mail.google.com', path: '/mail/u/2/', file: `${pages}/gmail-inbox-thread-list-2014-inboxsdk.html` },
  ],
});

const name = (page: Page) => page.locator('[data-testid="rafiq-customer-name"]');

/** Gmail never reloads: swap the thread view in place, as Gmail does, and move the hash. */
async function openThreadInPlace(page: Page, fixturePath: string, threadId: string) {
  await page.evaluate(
    async ({ fixturePath, threadId }) => {
      const html = await (await fetch(fixturePath)).text();
      const next = new DOMParser().parseFromString(html, 'text/html').querySelector('div[role="main"]');
      const current = document.querySelector('div[role="main"]');
      if (!next || !current) throw new Error('fixture has no main view');
      current.replaceWith(document.adoptNode(next));
      history.pushState(null, '', `/mail/u/0/#inbox/${threadId}`);
    },
    { fixturePath, threadId },
  );
}

async function customerRow(api: TestApi, email: string) {
  const identity = await api.db.db.selectFrom('identities').select('customer_id').where('normalized', '=', email).executeTakeFirstOrThrow();
  return identity.customer_id;
}

describe('Gmail', () => {
  test('the open thread shows its customer with identities and timeline', async ({ page }) => {
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
    await expect.poll(() => name(page).textContent(), { timeout: 15_000 }).toBe('Layla Haddad');
    const kinds = await page.locator('[data-testid="rafiq-identity-chip"]').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-kind')));
    expect(kinds).toEqual(['email', 'email', 'x']);
    expect(await page.locator('[data-testid="rafiq-timeline-item"]').count()).toBeGreaterThan(2);
    mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
    const shot = await screenshot(page, 'gmail-thread-layla');
    copyFileSync(shot, join(REPO_ROOT, 'docs', 'sidebar-gmail.png'));
  });

  test('moving to another thread switches the customer', async ({ page }) => {
    await openThreadInPlace(page, '/fixtures/participants.html', MEHMET_THREAD);
    await expect.poll(() => name(page).textContent(), { timeout: 10_000 }).toBe('Mehmet Yılmaz');
  });

  test('add note reaches the API', async ({ page, api }) => {
    const mehmet = await customerRow(api, 'mehmet.yilmaz@example.com.tr');
    await page.locator('[data-testid="rafiq-action-note"]').click();
    await page.locator('[data-testid="rafiq-note-input"]').fill('Wants the invoice corrected before Friday');
    await page.locator('[data-testid="rafiq-note-save"]').click();
    await expect
      .poll(async () => (await api.db.db.selectFrom('notes').select('body').where('customer_id', '=', mehmet).execute()).map((n) => n.body), { timeout: 10_000 })
      .toContain('Wants the invoice corrected before Friday');
    await expect.poll(() => page.locator('[data-testid="rafiq-note"]').first().textContent()).toContain('Wants the invoice corrected');
  });

  test('create ticket from the thread reaches the API once, linked to the thread', async ({ page, api }) => {
    const ticketButton = page.locator('[data-testid="rafiq-action-ticket"]');
    await ticketButton.click();
    await expect.poll(async () => plain(await page.locator('[data-testid="rafiq-notice"]').textContent()), { timeout: 10_000 }).toMatch(/Ticket #\d+/);
    await ticketButton.click();
    await page.waitForTimeout(500);
    const tickets = await api.db.db.selectFrom('tickets').select(['subject', 'channel', 'customer_id']).where('source_key', '=', `email:${MEHMET_THREAD}`).execute();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ subject: 'Fatura itirazı — invoice dispute', channel: 'email', customer_id: await customerRow(api, 'mehmet.yilmaz@example.com.tr') });
  });

  test('log this email twice is one timeline entry', async ({ page, api }) => {
    const log = page.locator('[data-testid="rafiq-action-log"]');
    await log.click();
    await expect.poll(() => page.locator('[data-testid="rafiq-notice"]').textContent(), { timeout: 10_000 }).toBe('Logged');
    await log.click();
    await expect.poll(() => page.locator('[data-testid="rafiq-notice"]').textContent(), { timeout: 10_000 }).toBe('Already logged');
    const rows = await api.db.db.selectFrom('interactions').select('id').where('channel', '=', 'email').where('external_id', 'like', 'gmail%').execute();
    expect(rows).toHaveLength(1);
  });

  test('a reply template lands in the reply box and stays after blur', async ({ page }) => {
    // The saved page has no Gmail CSS: without it the empty editor in its table cell is 0 px wide.
    await page.addStyleTag({ content: 'div[g_editable="true"] { display: block; width: 560px; border: 1px solid #ccc; }' });
    const box = page.locator('div[role="main"] div[contenteditable="true"][role="textbox"]').last();
    await box.click();
    await page.locator('[data-testid="rafiq-action-reply"]').click();
    await page.locator('[data-testid="rafiq-template-search"]').fill('damaged');
    await page.locator('[data-testid="rafiq-template-item"]').first().click();
    await expect.poll(() => box.innerText(), { timeout: 10_000 }).toContain('Hi Mehmet,');
    await page.mouse.click(5, 5);
    await page.waitForTimeout(300);
    const text = await box.innerText();
    expect(text).toContain('Hi Mehmet,');
    expect(text).toContain('Sara Ahmed');
    await screenshot(page, 'gmail-thread-mehmet-reply');
  });

  test('a hostile sender renders as inert text and no script runs', async ({ page }) => {
    await page.goto('https://mail.google.com/mail/u/1/#inbox/hostile');
    await expect.poll(() => page.locator('[data-testid="rafiq-unknown"]').count(), { timeout: 15_000 }).toBe(1);
    const heading = await page.locator('[data-testid="rafiq-unknown"] h2').textContent();
    expect(heading).toContain('<img src=x onerror=');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('rafiq-sidebar img').count()).toBe(0);
    await screenshot(page, 'gmail-thread-hostile');
  });

  test('in Arabic the sidebar speaks Arabic (its catalog fetched from the background), and Turkish follows a live switch', async ({ page, browser }) => {
    // Content scripts bundle English only; the agent's language comes from the background (issue 20).
    const { catalogs } = await import('../../extension/i18n/all');
    const sectionTitles = () => page.locator('rafiq-sidebar .rafiq-root').evaluate((root) => root.textContent ?? '');
    try {
      await browser.configure({ language: 'ar' });
      await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
      await page.reload();
      await expect.poll(() => name(page).textContent(), { timeout: 15_000 }).toBe('Layla Haddad');
      await expect.poll(sectionTitles, { timeout: 10_000 }).toContain(catalogs.ar['section.timeline']!);
      expect(await page.locator('rafiq-sidebar .rafiq-root').getAttribute('dir')).toBe('rtl');
      await browser.configure({ language: 'tr' });
      await expect.poll(sectionTitles, { timeout: 10_000 }).toContain(catalogs.tr['section.timeline']!);
      await expect.poll(() => page.locator('rafiq-sidebar .rafiq-root').getAttribute('dir'), { timeout: 5_000 }).toBe('ltr');
      expect(await sectionTitles()).not.toContain(catalogs.ar['section.timeline']!);
    } finally {
      await browser.configure({ language: 'en' });
    }
  });

  test('the inbox list shows no customer and no error', async ({ page }) => {
    await page.goto('https://mail.google.com/mail/u/2/#inbox');
    await expect.poll(() => page.locator('[data-testid="rafiq-search"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await name(page).count()).toBe(0);
    expect(await page.locator('[data-testid="rafiq-error"]').count()).toBe(0);
  });
});
