// Issue 21 in real Chromium: two browser profiles are two agents (Sara, the demo admin, and Emre)
// on the same saved Gmail thread, against one real API. B sees A's presence, B's reply/log is
// guarded after A logs the thread, and the SLA clock turns amber and red on a controlled clock
// (the extension's test clock offset, not sleeps).
import { afterAll, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { createAgent, createToken } from '../../api/modules/agents/agents.repository';
import { createTicket } from '../../api/modules/tickets/tickets.repository';
import { upsertPolicy, defaultTeam, updateTeam } from '../../api/modules/sla/sla.repository';
import { WEEKDAYS } from '@shared/sla';
import { businessCalendarSchema } from '@shared/sla-schema';
import { DEMO_AGENT_EMAILS, screenshot, type BrowserWithExtension, type FixtureServer, type TestApi } from './harness';
import { describe, expect, launchTracked, test } from './fixtures';

const THREAD = '18c2a1f0d4e5b6a7';
const THREAD_URL = `https://mail.google.com/mail/u/0/#inbox/${THREAD}`;
const MINUTE = 60_000;
const REVIEWS_PAGE = '/review/studiosamo.it';

let fixtures: FixtureServer;
let api: TestApi;
let sara: BrowserWithExtension;
let emre: BrowserWithExtension;
let pageA: Page;
let pageB: Page;
let ticketId = 0;

// The shared e2e fixtures (tests/e2e/fixtures.ts) give the saved pages, the demo API and Sara's
// browser; the team's calendar, a ticket and Emre's own browser are set up once, on first use.
test.override({
  routes: [
    { host: 'mail.google.com', path: '/mail/u/0/', file: 'tests/fixtures/pages/gmail/gmail-thread-customer.html' },
    { host: 'www.trustpilot.com', path: REVIEWS_PAGE, file: 'tests/fixtures/pages/trustpilot/trustpilot-it-studiosamo-2025.html' },
  ],
  settings: { agentEmails: DEMO_AGENT_EMAILS },
});

let ready: Promise<void> | null = null;
// Emre's browser is this file's own; Sara's, the API and the pages close with the fixtures.
afterAll(async () => {
  await emre?.close();
}, 60_000);
function setUp(given: { fixtures: FixtureServer; api: TestApi; browser: BrowserWithExtension }): Promise<void> {
  return (ready ??= (async () => {
    fixtures = given.fixtures;
    api = given.api;
    sara = given.browser;
    const db = api.db.db;
    const now = Date.now();
    // Open all week, all day: the clock advances exactly with the test offset, whatever the real time.
    const team = await defaultTeam(db);
    await updateTeam(db, team.id, { calendar: businessCalendarSchema.parse({ timeZone: 'Asia/Riyadh', week: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) }) }, now);
    await upsertPolicy(db, { channel: 'email', priority: '*', firstResponseMinutes: 60, resolutionMinutes: 480 }, now);
    const layla = await db.selectFrom('identities').select('customer_id').where('normalized', '=', 'layla.haddad@example.com').executeTakeFirstOrThrow();
    const { ticket } = await createTicket(db, {
      customerId: layla.customer_id,
      subject: 'Order arrived damaged',
      channel: 'email',
      priority: 'normal',
      assigneeId: null,
      sourceUrl: THREAD_URL,
      sourceKey: `email:${THREAD}`,
      details: {},
      excerpt: null,
      agentId: null,
      createdAt: now,
    });
    ticketId = ticket.id;
    const emreRow = (await db.selectFrom('agents').select('id').where('email', '=', 'emre@rafiq.example').executeTakeFirst()) ?? (await createAgent(db, { name: 'Emre Kaya', email: 'emre@rafiq.example', role: 'agent' }, now));
    const emreToken = (await createToken(db, emreRow.id, now, { label: 'e2e-b' })).token;

    // Sara is the file's browser (configured by the fixture); Emre is a second profile.
    emre = await launchTracked({ fixtureServer: fixtures });
    await emre.configure({ serverUrl: api.url, token: emreToken, agentEmails: DEMO_AGENT_EMAILS });
    pageA = await sara.newPage();
    pageB = await emre.newPage();
  })());
}

