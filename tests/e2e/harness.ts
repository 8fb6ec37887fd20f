/**
 * End-to-end harness: real Chromium with the built extension, saved pages served under their real
 * host names, and the real API on a temporary database. Used by tests/e2e, `npm run demo` and
 * `npm run bench:sidebar`.
 *
 * How the real host names work: one local HTTPS server (self-signed certificate made with openssl
 * at run time) answers for every fixture host, and Chromium's `--host-resolver-rules` sends those
 * hosts to it, so content scripts see `https://mail.google.com/...` and match as in production.
 * Every other host resolves to nothing (the network is closed; saved pages reference CDNs that
 * must fail fast instead of hanging the `load` event).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type ConsoleMessage, type Page, type Worker } from 'playwright-core';
import { parseEnv } from '../../api/env';
import { startServer } from '../../api/server';
import { seedDemoIfEmpty, DEMO_AGENT } from '../../api/demo/seed';
import { indexMissingCustomers } from '../../api/modules/customers/search-index';
import { createAgent, createToken } from '../../api/modules/agents/agents.repository';
import type { Db } from '../../api/db/connection';
import { GENERIC_SCRIPT } from '../../extension/pages/site-access';

/** The slice of the extension API the harness calls inside the service worker (evaluated there, typed here). */
declare const chrome: {
  storage: { local: { set(items: Record<string, unknown>): Promise<void>; get(keys: string[] | null): Promise<Record<string, unknown>> } };
  scripting: { registerContentScripts(scripts: object[]): Promise<void> };
};

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The built extension (`npx wxt build`); RAFIQ_EXTENSION_DIR points the harness at another build. */
export const DEFAULT_EXTENSION_DIR = resolve(REPO_ROOT, process.env.RAFIQ_EXTENSION_DIR ?? join('.output', 'chrome-mv3'));
export const SCREENSHOT_DIR = join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
export const CHROMIUM_PATH = process.env.RAFIQ_CHROMIUM ?? '/usr/bin/chromium';

/** Every host a saved page can be served under (all go to the one fixture server). */
export const FIXTURE_HOSTS = [
  'mail.google.com',
  'x.com',
  'twitter.com',
  'www.trustpilot.com',
  'it.trustpilot.com',
  'www.yelp.com',
  'www.g2.com',
  'www.amazon.com',
  'www.amazon.es',
  'www.sikayetvar.com',
  'www.google.com',
  'shop.example',
] as const;
export type FixtureHost = (typeof FIXTURE_HOSTS)[number];

/** The demo agent's settings, as the options page would store them. */
export const DEMO_AGENT_EMAILS = [DEMO_AGENT.email];
export const DEMO_AGENT_X_HANDLES = ['rafiqshop'];

// ---------------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------------

/** Rejects with `what timed out after N ms` when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { timeout: timeoutMs }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolvePromise();
    });
  });
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

// ---------------------------------------------------------------------------------------------
// Fixture server
// ---------------------------------------------------------------------------------------------

export interface FixtureRoute {
  host: FixtureHost | (string & {});
  /** The URL path without query or fragment (the fragment never reaches a server). A trailing `*` matches a prefix. */
  path: string;
  /** A saved page, relative to the repository root or absolute. */
  file?: string;
  /** Or the body itself. */
  body?: string | Buffer;
  contentType?: string;
}

export interface FixtureServer {
  port: number;
  hosts: readonly string[];
  /** Adds a route, replacing any with the same host and path. */
  setRoute(route: FixtureRoute): void;
  removeRoute(host: string, path: string): void;
  /** The last requests served (newest last), for diagnostics. */
  requests(): string[];
  close(): Promise<void>;
}

/** Makes a throwaway self-signed certificate for the fixture hosts (Chromium runs with --ignore-certificate-errors). */
async function makeCertificate(dir: string, hosts: readonly string[]): Promise<{ key: Buffer; cert: Buffer }> {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const san = ['DNS:localhost', 'IP:127.0.0.1', ...hosts.map((h) => `DNS:${h}`)].join(',');
  await run(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=rafiq-test', '-addext', `subjectAltName=${san}`,
    ],
    20_000,
  );
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

