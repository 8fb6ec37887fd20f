// The service dashboard in real Chromium: the built extension's dashboard page, talking to the real
// API (through the background) on a temporary database with the demo workspace, plus a few survey
// answers given through the public survey page as customers would.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { findOrCreateSurvey } from '../../api/modules/surveys/surveys.repository';
import { screenshot } from './harness';
import { expect, test } from './fixtures';

test.override({ viewport: { width: 1440, height: 1800 }, settings: {} });

test.beforeAll(async ({ api }) => {
  // Customers answer surveys for some of the demo's resolved tickets (CSAT 5,4,2,5,3 and NPS 10,9,3,7).
  // (Tickets the demo seed has no survey for, so these links are fresh.)
  const resolved = await api.db.db
    .selectFrom('tickets')
    .select('id')
    .where('status', 'in', ['resolved', 'closed'])
    .where('id', 'not in', api.db.db.selectFrom('surveys').select('ticket_id'))
    .orderBy('id')
    .limit(9)
    .execute();
  const answers: ['csat' | 'nps', number, string][] = [
    ['csat', 5, 'Quick and kind'],
    ['csat', 4, ''],
    ['csat', 2, 'Took three emails to get an answer'],
    ['csat', 5, ''],
    ['csat', 3, ''],
    ['nps', 10, ''],
    ['nps', 9, ''],
    ['nps', 3, 'Refund still missing'],
    ['nps', 7, ''],
  ];
  for (const [i, [scale, score, comment]] of answers.entries()) {
    const { survey } = await findOrCreateSurvey(api.db.db, { ticketId: resolved[i]!.id, scale, agentId: null, now: Date.now() });
    const response = await fetch(`${api.url}/s/${survey.token}`, { method: 'POST', body: new URLSearchParams({ score: String(score), comment }) });
    expect(response.status).toBe(200);
  }
});

const tile = (page: Page, id: string) => page.locator(`[data-testid="dashboard-tile-${id}"] .tile-value`);

test('the dashboard renders charts and sensible numbers for the demo workspace', async ({ page, browser }) => {
  await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
  await page.waitForSelector('[data-testid="dashboard-tile-tickets"]', { timeout: 30_000 });

  const tickets = Number((await tile(page, 'tickets').innerText()).replace(/\D/g, ''));
  expect(tickets).toBeGreaterThan(10);
  for (const id of ['first-response', 'resolution', 'reopen', 'fcr', 'csat', 'nps', 'retention', 'backlog']) {
    const text = (await tile(page, id).innerText()).trim();
    expect(text, `tile ${id}`).not.toBe('');
    expect(text, `tile ${id}`).not.toBe('—');
  }
  expect(await tile(page, 'first-response').innerText()).toMatch(/^\d+(\.\d)? (min|hr|days?)$/);
  expect(await tile(page, 'csat').innerText()).toMatch(/^\d+(\.\d)?%$/);

  // Every chart is a canvas that Chart.js actually drew on (some opaque pixel).
  const charts = ['volume', 'first-response', 'resolution', 'rates', 'backlog', 'retention', 'satisfaction', 'topics'];
  for (const id of charts) {
    const drawn = await page.locator(`[data-testid="chart-${id}"]`).evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d');
      if (!ctx || !canvas.width || !canvas.height) return false;
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) return true;
      return false;
    });
    expect(drawn, `chart ${id} drew something`).toBe(true);
  }

  const agents = page.locator('[data-testid="dashboard-table-agents"] tbody tr');
  await expect.poll(() => agents.count()).toBeGreaterThanOrEqual(2);
  expect(await page.locator('[data-testid="dashboard-table-agents"]').innerText()).toContain('Sara Ahmed');
  const followUps = await page.locator('[data-testid="dashboard-table-follow-ups"]').innerText();
  expect(followUps).toContain('Took three emails to get an answer');
  expect(followUps).toContain('Refund still missing');

  await screenshot(page, 'dashboard-demo');
});

test('each table exports the rows it shows as CSV', async ({ page }) => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="dashboard-csv-agents"]')]);
  expect(download.suggestedFilename()).toMatch(/^rafiq-agents-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^Agent,Tickets,Open now,/);
  expect(lines.length).toBe((await page.locator('[data-testid="dashboard-table-agents"] tbody tr').count()) + 1);
  expect(text).toContain('Sara Ahmed');
});

test('changing the range to weeks re-queries and redraws', async ({ page }) => {
  await page.selectOption('select', 'week');
  await expect.poll(() => page.locator('[data-testid="dashboard-table-periods"] tbody tr').count(), { timeout: 15_000 }).toBeLessThanOrEqual(6);
  expect(await page.locator('[data-testid="dashboard-table-periods"] tbody tr').count()).toBeGreaterThanOrEqual(4);
});
