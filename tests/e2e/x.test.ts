// The X journey in real Chromium: saved x.com pages served as https://x.com, the built extension,
// the real API with the demo data.
import type { Page } from 'playwright-core';
import { DEMO_AGENT_EMAILS, DEMO_AGENT_X_HANDLES, screenshot } from './harness';
import { describe, expect, test } from './fixtures';

const pages = 'tests/fixtures/pages/x';
const STATUS = '/layla_haddad/status/1858000000000000001';

test.override({
  routes: [
    { host: 'x.com', path: STATUS, file: `${pages}/x-status-with-replies.html` },
    { host: 'x.com', path: '/home', file: `${pages}/x-home-timeline-2026.html` },
    { host: 'x.com', path: '/notifications/mentions', file: `${pages}/x-notifications-mentions.html` },
  ],
  settings: { agentEmails: DEMO_AGENT_EMAILS, agentXHandles: DEMO_AGENT_X_HANDLES },
});

const name = (page: Page) => page.locator('[data-testid="rafiq-customer-name"]');
const badges = (page: Page) => page.locator('rafiq-badge');

describe('X', () => {
  test('a tweet page shows its author and a badge on every tweet', async ({ page }) => {
    await page.goto(`https://x.com${STATUS}`);
    await expect.poll(() => name(page).textContent(), { timeout: 15_000 }).toBe('Layla Haddad');
    await expect.poll(() => badges(page).count(), { timeout: 10_000 }).toBe(await page.locator('article[data-testid="tweet"]').count());
    expect(await page.locator('rafiq-badge[data-handle="layla_haddad"]').count()).toBe(1);
    await screenshot(page, 'x-status-layla');
  });

  test('a template lands in the X reply box', async ({ page }) => {
    const box = page.locator('[data-testid="tweetTextarea_0"][contenteditable="true"]').first();
    await box.click();
    await page.locator('[data-testid="rafiq-action-reply"]').click();
    await page.locator('[data-testid="rafiq-template-search"]').fill('x-dm');
    await page.locator('[data-testid="rafiq-template-item"]').first().click();
    await expect.poll(() => box.innerText(), { timeout: 10_000 }).toContain('Hi Layla, sorry about this!');
    expect(await box.innerText()).toContain('^Sara');
  });

  test('logging a mention twice reaches the API once', async ({ page, api }) => {
    const log = page.locator('[data-testid="rafiq-action-log"]');
    await log.click();
    await expect.poll(() => page.locator('[data-testid="rafiq-notice"]').textContent(), { timeout: 10_000 }).toBe('Logged');
    await log.click();
    await expect.poll(() => page.locator('[data-testid="rafiq-notice"]').textContent(), { timeout: 10_000 }).toBe('Already logged');
    const rows = await api.db.db.selectFrom('interactions').select(['customer_id', 'url']).where('channel', '=', 'x').where('external_id', '=', '1858000000000000001').execute();
    expect(rows).toHaveLength(1);
  });

  test('the sidebar switches with the clicked badge', async ({ page }) => {
    // Badges are plain elements with one delegated listener (issue 20): a click the page scripts
    // on Rafiq's button does nothing; a person's click or Enter on the focused badge does.
    const mehmet = page.locator('rafiq-badge[data-handle="mehmet_yilmaz"] button');
    await mehmet.evaluate((button) => (button as HTMLButtonElement).click());
    await page.waitForTimeout(600);
    expect(await name(page).textContent()).toBe('Layla Haddad');
    await mehmet.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => name(page).textContent(), { timeout: 10_000 }).toBe('Mehmet Yılmaz');
    await page.locator('rafiq-badge[data-handle="layla_haddad"] button').click();
    await expect.poll(() => name(page).textContent(), { timeout: 10_000 }).toBe('Layla Haddad');
    await mehmet.click();
    await expect.poll(() => name(page).textContent(), { timeout: 10_000 }).toBe('Mehmet Yılmaz');
    await page.locator('rafiq-badge[data-handle="layla_haddad"] button').click();
    await expect.poll(() => name(page).textContent(), { timeout: 10_000 }).toBe('Layla Haddad');
  });

  test('home timeline: a badge on every tweet, known authors marked, unknown ones can be created', async ({ page, api }) => {
    await page.goto('https://x.com/home');
    const tweetsWithAuthors = await page.locator('article[data-testid="tweet"]').evaluateAll(
      (articles) => articles.filter((a) => a.querySelector('[data-testid="User-Name"]')).length,
    );
    expect(tweetsWithAuthors).toBeGreaterThanOrEqual(20);
    await expect.poll(() => badges(page).count(), { timeout: 15_000 }).toBe(tweetsWithAuthors);
    // Every badge belongs to the tweet it sits on.
    const mismatches = await page.locator('rafiq-badge').evaluateAll((hosts) =>
      hosts.filter((host) => {
        const article = host.closest('article');
        const link = article?.querySelector(`a[href*="/status/${host.getAttribute('data-tweet-id')}"]`);
        return !link;
      }).length,
    );
    expect(mismatches).toBe(0);
    await expect.poll(() => page.locator('rafiq-badge[data-handle="layla_haddad"] button[data-known="true"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    const unknownHandle = await page.locator('rafiq-badge').evaluateAll((hosts) => {
      const host = hosts.find((h) => h.querySelector(':scope > button')?.getAttribute('data-known') === 'false');
      return host?.getAttribute('data-handle') ?? null;
    });
    expect(unknownHandle).not.toBeNull();
    // The badge says what it means (issue 17): a label and an aria-label naming the author, no bare "R".
    const unknownBadge = page.locator(`rafiq-badge[data-handle="${unknownHandle}"] button`).first();
    expect(await unknownBadge.textContent()).toBe('New');
    expect((await unknownBadge.getAttribute('aria-label'))?.replace(/[\u2066-\u2069]/g, '')).toBe(`@${unknownHandle} is not a customer yet: open in Rafiq to add or link them`);
    const knownBadge = page.locator('rafiq-badge[data-handle="layla_haddad"] button').first();
    expect(await knownBadge.textContent()).toBe('Customer');
    expect((await knownBadge.getAttribute('title'))?.replace(/[\u2066-\u2069]/g, '')).toBe('@layla_haddad is a customer: show their card in Rafiq');
    await page.locator(`rafiq-badge[data-handle="${unknownHandle}"] button`).first().click();
    await expect.poll(() => page.locator('[data-testid="rafiq-unknown"]').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('[data-testid="rafiq-create-customer"]').click();
    await expect.poll(() => name(page).count(), { timeout: 10_000 }).toBe(1);
    const created = await api.db.db.selectFrom('identities').select('customer_id').where('kind', '=', 'x').where('normalized', '=', unknownHandle!.toLowerCase()).execute();
    expect(created).toHaveLength(1);
    // Every badge of that author turns into a customer badge without a reload (identityChanged).
    await expect
      .poll(
        () =>
          page.locator(`rafiq-badge[data-handle="${unknownHandle}"]`).evaluateAll((hosts) => hosts.map((h) => h.querySelector(':scope > button')?.getAttribute('data-known'))),
        { timeout: 3_000 },
      )
      .toEqual(expect.arrayContaining(['true']));
    expect(
      await page.locator(`rafiq-badge[data-handle="${unknownHandle}"]`).evaluateAll((hosts) => hosts.filter((h) => h.querySelector(':scope > button')?.getAttribute('data-known') !== 'true').length),
    ).toBe(0);
    expect(await unknownBadge.textContent()).toBe('Customer');
    await screenshot(page, 'x-home-timeline');
  });

  test('a recycled tweet node: the badge follows the tweet the node shows now', async ({ page }) => {
    // X reuses article nodes while scrolling. Make the first article show Mehmet's tweet's content
    // (keeping the node) and check the badge re-binds to it and opens Mehmet, not the old author.
    const ids = await page.locator('article[data-testid="tweet"]').evaluateAll((articles) => {
      const target = articles[0]!;
      const donor = articles.find((a) => a.querySelector('a[href^="/mehmet_yilmaz/status/"]'))!;
      const before = target.querySelector('rafiq-badge')?.getAttribute('data-tweet-id') ?? null;
      const badge = target.querySelector('rafiq-badge');
      target.replaceChildren(...[...donor.cloneNode(true).childNodes].filter((n) => !(n instanceof Element && n.tagName === 'RAFIQ-BADGE')));
      if (badge) target.append(badge);
      const after = donor.querySelector('a[href*="/status/"] time')?.closest('a')?.getAttribute('href')?.split('/status/')[1] ?? null;
      return { before, after };
    });
    expect(ids.after).not.toBe(ids.before);
    // The donor's markup came with a copy of its badge (inert: a click on it does nothing). Rafiq's
    // next read removes the copy and re-binds its own badge: wait for exactly one, on the new tweet
    // (polling the first badge alone could see the copy's copied attributes before that read).
    await expect
      .poll(() => page.locator('article[data-testid="tweet"]').first().locator('rafiq-badge').evaluateAll((badges) => badges.map((b) => b.getAttribute('data-tweet-id'))), { timeout: 10_000 })
      .toEqual([ids.after]);
    await page.locator('article[data-testid="tweet"]').first().locator('rafiq-badge button').first().click();
    await expect.poll(() => name(page).textContent(), { timeout: 10_000 }).toBe('Mehmet Yılmaz');
  });
});
