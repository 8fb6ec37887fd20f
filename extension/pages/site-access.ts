import { browser } from 'wxt/browser';

/**
 * The generic schema.org review adapter runs only on sites the user granted: an optional host
 * permission requested at run time, then the reviews content script registered for that origin.
 */
export const GENERIC_SCRIPT = '/content-scripts/reviews.js' as const;

export function originPattern(url: string): string | null {
  try {
    const { protocol, host } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? `${protocol}//${host}/*` : null;
  } catch {
    return null;
  }
}

export async function isSiteEnabled(url: string): Promise<boolean> {
  const pattern = originPattern(url);
  if (!pattern) return false;
  const scripts = await browser.scripting.getRegisteredContentScripts({ ids: [scriptId(pattern)] });
  return scripts.length > 0;
}

const scriptId = (pattern: string) => `rafiq-site-${pattern.replace(/[^a-z0-9]/gi, '_')}`;

export async function enableSite(url: string, tabId?: number): Promise<boolean> {
  const pattern = originPattern(url);
  if (!pattern) return false;
  const granted = await browser.permissions.request({ origins: [pattern] });
  if (!granted) return false;
  const id = scriptId(pattern);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (!existing.length) {
    await browser.scripting.registerContentScripts([{ id, matches: [pattern], js: [GENERIC_SCRIPT], runAt: 'document_idle', persistAcrossSessions: true }]);
  }
  if (tabId !== undefined) await browser.scripting.executeScript({ target: { tabId }, files: [GENERIC_SCRIPT] }).catch(() => undefined);
  return true;
}
