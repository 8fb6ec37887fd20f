/**
 * Firefox end-to-end: Firefox ESR driven over WebDriver BiDi (puppeteer-core), the built
 * `.output/firefox-mv3` add-on installed as a temporary add-on, and the same fixture server and
 * test API as the Chromium suite (tests/e2e/harness.ts).
 *
 * How the real host names work here: Firefox has no `--host-resolver-rules`, so it is given a
 * proxy for https (a few lines below): the browser sends `CONNECT mail.google.com:443` and the
 * proxy tunnels fixture hosts to the local HTTPS fixture server and refuses every other host, so
 * saved pages' CDNs fail fast. Loopback (the API) is never proxied.
 *
 * How the add-on is configured: BiDi may not navigate to moz-extension:// pages unless Firefox runs
 * with MOZ_REMOTE_ALLOW_SYSTEM_ACCESS, which the launch sets; the add-on's UUID is fixed by a pref,
 * so the options page is opened at a known URL and `browser.storage.local.set` is evaluated there
 * (what Chromium's `configure` does in the service worker).
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { REPO_ROOT, withTimeout, type ExtensionSettings, type FixtureServer } from '../e2e/harness';

export const FIREFOX_PATH = process.env.RAFIQ_FIREFOX ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = resolve(REPO_ROOT, join('.output', 'firefox-mv3'));
/** The add-on's id (wxt.config.ts, browser_specific_settings.gecko.id). */
export const GECKO_ID = 'rafiq@rafiq.dev';
/** The moz-extension:// host the profile gives the add-on (fixed through `extensions.webextensions.uuids`). */
export const EXTENSION_UUID = '3a6f1c2e-9b4d-4e8a-a1f0-5c7d2b9e8f10';

/** The `browser` global of an extension page (evaluated there, typed here). */
declare const browser: {
  storage: { local: { set(items: Record<string, unknown>): Promise<void>; get(keys: string[] | null): Promise<Record<string, unknown>> } };
};

export interface FirefoxWithExtension {
  browser: Browser;
  /** Writes `browser.storage.local` from the add-on's options page (what the options form stores). */
  configure(settings: ExtensionSettings): Promise<void>;
  readSettings(keys?: string[]): Promise<Record<string, unknown>>;
  newPage(): Promise<Page>;
  /** Page console errors, uncaught errors and fixture requests, newest last. */
  diagnostics(): string;
  close(): Promise<void>;
}

/** Fails with the fix when Firefox or the Firefox build is missing. */
export function assertFirefoxReady(): void {
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${FIREFOX_EXTENSION_DIR}: run \`npx wxt build -b firefox --mv3\` first (\`npm test\` does).`);
  }
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox not found at ${FIREFOX_PATH} (apt-get install firefox-esr, or set RAFIQ_FIREFOX)`);
  }
}

/** An HTTP proxy that only tunnels (CONNECT) fixture hosts to the fixture server. */
async function startFixtureProxy(fixtureServer: FixtureServer, note: (line: string) => void): Promise<Server> {
  const hosts = new Set(fixtureServer.hosts.map((host) => host.toLowerCase()));
  const proxy = createServer((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('plain http is not served by the fixture proxy');
  });
  proxy.on('connect', (req, socket, head) => {
    const host = (req.url ?? '').replace(/:\d+$/, '').toLowerCase();
    if (!hosts.has(host)) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(fixtureServer.port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', (error) => {
      note(`[proxy] ${host}: ${error.message}`);
      socket.destroy();
    });
    socket.on('error', () => upstream.destroy());
  });
  await withTimeout(new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done)), 10_000, 'fixture proxy listen');
  return proxy;
}

export async function launchFirefoxWithExtension(options: { fixtureServer: FixtureServer }): Promise<FirefoxWithExtension> {
  assertFirefoxReady();
  const log: string[] = [];
  const note = (line: string) => {
    log.push(line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line);
    if (log.length > 300) log.shift();
  };
  const proxy = await startFixtureProxy(options.fixtureServer, note);
  const proxyPort = (proxy.address() as AddressInfo).port;
  let firefox: Browser | undefined;

  const cleanUp = async () => {
    if (firefox) {
      const closing = firefox;
      firefox = undefined;
      await withTimeout(closing.close(), 15_000, 'Firefox close').catch((error) => {
        note(String(error));
        closing.process()?.kill('SIGKILL');
      });
    }
    proxy.closeAllConnections();
    await new Promise<void>((done) => proxy.close(() => done()));
  };

  try {
    firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      protocol: 'webDriverBiDi',
      headless: true,
      acceptInsecureCerts: true,
      timeout: 60_000,
      defaultViewport: { width: 1440, height: 900 },
      env: { ...process.env, MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1' },
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxyPort,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxyPort,
        'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      },
    });
    const installed = await withTimeout(firefox.installExtension(FIREFOX_EXTENSION_DIR), 30_000, 'install the add-on');
    if (installed !== GECKO_ID) throw new Error(`installed add-on ${installed}, expected ${GECKO_ID}`);
    const active = firefox;

    const newPage = async () => {
      const page = await withTimeout(active.newPage(), 15_000, 'new page');
      page.setDefaultTimeout(15_000);
      page.setDefaultNavigationTimeout(30_000);
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warn') note(`[page ${page.url()} ${message.type()}] ${message.text()}`);
      });
      page.on('pageerror', (error) => note(`[page ${page.url()} uncaught] ${error instanceof Error ? error.message : String(error)}`));
      return page;
    };

    /** Runs `fn` in the add-on's options page (opened for the call, closed after). */
    const inOptionsPage = async <T>(fn: (page: Page) => Promise<T>): Promise<T> => {
      const page = await newPage();
      try {
        // The navigation's load is not reported for moz-extension pages over BiDi: start it, then
        // wait for the page's `browser` global instead.
        page.goto(`moz-extension://${EXTENSION_UUID}/options.html`, { timeout: 20_000 }).catch(() => undefined);
        await page.waitForFunction(() => location.protocol === 'moz-extension:' && typeof browser !== 'undefined' && document.readyState === 'complete', {
          timeout: 20_000,
          polling: 100,
        });
        return await fn(page);
      } finally {
        await page.close().catch(() => undefined);
      }
    };

    return {
      browser: active,
      configure: (settings) =>
        withTimeout(
          inOptionsPage((page) => page.evaluate((values) => browser.storage.local.set(values), settings as Record<string, unknown>)),
          30_000,
          'configure (browser.storage.local.set)',
        ),
      readSettings: (keys) =>
        withTimeout(
          inOptionsPage((page) => page.evaluate((wanted) => browser.storage.local.get(wanted), keys ?? null)),
          30_000,
          'read settings (browser.storage.local.get)',
        ),
      newPage,
      diagnostics() {
        const requests = options.fixtureServer.requests().slice(-30);
        return [`--- Firefox log (last ${log.length}) ---`, ...log, `--- fixture requests (last ${requests.length}) ---`, ...requests].join('\n');
      },
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    if (error instanceof Error && log.length) error.message += `\n--- Firefox log ---\n${log.join('\n')}`;
    throw error;
  }
}