/** One HTTPS server on 127.0.0.1 that serves saved pages by host + path; 404 otherwise. */
export async function startFixtureServer(options: { routes?: FixtureRoute[]; hosts?: readonly string[] } = {}): Promise<FixtureServer> {
  const hosts = options.hosts ?? FIXTURE_HOSTS;
  const certDir = mkdtempSync(join(tmpdir(), 'rafiq-e2e-cert-'));
  let tls: { key: Buffer; cert: Buffer };
  try {
    tls = await makeCertificate(certDir, hosts);
  } finally {
    rmSync(certDir, { recursive: true, force: true });
  }

  const routes = new Map<string, FixtureRoute>();
  const keyOf = (host: string, path: string) => `${host.toLowerCase()} ${path}`;
  const setRoute = (route: FixtureRoute) => {
    if (!route.file && route.body === undefined) throw new Error(`fixture route ${route.host}${route.path} needs a file or a body`);
    if (route.file) {
      const file = isAbsolute(route.file) ? route.file : join(REPO_ROOT, route.file);
      if (!existsSync(file)) throw new Error(`fixture route ${route.host}${route.path}: no such file ${file}`);
      route = { ...route, file };
    }
    routes.set(keyOf(route.host, route.path), route);
  };
  for (const route of options.routes ?? []) setRoute(route);

  const find = (host: string, path: string): FixtureRoute | undefined => {
    const exact = routes.get(keyOf(host, path));
    if (exact) return exact;
    let best: FixtureRoute | undefined;
    for (const route of routes.values()) {
      if (route.host.toLowerCase() !== host || !route.path.endsWith('*')) continue;
      const prefix = route.path.slice(0, -1);
      if (path.startsWith(prefix) && (!best || prefix.length > best.path.length - 1)) best = route;
    }
    return best;
  };

  const log: string[] = [];
  const server: Server = createServer(tls, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const path = new URL(req.url ?? '/', 'https://fixture.invalid').pathname;
    const route = find(host, path);
    log.push(`${req.method} https://${host}${req.url} -> ${route ? 200 : 404}`);
    if (log.length > 200) log.shift();
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`no fixture for ${host}${path}`);
      return;
    }
    try {
      const body = route.file ? readFileSync(route.file) : route.body!;
      const type =
        route.contentType ?? (route.file ? contentTypes[extname(route.file).toLowerCase()] : contentTypes['.html']) ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    }
  });
  await withTimeout(
    new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolvePromise());
    }),
    10_000,
    'fixture server listen',
  );
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hosts,
    setRoute,
    removeRoute: (host, path) => void routes.delete(keyOf(host, path)),
    requests: () => [...log],
    close: () =>
      withTimeout(
        new Promise<void>((resolvePromise) => {
          server.close(() => resolvePromise());
          server.closeAllConnections();
        }),
        5_000,
        'fixture server close',
      ).catch(() => undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// Test API
// ---------------------------------------------------------------------------------------------

export interface TestApi {
  url: string;
  token: string;
  db: Db;
  close(): Promise<void>;
}

/** The real API on 127.0.0.1:<ephemeral> over a fresh SQLite file; `demo` seeds the demo workspace. */
export async function startTestApi(options: { seed: 'demo' | 'empty'; onRequest?(url: string): void }): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-e2e-api-'));
  try {
    const env = parseEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SEED_DEMO: '0', LOG_LEVEL: 'silent' });
    const server = await withTimeout(startServer(env, { sqliteFile: join(dir, 'rafiq.sqlite'), quiet: true, onRequest: options.onRequest }), 30_000, 'API start');
    let token: string;
    try {
      const now = Date.now();
      if (options.seed === 'demo') {
        token = await withTimeout(seedDemoIfEmpty(server.db.db, { tokenFile: join(dir, 'demo-token.txt'), now }), 60_000, 'demo seed');
        // What `npm start` does after seeding (api/server.ts): index the customers the seed wrote
        // around the customers module. startServer indexed before this seed ran, so without it a
        // search for a demo customer ("Mehmet") found no one.
        await withTimeout(indexMissingCustomers(server.db.db), 30_000, 'search index');
      } else {
        const agent = await createAgent(server.db.db, { name: DEMO_AGENT.name, email: DEMO_AGENT.email, role: 'admin' }, now);
        token = (await createToken(server.db.db, agent.id, now, { label: 'e2e' })).token;
      }
    } catch (error) {
      await server.close().catch(() => undefined);
      throw error;
    }
    return {
      url: server.url,
      token,
      db: server.db,
      close: async () => {
        await withTimeout(server.close(), 10_000, 'API close').catch((error) => console.error(String(error)));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium with the extension
// ---------------------------------------------------------------------------------------------

export interface ExtensionSettings {
  serverUrl?: string;
  token?: string;
  agentEmails?: string[];
  agentXHandles?: string[];
  [key: string]: unknown;
}

export interface BrowserWithExtension {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  /** Writes `chrome.storage.local` (what the options page stores). */
  configure(settings: ExtensionSettings): Promise<void>;
  /** Reads `chrome.storage.local` back (all keys when none are given). */
  readSettings(keys?: string[]): Promise<Record<string, unknown>>;
  /** Registers the review-sites content script on these hosts, as the popup does once a site is enabled (see grantHosts). */
  registerReviewScript(hosts: readonly string[]): Promise<void>;
  newPage(): Promise<Page>;
  /** Service-worker console, page console errors, uncaught page errors and fixture requests, newest last. */
  diagnostics(): string;
  close(): Promise<void>;
}

/** Fails with the fix when the extension was not built. */
export function assertExtensionBuilt(extensionDir: string = DEFAULT_EXTENSION_DIR): void {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(
      `No built extension at ${extensionDir} (manifest.json is missing): run \`npx wxt build\` first ` +
        '(`npm test`, `npm run demo` and `npm run bench:sidebar` build before they start).',
    );
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set RAFIQ_CHROMIUM)`);
  }
}

/** The Chromium processes started with this profile directory (ours only: the directory is unique). */
function processesUsingProfile(profileDir: string): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(profileDir)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}

export async function launchBrowserWithExtension(options: {
  fixtureServer: FixtureServer;
  extensionDir?: string;
  /** Defaults to headless; `npm run demo` opens a window when a display is available. */
  headless?: boolean;
  viewport?: { width: number; height: number } | null;
  launchTimeoutMs?: number;
  /** Reuse this profile and keep it on close (a browser restart); a fresh temp profile otherwise. */
  profileDir?: string;
}): Promise<BrowserWithExtension> {
  const extensionDir = resolve(REPO_ROOT, options.extensionDir ?? DEFAULT_EXTENSION_DIR);
  assertExtensionBuilt(extensionDir);
  const headless = options.headless ?? true;
  const keepProfile = options.profileDir !== undefined;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'rafiq-e2e-profile-'));
  const port = options.fixtureServer.port;
  const hostRules = [
    ...options.fixtureServer.hosts.map((host) => `MAP ${host}:443 127.0.0.1:${port}`),
    // Everything else (CDNs named by saved pages) fails at once; loopback stays reachable for the API.
    'MAP * ~NOTFOUND',
    'EXCLUDE 127.0.0.1',
    'EXCLUDE localhost',
  ].join(', ');

  const log: string[] = [];
  const note = (line: string) => {
    log.push(line.length > 2_000 ? `${line.slice(0, 2_000)}…` : line);
    if (log.length > 300) log.shift();
  };
  const formatConsole = (where: string, message: ConsoleMessage) => `[${where} ${message.type()}] ${message.text()}`;

  let context: BrowserContext | undefined;
  const cleanUp = async () => {
    if (context) {
      const closing = context;
      context = undefined;
      await withTimeout(closing.close(), 15_000, 'Chromium close').catch((error) => note(String(error)));
    }
    // Whatever survived (a hung close, a crashed launch) is killed by pid.
    for (const pid of processesUsingProfile(profileDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (let attempt = 0; attempt < 5 && !keepProfile; attempt++) {
      try {
        rmSync(profileDir, { recursive: true, force: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless,
      ignoreHTTPSErrors: true,
      timeout: options.launchTimeoutMs ?? 60_000,
      viewport: options.viewport === undefined ? { width: 1440, height: 900 } : options.viewport,
      args: [
        ...(headless ? ['--headless=new'] : []),
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--ignore-certificate-errors',
        `--host-resolver-rules=${hostRules}`,
      ],
    });
    context.on('weberror', (error) => note(`[page error] ${error.error().message}`));
    // Functions handed to page.evaluate from scripts run with tsx (esbuild keepNames) call
    // `__name(fn, "name")`; pages don't have it. Harmless under vitest, needed for demo and bench.
    await context.addInitScript('globalThis.__name ??= (fn) => fn;');

    const isExtensionWorker = (worker: Worker) => worker.url().startsWith('chrome-extension://');
    let serviceWorker = context.serviceWorkers().find(isExtensionWorker);
    if (!serviceWorker) {
      serviceWorker = await context
        .waitForEvent('serviceworker', { predicate: isExtensionWorker, timeout: 20_000 })
        .catch(() => undefined);
    }
    if (!serviceWorker) {
      throw new Error(
        `The extension's service worker did not start within 20 s (loaded from ${extensionDir}). ` +
          'Check the manifest has a background service worker and that the build is not broken.',
      );
    }
    const worker = serviceWorker;
    // On first install with no token, the extension opens its options page by itself (first-run
    // UX). Chrome may reuse a fresh blank tab for it, which would hijack a test's navigation, so
    // wait for it once here (bounded) before handing out pages.
    if (!keepProfile || !context.pages().some((p) => p.url().includes('/options.html'))) {
      const optionsOpen = () => context!.pages().some((p) => p.url().startsWith(`chrome-extension://`) && p.url().includes('/options.html'));
      for (let waited = 0; waited < 3_000 && !optionsOpen(); waited += 100) await new Promise((r) => setTimeout(r, 100));
    }
    worker.on('console', (message) => note(formatConsole('service worker', message)));
    worker.on('close', () => note('[service worker] closed'));
    const extensionId = new URL(worker.url()).host;
    const activeContext = context;
    // Chrome may stop an idle MV3 worker and start a new one: talk to whichever is running now.
    const currentWorker = () =>
      activeContext.serviceWorkers().findLast((w) => w.url().startsWith(`chrome-extension://${extensionId}/`)) ?? worker;

    return {
      context: activeContext,
      serviceWorker: worker,
      extensionId,
      async configure(settings) {
        await withTimeout(
          currentWorker().evaluate((values) => chrome.storage.local.set(values), settings as Record<string, unknown>),
          10_000,
          'configure (chrome.storage.local.set)',
        );
      },
      readSettings(keys) {
        return withTimeout(
          currentWorker().evaluate((wanted) => chrome.storage.local.get(wanted ?? null), keys ?? null),
          10_000,
          'read settings (chrome.storage.local.get)',
        );
      },
      async registerReviewScript(hosts) {
        const scripts = hosts.map((host) => ({
          id: `rafiq-site-test-${host.replace(/[^a-z0-9]/gi, '_')}`,
          matches: [`https://${host}/*`],
          js: [GENERIC_SCRIPT],
          runAt: 'document_idle',
          persistAcrossSessions: false,
        }));
        await withTimeout(
          currentWorker().evaluate((list) => chrome.scripting.registerContentScripts(list), scripts),
          10_000,
          'register the review-sites content script',
        );
      },
      async newPage() {
        const page = await withTimeout(activeContext.newPage(), 15_000, 'new page');
        page.setDefaultTimeout(15_000);
        page.setDefaultNavigationTimeout(30_000);
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') note(formatConsole(`page ${page.url()}`, message));
        });
        page.on('pageerror', (error) => note(`[page ${page.url()} uncaught] ${error.message}`));
        page.on('crash', () => note(`[page ${page.url()}] crashed`));
        return page;
      },
      diagnostics() {
        const requests = options.fixtureServer.requests().slice(-30);
        return [
          `--- browser log (last ${log.length}) ---`,
          ...log,
          `--- fixture requests (last ${requests.length}) ---`,
          ...requests,
        ].join('\n');
      },
      close: cleanUp,
    };
  } catch (error) {
    const diagnostics = log.length ? `\n--- browser log ---\n${log.join('\n')}` : '';
    await cleanUp();
    if (error instanceof Error) error.message += diagnostics;
    throw error;
  }
}

