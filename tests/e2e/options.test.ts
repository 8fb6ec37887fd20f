// First run in real Chromium: the options page takes the one-line connection string `npm start`
// prints, tests it, and the popup then shows who is connected.
import { screenshot } from './harness';
import { expect, test } from './fixtures';

// First run: nothing configured, so the extension opens its options page by itself.
test.override({ settings: null });

test('a bad string is refused with the reason; the real one connects and names the agent', async ({ browser, api }) => {
  // First run: with no token yet, installing the extension opens its options page by itself.
  const optionsUrl = `chrome-extension://${browser.extensionId}/options.html`;
  await expect.poll(() => browser.context.pages().some((p) => p.url() === optionsUrl), { timeout: 10_000 }).toBe(true);
  const page = browser.context.pages().find((p) => p.url() === optionsUrl)!;
  await page.waitForLoadState('load');
  await page.locator('[data-testid="options-connection-string"]').fill('rfq_just-a-token');
  await page.locator('[data-testid="options-connect"]').click();
  await expect.poll(() => page.locator('[data-testid="options-result"]').textContent(), { timeout: 10_000 }).toContain('not a connection string');

  await page.locator('[data-testid="options-connection-string"]').fill(`${api.url}#token=${api.token}`);
  await page.locator('[data-testid="options-connect"]').click();
  await expect.poll(() => page.locator('[data-testid="options-result"]').textContent(), { timeout: 10_000 }).toBe(`Connected to ${api.url} as Sara Ahmed (admin).`);
  const stored = await browser.readSettings(['serverUrl', 'token', 'agentEmails']);
  expect(stored).toMatchObject({ serverUrl: api.url, token: api.token });
  // The agent's own address is filled in from the server, so their replies are never "the customer".
  await expect.poll(async () => (await browser.readSettings(['agentEmails'])).agentEmails, { timeout: 5_000 }).toEqual(['support@rafiq.example']);
  await screenshot(page, 'options-connected');

  await page.locator('[data-testid="options-token"]').fill('rfq_revoked-or-wrong');
  await page.locator('[data-testid="options-test"]').click();
  await expect.poll(() => page.locator('[data-testid="options-result"]').textContent(), { timeout: 10_000 }).toContain('refused the token');

  const popup = await browser.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await expect.poll(() => popup.locator('[data-testid="popup-status"]').textContent(), { timeout: 10_000 }).toBe('Connected as Sara Ahmed');
  expect(await popup.locator('[data-testid="popup-unverified"]').textContent()).toContain('eshtki');
});
