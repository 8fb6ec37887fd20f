// First run in real Chromium: the options page takes the one-line connection string `npm start`
// prints, tests it before saving it, and the popup then shows who is connected.
import { screenshot } from './harness';
import { expect, test } from './fixtures';

/** Visible text: t() wraps parameters in first-strong isolates (U+2068 … U+2069). */
const plain = (text: string | null) => text?.replace(/[\u2066-\u2069]/g, '') ?? null;

// First run: nothing configured, so the extension opens its options page by itself.
test.override({ settings: null });

test('a bad string is refused with the reason; the real one is tested, then saved, and names the agent', async ({ browser, api }) => {
  // First run: with no token yet, installing the extension opens its options page by itself.
  const optionsUrl = `chrome-extension://${browser.extensionId}/options.html`;
  await expect.poll(() => browser.context.pages().some((p) => p.url() === optionsUrl), { timeout: 10_000 }).toBe(true);
  const page = browser.context.pages().find((p) => p.url() === optionsUrl)!;
  await page.waitForLoadState('load');
  // One form for connecting, not two.
  expect(await page.locator('form').count()).toBe(1);
  expect(await page.locator('[data-testid="options-test"]').count()).toBe(0);

  await page.locator('[data-testid="options-connection-string"]').fill('rfq_just-a-token');
  await page.locator('[data-testid="options-connect"]').click();
  await expect.poll(async () => plain(await page.locator('[data-testid="options-result"]').textContent()), { timeout: 10_000 }).toContain('not a connection string');

  // Nothing saved yet and nothing listening: refused within 5 s, nothing stored.
  const deadPort = 18791;
  const startedDead = Date.now();
  await page.locator('[data-testid="options-connection-string"]').fill(`http://127.0.0.1:${deadPort}#token=${api.token}`);
  await page.locator('[data-testid="options-connect"]').click();
  await expect.poll(async () => plain(await page.locator('[data-testid="options-result"]').textContent()), { timeout: 5_000 }).toBe(`Nothing answered at http://127.0.0.1:${deadPort}`);
  expect(Date.now() - startedDead).toBeLessThan(5_000);
  expect(await browser.readSettings(['token'])).not.toMatchObject({ token: api.token });

  await page.locator('[data-testid="options-connection-string"]').fill(`${api.url}#token=${api.token}`);
  await page.locator('[data-testid="options-connect"]').click();
  await expect.poll(async () => plain(await page.locator('[data-testid="options-connected"]').textContent()), { timeout: 10_000 }).toBe(`Connected as Sara Ahmed (admin) to ${api.url}.`);
  expect(await page.locator('[data-testid="options-result"]').count()).toBe(0);
  const stored = await browser.readSettings(['serverUrl', 'token', 'agentEmails']);
  expect(stored).toMatchObject({ serverUrl: api.url, token: api.token });
  // The agent's own address is filled in from the server, so their replies are never "the customer".
  await expect.poll(async () => (await browser.readSettings(['agentEmails'])).agentEmails, { timeout: 5_000 }).toEqual(['support@rafiq.example']);
  await screenshot(page, 'options-connected');

  // A failing string never replaces the working one: a dead port, then a wrong token.
  await page.locator('[data-testid="options-connection-string"]').fill(`http://127.0.0.1:${deadPort}#token=${api.token}`);
  await page.locator('[data-testid="options-connect"]').click();
  await expect.poll(async () => plain(await page.locator('[data-testid="options-result"]').textContent()), { timeout: 5_000 }).toBe(`Nothing answered at http://127.0.0.1:${deadPort}`);
  expect(plain(await page.locator('[data-testid="options-kept"]').textContent())).toBe('Not saved: your working connection is kept.');
  await page.locator('[data-testid="options-connection-string"]').fill(`${api.url}#token=rfq_revoked-or-wrong`);
  await page.locator('[data-testid="options-connect"]').click();
  await expect.poll(async () => plain(await page.locator('[data-testid="options-result"]').textContent()), { timeout: 10_000 }).toContain('refused your token');
  expect(await browser.readSettings(['serverUrl', 'token'])).toMatchObject({ serverUrl: api.url, token: api.token });
  expect(plain(await page.locator('[data-testid="options-connected"]').textContent())).toBe(`Connected as Sara Ahmed (admin) to ${api.url}.`);

  // Saving the other settings keeps "Connected as …" on screen and the connection untouched.
  await page.locator('[data-testid="options-agent-emails"]').fill('support@rafiq.example\nme@rafiq.example');
  await page.locator('[data-testid="options-save"]').click();
  await expect.poll(async () => plain(await page.locator('[data-testid="options-saved"]').textContent()), { timeout: 5_000 }).toBe('Saved.');
  expect(plain(await page.locator('[data-testid="options-connected"]').textContent())).toBe(`Connected as Sara Ahmed (admin) to ${api.url}.`);
  expect(await browser.readSettings(['serverUrl', 'token', 'agentEmails'])).toMatchObject({
    serverUrl: api.url,
    token: api.token,
    agentEmails: ['support@rafiq.example', 'me@rafiq.example'],
  });
  // After a reload too: the status comes from the saved connection.
  await page.reload();
  await expect.poll(async () => plain(await page.locator('[data-testid="options-connected"]').textContent()), { timeout: 10_000 }).toBe(`Connected as Sara Ahmed (admin) to ${api.url}.`);

  const popup = await browser.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await expect.poll(async () => plain(await popup.locator('[data-testid="popup-status"]').textContent()), { timeout: 10_000 }).toBe('Connected as Sara Ahmed');
  expect(await popup.locator('[data-testid="popup-unverified"]').textContent()).toContain('eshtki');
});

test('the connection messages exist in all four languages', async () => {
  const { en } = await import('../../extension/i18n/messages.en');
  const { ar, fa, tr } = await import('../../extension/i18n/messages.rtl-and-tr');
  for (const key of ['options.nothingAnswered', 'options.notSaved', 'options.connectedAs', 'badge.customer', 'badge.new', 'badge.customerTitle', 'badge.newTitle', 'badge.checking'] as const) {
    for (const [lang, catalog] of Object.entries({ en, ar, fa, tr })) expect(catalog[key]?.trim().length ?? 0, `${lang} ${key}`).toBeGreaterThan(0);
  }
  expect(ar['options.nothingAnswered']).toContain('{url}');
});