/**
 * A copy of the build whose manifest already holds host permission for `hosts`: what the user grants
 * from the popup ("Enable Rafiq on this site"), which headless Chromium can't be asked for.
 * Launch with `extensionDir: dir`, then `registerReviewScript(hosts)`; `remove()` deletes the copy.
 */
export function grantHosts(hosts: readonly string[], extensionDir: string = DEFAULT_EXTENSION_DIR): { dir: string; remove(): void } {
  assertExtensionBuilt(extensionDir);
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-e2e-ext-'));
  cpSync(extensionDir, dir, { recursive: true });
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...hosts.map((host) => `https://${host}/*`)];
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// Pages and screenshots
// ---------------------------------------------------------------------------------------------

/** Writes `<dir>/<name>.png` (tests/e2e/screenshots by default, git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string, dir: string = SCREENSHOT_DIR): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/**
 * Waits for the Rafiq sidebar's shadow host (`<rafiq-sidebar>`) and returns whether it appeared.
 * The sidebar renders inside an open shadow root, so tests read it with Playwright's CSS engine,
 * which pierces open shadow roots: `page.locator('rafiq-sidebar [data-testid=...]')`.
 */
export async function waitForSidebar(page: Page, timeoutMs = 10_000): Promise<boolean> {
  return page
    .waitForFunction(() => Boolean(document.querySelector('rafiq-sidebar')?.shadowRoot), undefined, { timeout: timeoutMs })
    .then(() => true)
    .catch(() => false);
}

/** Reads a fixture's `<title>` (the text Chromium shows as the page title). */
export function fixtureTitle(file: string): string | null {
  const html = readFileSync(isAbsolute(file) ? file : join(REPO_ROOT, file), 'utf8');
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!match) return null;
  return decodeEntities(match[1]!.replace(/\s+/g, ' ').trim());
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return named[entity.toLowerCase()] ?? whole;
  });
}
