/**
 * The bare baseline `npm run bench:sidebar` compares Rafiq to (issue 12, "Speed"): the least an
 * extension can do to show who sent a Gmail message. Written out at run time into a temp dir.
 *
 * - content script (https://mail.google.com/*): watches the page (one MutationObserver, no
 *   debounce), reads the sender (`span.gD[email]`) of the last message not sent by the agent
 *   (`agentEmails`, as Rafiq), sends one message to its background, and paints one line (the
 *   customer's name) into an open shadow root on `<rafiq-baseline>`;
 * - background: on that message, `GET <serverUrl>/trpc/customers.lookup?input=…` with the bearer
 *   token (same storage keys as Rafiq: `serverUrl`, `token`), no cache, no batching, no retries.
 *
 * No debounce, no framework, no validation: whatever Rafiq spends beyond this is its overhead.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASELINE_HOST_TAG = 'rafiq-baseline';
export const BASELINE_NAME_SELECTOR = '[data-testid="baseline-customer-name"]';

const manifest = {
  manifest_version: 3,
  name: 'Rafiq bench baseline',
  version: '0.0.1',
  description: 'Minimal sender lookup, the yardstick for the Rafiq sidebar benchmark.',
  permissions: ['storage'],
  host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
  background: { service_worker: 'background.js' },
  content_scripts: [{ matches: ['https://mail.google.com/*'], js: ['content.js'], run_at: 'document_idle' }],
};

const background = `
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !message || message.type !== 'lookup') return false;
  (async () => {
    const { serverUrl, token } = await chrome.storage.local.get(['serverUrl', 'token']);
    const input = encodeURIComponent(JSON.stringify({ identities: [{ kind: 'email', value: message.email }] }));
    const response = await fetch(serverUrl + '/trpc/customers.lookup?input=' + input, {
      headers: { authorization: 'Bearer ' + token },
    });
    const body = await response.json();
    const customer = body && body.result && body.result.data ? body.result.data.customer : null;
    return { email: message.email, name: customer ? customer.displayName : null };
  })().then(sendResponse, (error) => sendResponse({ email: message.email, name: null, error: String(error) }));
  return true;
});
`;

const content = `
(() => {
  const host = document.createElement('${BASELINE_HOST_TAG}');
  host.style.cssText = 'position:fixed;inset-block-start:0;inset-inline-end:0;z-index:2147483647';
  const root = host.attachShadow({ mode: 'open' });
  const line = document.createElement('div');
  line.setAttribute('data-testid', 'baseline-customer-name');
  line.style.cssText = 'font:14px system-ui;background:#fff;padding:8px;border:1px solid #ccc';
  root.append(line);
  document.documentElement.append(host);

  let current = null;
  let agentEmails = [];
  const check = () => {
    const senders = [...document.querySelectorAll('div[role="main"] span.gD[email]')]
      .map((span) => span.getAttribute('email'))
      .filter((email) => email && !agentEmails.includes(email.toLowerCase()));
    const email = senders.length ? senders[senders.length - 1] : null;
    if (!email || email === current) return;
    current = email;
    chrome.runtime.sendMessage({ type: 'lookup', email }).then((reply) => {
      if (!reply || reply.email !== current) return; // a newer thread is open
      line.textContent = reply.name || reply.email;
      host.setAttribute('data-painted-email', reply.email);
      performance.mark('baseline-painted');
    }, () => {});
  };
  new MutationObserver(check).observe(document.body, { childList: true, subtree: true });
  chrome.storage.local.get('agentEmails').then((stored) => {
    agentEmails = (stored.agentEmails || []).map((email) => String(email).toLowerCase());
    check();
  });
})();
`;

/** Writes the baseline extension to a fresh temp dir and returns that dir (load it with --load-extension). */
export function buildBaselineExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rafiq-bench-baseline-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'background.js'), background.trimStart());
  writeFileSync(join(dir, 'content.js'), content.trimStart());
  return dir;
}