const diagnostics = () =>
  onTestFailed(async ({ task }) => {
    console.error('A:', sara?.diagnostics());
    console.error('B:', emre?.diagnostics());
    await screenshot(pageB, `team-failed-${task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });

const presenceB = () => pageB.locator('[data-testid="rafiq-presence"]');
/** Text as read, without the bidi isolates the UI puts around names and numbers. */
const read = async (locator: { textContent(): Promise<string | null> }) => ((await locator.textContent()) ?? '').replace(/[\u2066-\u2069]/g, '');
const clockB = () => pageB.locator('[data-testid="rafiq-sla-clock"]');

describe('two agents on one Gmail thread', () => {
  test('B sees that A is on the conversation', async ({ fixtures: server, api: testApi, browser }) => {
    await setUp({ fixtures: server, api: testApi, browser });
    diagnostics();
    await pageA.goto(THREAD_URL);
    await expect.poll(() => read(pageA.locator('[data-testid="rafiq-customer-name"]')), { timeout: 20_000 }).toBe('Layla Haddad');
    await expect.poll(() => pageA.locator('[data-testid="rafiq-presence"]').getAttribute('data-state'), { timeout: 10_000 }).toBe('alone');
    await pageB.goto(THREAD_URL);
    await expect.poll(() => read(presenceB()), { timeout: 10_000 }).toContain('Sara Ahmed is viewing');
    // And the other way round.
    await expect.poll(() => read(pageA.locator('[data-testid="rafiq-presence"]')), { timeout: 10_000 }).toContain('Emre Kaya is viewing');
    expect(await read(clockB())).toMatch(new RegExp(`#${ticketId}.*Reply due in`));
  });

  test('after A logs the thread, B is warned before logging it too', async ({ fixtures: server, api: testApi, browser }) => {
    await setUp({ fixtures: server, api: testApi, browser });
    diagnostics();
    await pageA.locator('[data-testid="rafiq-action-log"]').click();
    await expect.poll(() => read(pageA.locator('[data-testid="rafiq-notice"]')), { timeout: 10_000 }).toMatch(/logged/i);
    await expect.poll(() => read(pageB.locator('[data-testid="rafiq-collision"]')), { timeout: 10_000 }).toContain('Sara Ahmed logged this conversation');
    const logged = async () => (await api.db.db.selectFrom('interactions').select('id').where('agent_id', 'is not', null).where('external_id', 'like', 'gmail%').execute()).length;
    const before = await logged();
    await pageB.locator('[data-testid="rafiq-action-log"]').click();
    await expect.poll(() => read(pageB.locator('[data-testid="rafiq-notice"]')), { timeout: 10_000 }).toContain('Check before you send');
    // The warned click wrote nothing; the next click goes ahead (the agent looked and decided).
    expect(await logged()).toBe(before);
    await screenshot(pageB, 'team-collision-warning');
  });

  test('the SLA clock turns amber at 75% and red when breached, on a controlled clock', async ({ fixtures: server, api: testApi, browser }) => {
    await setUp({ fixtures: server, api: testApi, browser });
    diagnostics();
    await expect.poll(() => clockB().getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    await emre.configure({ testClockOffsetMs: 46 * MINUTE });
    await expect.poll(() => clockB().getAttribute('data-state'), { timeout: 10_000 }).toBe('warning');
    expect(await clockB().getAttribute('class')).toContain('sla-warning');
    // The light theme's SLA colours (sidebar.css --rafiq-sla-*), dark enough for WCAG AA on their tint.
    expect(await clockB().evaluate((el) => getComputedStyle(el).color)).toBe('rgb(122, 82, 0)');
    await screenshot(pageB, 'team-sla-amber');
    await emre.configure({ testClockOffsetMs: 61 * MINUTE });
    await expect.poll(() => clockB().getAttribute('data-state'), { timeout: 10_000 }).toBe('breached');
    expect(await read(clockB())).toMatch(/Reply overdue by/);
    expect(await clockB().evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 29, 40)');
    await screenshot(pageB, 'team-sla-red');
  });

  test('B assigns the ticket to themselves from the sidebar', async ({ fixtures: server, api: testApi, browser }) => {
    await setUp({ fixtures: server, api: testApi, browser });
    diagnostics();
    await pageB.locator('[data-testid="rafiq-assign-me"]').click();
    await expect
      .poll(async () => (await api.db.db.selectFrom('tickets').select('assignee_id').where('id', '=', ticketId).executeTakeFirstOrThrow()).assignee_id, { timeout: 10_000 })
      .not.toBeNull();
    await expect.poll(() => read(pageB.locator('[data-testid="rafiq-assignment"]')), { timeout: 10_000 }).toContain('Assigned to Emre Kaya');
  });

  test('A closes the tab: B no longer sees A', async ({ fixtures: server, api: testApi, browser }) => {
    await setUp({ fixtures: server, api: testApi, browser });
    diagnostics();
    await pageA.close({ runBeforeUnload: true });
    await expect.poll(() => presenceB().getAttribute('data-state'), { timeout: 30_000 }).toBe('alone');
  });
});

