// Nothing an agent does is lost or done twice: with the API stopped, 100 quick actions through the
// real extension in Chromium; the browser restarts; the API starts → exactly 100 records.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { parseEnv } from '../../api/env';
import { startServer, type RunningServer } from '../../api/server';
import { seedDemoIfEmpty } from '../../api/demo/seed';
import { connect } from '../../api/db/connection';
import { DEMO_AGENT_EMAILS, screenshot, withTimeout, type BrowserWithExtension } from './harness';
import { expect, launchTracked, test } from './fixtures';

// This file runs its own API (stopped and started on one port) and restarts the browser on one
// profile, so it takes only the fixture server and the failure report from ./fixtures.
test.override({ routes: [{ host: 'mail.google.com', path: '/mail/u/0/', file: 'tests/fixtures/pages/gmail/gmail-thread-customer.html' }] });

const ACTIONS = 100;
const THREAD = 'https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6a7';

let dir: string;
let profileDir: string;
let port: number;
let api: RunningServer | null = null;
let browser: BrowserWithExtension | null = null;
let token: string;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const startApi = async () => {
  api = await withTimeout(
    startServer(parseEnv({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, SEED_DEMO: '0' }), { sqliteFile: join(dir, 'rafiq.sqlite'), quiet: true }),
    30_000,
    'API start',
  );
};
const stopApi = async () => {
  await api?.close();
  api = null;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rafiq-outbox-'));
  profileDir = mkdtempSync(join(tmpdir(), 'rafiq-outbox-profile-'));
  port = await freePort();
  await startApi();
  token = await seedDemoIfEmpty(api!.db.db, { tokenFile: join(dir, 'demo-token.txt') });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopApi();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
}, 30_000);

async function openThread(): Promise<Page> {
  const page = await browser!.newPage();
  await page.goto(THREAD);
  return page;
}

test(`${ACTIONS} quick actions with the API down arrive exactly once after a browser restart`, async ({ fixtures }) => {
  browser = await launchTracked({ fixtureServer: fixtures, profileDir });
  await browser.configure({ serverUrl: `http://127.0.0.1:${port}`, token, agentEmails: DEMO_AGENT_EMAILS });
  let page = await openThread();
  // Seen once while online: the card is kept for offline use.
  await expect.poll(() => page.locator('[data-testid="rafiq-customer-name"]').textContent(), { timeout: 15_000 }).toBe('Layla Haddad');

  await stopApi();
  await page.reload();
  await expect.poll(() => page.locator('[data-testid="rafiq-offline"]').count(), { timeout: 15_000 }).toBe(1);
  for (let i = 1; i <= ACTIONS; i++) {
    if (i % 2) {
      await page.locator('[data-testid="rafiq-action-note"]').click();
      await page.locator('[data-testid="rafiq-note-input"]').fill(`offline note ${i}`);
      await page.locator('[data-testid="rafiq-note-save"]').click();
    } else {
      await page.locator('[data-testid="rafiq-action-ticket"]').click();
    }
    // t() isolates its parameters (U+2068…U+2069): compare the visible text.
    await expect.poll(async () => (await page.locator('[data-testid="rafiq-queued"]').textContent())?.replace(/[\u2066-\u2069]/g, ''), { timeout: 10_000 }).toBe(`Queued: ${i}`);
  }
  await screenshot(page, 'outbox-queued');
  await browser.close();
  browser = null;

  // The browser comes back first, then the API.
  browser = await launchTracked({ fixtureServer: fixtures, profileDir });
  const queued = (await browser.readSettings(['outbox'])).outbox as unknown[];
  expect(queued).toHaveLength(ACTIONS);
  await startApi();
  page = await openThread();
  const db = connect({ sqliteFile: join(dir, 'rafiq.sqlite') });
  try {
    const count = async () => {
      const notes = await db.db.selectFrom('notes').select('body').where('body', 'like', 'offline note %').execute();
      return notes.length;
    };
    await expect.poll(count, { timeout: 60_000, interval: 500 }).toBe(ACTIONS / 2);
    await expect.poll(() => page.locator('[data-testid="rafiq-queued"]').count(), { timeout: 30_000 }).toBe(0);
    const bodies = (await db.db.selectFrom('notes').select('body').where('body', 'like', 'offline note %').execute()).map((n) => n.body);
    expect(new Set(bodies).size).toBe(ACTIONS / 2);
    // "Create ticket" from the same thread 50 times is one ticket: its source key is the thread.
    const tickets = await db.db.selectFrom('tickets').select('id').where('source_key', '=', 'email:18c2a1f0d4e5b6a7').execute();
    expect(tickets).toHaveLength(1);
    // Every one of the 100 writes was delivered once: 100 idempotency keys recorded, none rejected.
    const keys = await db.db.selectFrom('idempotency_keys').select('key').where('path', 'in', ['/trpc/notes.add', '/trpc/tickets.create']).execute();
    expect(keys).toHaveLength(ACTIONS);
    expect((await browser.readSettings(['outboxRejected'])).outboxRejected ?? []).toEqual([]);
  } finally {
    await db.close();
  }
});
