// Smoke test of the end-to-end harness itself: if this fails, the other e2e tests can't be trusted.
import { fixtureTitle, withTimeout } from './harness';
import { expect, test } from './fixtures';

const gmailThread = 'tests/fixtures/pages/gmail/gmail-thread-customer.html';

// The extension stays unconfigured here: the test below configures it itself.
test.override({ routes: [{ host: 'mail.google.com', path: '/mail/u/0/', file: gmailThread }], settings: null });

test('Chromium gets the saved Gmail page from the fixture server under its real host name', async ({ browser }) => {
  const page = await browser.newPage();
  try {
    // The fragment stays in the browser; the server only sees /mail/u/0/.
    const response = await page.goto('https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6a7', { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe(fixtureTitle(gmailThread));
    expect(page.url()).toBe('https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6a7');

    const missing = await page.goto('https://mail.google.com/no/such/page', { waitUntil: 'domcontentloaded' });
    expect(missing?.status()).toBe(404);
  } finally {
    await page.close();
  }
});

test('a route registered at run time is served, and replaced', async ({ browser, fixtures }) => {
  const page = await browser.newPage();
  try {
    fixtures.setRoute({ host: 'shop.example', path: '/product', body: '<title>first</title>' });
    await page.goto('https://shop.example/product?x=1', { waitUntil: 'domcontentloaded' });
    expect(await page.title()).toBe('first');
    fixtures.setRoute({ host: 'shop.example', path: '/product', body: '<title>second</title>' });
    await page.goto('https://shop.example/product', { waitUntil: 'domcontentloaded' });
    expect(await page.title()).toBe('second');
  } finally {
    await page.close();
  }
});

test("the extension's service worker is found and configure() round-trips through chrome.storage.local", async ({ browser, api }) => {
  expect(browser.serviceWorker.url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\//);
  expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
  const settings = { serverUrl: api.url, token: api.token, agentEmails: ['support@rafiq.example'], agentXHandles: ['rafiqshop'] };
  await browser.configure(settings);
  expect(await browser.readSettings(Object.keys(settings))).toEqual(settings);
});

test('the test API answers /healthz and knows the demo token', async ({ api }) => {
  const health = await withTimeout(fetch(`${api.url}/healthz`), 5_000, 'GET /healthz');
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, db: 'sqlite' });

  const input = encodeURIComponent(JSON.stringify({ identities: [{ kind: 'email', value: 'layla.haddad@example.com' }] }));
  const lookup = await withTimeout(
    fetch(`${api.url}/trpc/customers.lookup?input=${input}`, { headers: { authorization: `Bearer ${api.token}` } }),
    5_000,
    'customers.lookup',
  );
  expect(lookup.status).toBe(200);
  expect(((await lookup.json()) as { result: { data: { customer: { displayName: string } } } }).result.data.customer.displayName).toBe('Layla Haddad');
});
