// Shortcut snippets in real Chromium (issue 22): typing `;refund ` in Gmail's reply body and in
// X's reply box expands the template in the customer's language (Layla's locale is Arabic) through
// the editor's own editing path: Ctrl+Z brings the shortcut back, the caret sits at {{cursor}}.
// A reply the agent types and sends in Gmail feeds the reply history once, as `logged`.
import type { Page } from 'playwright-core';
import { screenshot, type TestApi } from './harness';
import { describe, expect, test } from './fixtures';

const LAYLA_THREAD = '18c2a1f0d4e5b6a7';
const STATUS = '/layla_haddad/status/1858000000000000001';

test.override({
  routes: [
    { host: 'mail.google.com', path: '/mail/u/0/', file: 'tests/fixtures/pages/gmail/gmail-thread-customer.html' },
    { host: 'x.com', path: STATUS, file: 'tests/fixtures/pages/x/x-status-with-replies.html' },
  ],
});

const AR_BODY = 'مرحبًا {{customer.firstName}}، أعدنا مبلغ طلبك {{order.number | الأخير}}.{{cursor}} — {{agent.name}}';

async function addArabicVariant(api: TestApi) {
  const template = await api.db.db.selectFrom('reply_templates').select('id').where('shortcut', '=', 'refund').executeTakeFirstOrThrow();
  const now = Date.now();
  await api.db.db
    .insertInto('reply_template_variants')
    .values({ template_id: template.id, language: 'ar', body: AR_BODY, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['template_id', 'language']).doNothing())
    .execute();
}

const name = (page: Page) => page.locator('[data-testid="rafiq-customer-name"]');

describe('snippets', () => {
  test('Gmail: ;refund expands in Arabic, the caret is at {{cursor}}, Ctrl+Z undoes it', async ({ page, api }) => {
    await addArabicVariant(api);
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
    await expect.poll(() => name(page).textContent(), { timeout: 15_000 }).toBe('Layla Haddad');
    await page.addStyleTag({ content: 'div[g_editable="true"] { display: block; width: 560px; min-height: 40px; border: 1px solid #ccc; }' });
    const box = page.locator('div[role="main"] div[contenteditable="true"][role="textbox"]').last();
    await box.click();
    await page.keyboard.type(';refund ', { delay: 20 });
    await expect.poll(() => box.innerText(), { timeout: 10_000 }).toContain('مرحبًا Layla، أعدنا مبلغ طلبك');
    const expanded = await box.innerText();
    expect(expanded).not.toContain(';refund');
    expect(expanded).toContain('— Sara Ahmed');
    // The reply history learns from it, on Layla: the record carries the page context the shortcut
    // was typed on, which the background checks like any other write from a page (issue 17).
    const learned = () =>
      api.db.db.selectFrom('reply_history').innerJoin('customers', 'customers.id', 'reply_history.customer_id').select('customers.display_name as name').where('source', '=', 'snippet').execute();
    await expect.poll(async () => (await learned()).map((r) => r.name), { timeout: 10_000 }).toEqual(['Layla Haddad']);
    // The caret is where {{cursor}} was: what the agent types next lands before the signature line.
    await page.keyboard.type(' شكرًا', { delay: 20 });
    expect(await box.innerText()).toMatch(/\. شكرًا — Sara Ahmed/);
    await screenshot(page, 'snippets-gmail-refund-ar');
    // Undo the typed word, then the expansion: the shortcut is back as typed.
    for (let i = 0; i < 10 && !(await box.innerText()).includes(';refund'); i++) await page.keyboard.press('Control+z');
    expect(await box.innerText()).toContain(';refund');
    expect(await box.innerText()).not.toContain('أعدنا');
  });

  test('Gmail: a reply the agent types and sends (Ctrl+Enter, then the Send button) is learned once, as logged, on Layla', async ({ page, api }) => {
    await page.goto(`https://mail.google.com/mail/u/0/#inbox/${LAYLA_THREAD}`);
    await page.reload();
    await expect.poll(() => name(page).textContent(), { timeout: 15_000 }).toBe('Layla Haddad');
    await page.addStyleTag({ content: 'div[g_editable="true"] { display: block; width: 560px; min-height: 40px; border: 1px solid #ccc; }' });
    const box = page.locator('div[role="main"] div[contenteditable="true"][role="textbox"]').last();
    const logged = () =>
      api.db.db
        .selectFrom('reply_history')
        .innerJoin('customers', 'customers.id', 'reply_history.customer_id')
        .select(['customers.display_name as name', 'reply_history.reply', 'reply_history.incoming'])
        .where('source', '=', 'logged')
        .orderBy('reply_history.id')
        .execute();
    await box.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('Hi Layla, a white lamp ships today.', { delay: 10 });
    await page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await logged()).map((r) => [r.name, r.reply]), { timeout: 10_000 }).toEqual([['Layla Haddad', 'Hi Layla, a white lamp ships today.']]);
    // The message answered is the newest one on the page.
    expect((await logged())[0]!.incoming).toContain('A replacement, please.');
    // Pressing it again for the same text is the same send; Gmail's Send button (found by structure) is another.
    await page.keyboard.press('Control+Enter');
    await page.keyboard.type(' Tracking follows.', { delay: 10 });
    await page.locator('div[role="main"] .dC > [role="button"]').last().click();
    await expect
      .poll(async () => (await logged()).map((r) => r.reply), { timeout: 10_000 })
      .toEqual(['Hi Layla, a white lamp ships today.', 'Hi Layla, a white lamp ships today. Tracking follows.']);
  });

  test('X reply: ;refund expands in the reply box', async ({ page }) => {
    await page.goto(`https://x.com${STATUS}`);
    await expect.poll(() => name(page).textContent(), { timeout: 15_000 }).toBe('Layla Haddad');
    const box = page.locator('[data-testid="tweetTextarea_0"][contenteditable="true"]').first();
    await box.click();
    await page.keyboard.type(';refund ', { delay: 20 });
    await expect.poll(() => box.innerText(), { timeout: 10_000 }).toContain('مرحبًا Layla، أعدنا مبلغ طلبك');
    expect(await box.innerText()).not.toContain(';refund');
    await screenshot(page, 'snippets-x-refund-ar');
    await page.keyboard.press('Control+z');
    await expect.poll(() => box.innerText(), { timeout: 5_000 }).toContain(';refund');
  });
});
