// Hostile pages on every site family, in real Chromium: names and texts carrying markup, script
// payloads, bidi overrides. Rafiq must render all of it as text: no dialog, no payload variable set,
// no element created from page text inside Rafiq's shadow roots.
import { DEMO_AGENT_EMAILS, DEMO_AGENT_X_HANDLES, screenshot } from './harness';
import { describe, expect, test } from './fixtures';

const cases = [
  { site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/hostile', host: 'mail.google.com', path: '/mail/u/0/', file: 'tests/fixtures/pages/gmail/gmail-thread-hostile.html', click: null },
  { site: 'x', url: 'https://x.com/spoof_account/status/1859000000000000001', host: 'x.com', path: '/spoof_account/status/1859000000000000001', file: 'tests/fixtures/pages/x/x-hostile.html', click: 'rafiq-badge button' },
  { site: 'trustpilot', url: 'https://www.trustpilot.com/review/evil.example', host: 'www.trustpilot.com', path: '/review/evil.example', file: 'tests/fixtures/pages/hostile/trustpilot-markup-hostile.html', click: '[data-testid="rafiq-page-review"] button' },
  { site: 'generic', url: 'https://shop.example/evil', host: 'shop.example', path: '/evil', file: 'tests/fixtures/pages/hostile/generic-jsonld-hostile.html', click: '[data-testid="rafiq-page-review"] button' },
] as const;

test.override({
  routes: cases.map(({ host, path, file }) => ({ host, path, file })),
  settings: { agentEmails: DEMO_AGENT_EMAILS, agentXHandles: DEMO_AGENT_X_HANDLES },
  // shop.example stands for a site the user enabled from the popup.
  enabledHosts: ['shop.example'],
});

describe('hostile pages render inert', () => {
  test.for(cases)('$site', async ({ site, url, click }, { browser }) => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url);
    await expect.poll(() => page.locator('rafiq-sidebar [data-testid="rafiq-panel"]').count(), { timeout: 15_000 }).toBe(1);
    if (click) {
      await expect.poll(() => page.locator(click).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const count = Math.min(await page.locator(click).count(), 6);
      for (let i = 0; i < count; i++) {
        await page.locator(click).nth(i).click();
        await page.waitForTimeout(150);
      }
    }
    // Let every lookup and render settle.
    await page.waitForTimeout(800);
    const report = await page.evaluate(() => {
      // (`window.stolen` is set by the hostile Trustpilot page's own unsanitized <script>: the page
      // runs it, not Rafiq, so it is not a signal here. The payloads Rafiq could trigger are
      // `onerror` handlers and alert() calls inside names and texts.)
      const w = window as unknown as { __pwned?: unknown; __xss?: unknown };
      const hosts = [...document.querySelectorAll('rafiq-sidebar, rafiq-badge, rafiq-complaint')];
      // X's badges are plain elements (no shadow root, issue 20): what Rafiq put in them counts too.
      const created = hosts.flatMap((host) => [...(host.shadowRoot ?? host).querySelectorAll('img, script, iframe, object, embed, svg')].map((e) => e.tagName));
      const text = hosts.map((host) => (host.shadowRoot ?? host).textContent ?? '').join('\n');
      return { pwned: w.__pwned ?? w.__xss ?? null, created, hasText: text.length > 0 };
    });
    expect(dialogs).toEqual([]);
    expect(report.pwned).toBeNull();
    expect(report.created).toEqual([]);
    expect(report.hasText).toBe(true);
    await screenshot(page, `xss-${site}`);
    await page.close();
  });
});