describe('two agents on one Trustpilot review', () => {
  let reviewA: Page;
  let reviewB: Page;
  /** The sidebar's review list entry for Elisa Pacchioni (a demo customer, so her card shows). */
  const elisa = (page: Page) => page.locator('[data-testid="rafiq-page-review"]', { hasText: 'Elisa Pacchioni' });
  const logButton = async (page: Page) => {
    const reviewId = await elisa(page).getAttribute('data-review-id');
    return page.locator('article', { has: page.locator(`a[href="/reviews/${reviewId}"]`) }).last().locator('rafiq-complaint [data-testid="rafiq-log-complaint"]');
  };
  const open = async (page: Page) => {
    await page.goto(`https://www.trustpilot.com${REVIEWS_PAGE}`);
    await expect.poll(() => elisa(page).count(), { timeout: 15_000 }).toBe(1);
    await elisa(page).locator('button').click();
    await expect.poll(() => read(page.locator('[data-testid="rafiq-customer-name"]')), { timeout: 10_000 }).toBe('Elisa Pacchioni');
  };

  test('B sees A on the review A focused, then is warned before logging it again', async ({ fixtures: server, api: testApi, browser }) => {
    await setUp({ fixtures: server, api: testApi, browser });
    diagnostics();
    await emre.configure({ testClockOffsetMs: 0 });
    reviewA = await sara.newPage();
    reviewB = await emre.newPage();
    await open(reviewA);
    await expect.poll(() => reviewA.locator('[data-testid="rafiq-presence"]').getAttribute('data-state'), { timeout: 10_000 }).toBe('alone');
    await open(reviewB);
    await expect.poll(() => read(reviewB.locator('[data-testid="rafiq-presence"]')), { timeout: 10_000 }).toContain('Sara Ahmed is viewing');

    // A logs the review's complaint: A's clock is that ticket's, and B's guard learns of it.
    await (await logButton(reviewA)).click();
    await expect.poll(async () => read(await logButton(reviewA)), { timeout: 10_000 }).toMatch(/^Ticket #\d+ · Open$/);
    const reviewId = await elisa(reviewA).getAttribute('data-review-id');
    const ticket = await api.db.db.selectFrom('tickets').select('id').where('source_key', '=', `review:trustpilot:${reviewId}`).executeTakeFirstOrThrow();
    await expect.poll(() => read(reviewA.locator('[data-testid="rafiq-sla-clock"]')), { timeout: 10_000 }).toContain(`#${ticket.id}`);
    await expect.poll(() => read(reviewB.locator('[data-testid="rafiq-collision"]')), { timeout: 10_000 }).toContain('Sara Ahmed logged this conversation');
    const buttonB = await logButton(reviewB);
    await buttonB.click();
    await expect.poll(() => buttonB.getAttribute('data-state'), { timeout: 10_000 }).toBe('warning');
    expect(await read(buttonB)).toContain('Check before you send');
    await screenshot(reviewB, 'team-review-collision');
    // The warned click wrote nothing; the next one goes ahead onto the same ticket.
    await buttonB.click();
    await expect.poll(async () => read(buttonB), { timeout: 10_000 }).toBe(`Ticket #${ticket.id} · Open`);
    expect(await api.db.db.selectFrom('tickets').select('id').where('source_key', '=', `review:trustpilot:${reviewId}`).execute()).toHaveLength(1);
  });
});
