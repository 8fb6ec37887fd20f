// Review sites in real Chromium: "Log complaint" on the real saved Trustpilot page served as
// https://www.trustpilot.com, and the generic schema.org adapter on a shop's own page on another
// host that the user enabled.
import type { Page } from 'playwright-core';
import { screenshot, type TestApi } from './harness';
import { describe, expect, test } from './fixtures';

/** Text without the bidi isolates (FSI…PDI) the UI puts around data such as names and ticket numbers. */
const plain = (text: string | null) => (text ?? '').replace(/[\u2066-\u2069]/g, '');


const COMPANY_PAGE = '/review/studiosamo.it';
const SHOP_PAGE = '/products/linen-shirt';

test.override({
  routes: [
    { host: 'www.trustpilot.com', path: COMPANY_PAGE, file: 'tests/fixtures/pages/trustpilot/trustpilot-it-studiosamo-2025.html' },
    { host: 'shop.example', path: SHOP_PAGE, file: 'tests/fixtures/pages/generic/shop-product-jsonld.html' },
  ],
  // The user enabled shop.example from the popup ("Enable Rafiq on this site").
  enabledHosts: ['shop.example'],
});

const buttons = (page: Page) => page.locator('rafiq-complaint [data-testid="rafiq-log-complaint"]');
const ticketsFor = (api: TestApi, sourceKey: string) =>
  api.db.db.selectFrom('tickets').select(['id', 'subject', 'channel', 'priority', 'status', 'source_url', 'details', 'customer_id']).where('source_key', '=', sourceKey).execute();

describe('Trustpilot', () => {
  test('every readable review gets a Log complaint button; the known reviewer is shown', async ({ page }) => {
    await page.goto(`https://www.trustpilot.com${COMPANY_PAGE}`);
    // 20 main-list reviews (the 4-card carousel has no rating hook and is not read twice).
    await expect.poll(() => buttons(page).count(), { timeout: 15_000 }).toBe(20);
    await expect.poll(() => page.locator('[data-testid="rafiq-page-review"]').count(), { timeout: 10_000 }).toBe(20);
    // Elisa Pacchioni's Trustpilot profile is a demo customer: focusing her shows her card.
    await page.locator('[data-testid="rafiq-page-review"] button', { hasText: 'Elisa Pacchioni' }).click();
    await expect.poll(() => page.locator('[data-testid="rafiq-customer-name"]').textContent(), { timeout: 10_000 }).toBe('Elisa Pacchioni');
  });

  test('one click logs a ticket with the review’s fields; again and after reload, still one ticket', async ({ page, api }) => {
    const card = page.locator('article', { has: page.locator('a[href="/reviews/6835e19b912ec711da84c9a1"]') }).last();
    const button = card.locator('rafiq-complaint [data-testid="rafiq-log-complaint"]');
    await button.click();
    await expect.poll(async () => plain(await button.textContent()), { timeout: 10_000 }).toMatch(/^Ticket #\d+ · Open$/);
    const key = 'review:trustpilot:6835e19b912ec711da84c9a1';
    const [ticket] = await ticketsFor(api, key);
    expect(ticket).toMatchObject({ channel: 'review', priority: 'normal', status: 'open', source_url: 'https://www.trustpilot.com/reviews/6835e19b912ec711da84c9a1' });
    expect(ticket!.subject).toContain('Corso Ai per il Digital Marketing, Studio Samo supera le aspettative');
    const details = JSON.parse(ticket!.details) as { rating: { value: number }; reviewer: { name: string; profileUrl: string }; business: { name: string } };
    expect(details.rating.value).toBe(5);
    expect(details.reviewer).toEqual({ name: 'Antonio Elia', profileUrl: 'https://www.trustpilot.com/users/6835e18b2824b5112cf79f48' });
    expect(details.business.name).toBe('Studio Samo');
    const reviewer = await api.db.db.selectFrom('customers').select('display_name').where('id', '=', ticket!.customer_id).executeTakeFirstOrThrow();
    expect(reviewer.display_name).toBe('Antonio Elia');

    await button.click();
    await page.reload();
    const again = page.locator('article', { has: page.locator('a[href="/reviews/6835e19b912ec711da84c9a1"]') }).last().locator('rafiq-complaint [data-testid="rafiq-log-complaint"]');
    await expect.poll(async () => plain(await again.textContent()), { timeout: 15_000 }).toBe(`Ticket #${ticket!.id} · Open`);
    await again.click();
    expect(await ticketsFor(api, key)).toHaveLength(1);
    const interactions = await api.db.db.selectFrom('interactions').select('id').where('channel', '=', 'review').where('external_id', '=', 'trustpilot:6835e19b912ec711da84c9a1').execute();
    expect(interactions).toHaveLength(1);
    await screenshot(page, 'trustpilot-logged');
  });
});

describe('A shop’s own page (generic schema.org adapter on an enabled site)', () => {
  test('JSON-LD reviews get buttons and log a complaint on the right product', async ({ page, api }) => {
    await page.goto(`https://shop.example${SHOP_PAGE}`);
    await expect.poll(() => buttons(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = buttons(page).first();
    await first.click();
    await expect.poll(async () => plain(await first.textContent()), { timeout: 10_000 }).toMatch(/^Ticket #\d+ · Open$/);
    const rows = await api.db.db.selectFrom('tickets').select(['source_key', 'details', 'channel']).where('source_key', 'like', 'review:generic:%').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.channel).toBe('review');
    expect((JSON.parse(rows[0]!.details) as { business: { name: string } }).business.name).toBe('Nordic Wool Blanket');
    await screenshot(page, 'shop-generic-logged');
  });
});
