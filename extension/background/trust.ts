import type { Browser } from 'wxt/browser';

/**
 * Only messages from this extension's own content scripts and pages are heard. A content script's
 * sender has our extension id and a tab; an extension page's URL is under our own origin.
 */
export function isTrustedSender(sender: Browser.runtime.MessageSender, extensionId: string, extensionOrigin: string): boolean {
  if (sender.id !== extensionId) return false;
  // Our own pages opened in a tab (the dashboard, options in a tab) have a tab too.
  if ((sender.url ?? '').startsWith(extensionOrigin)) return true;
  if (sender.tab) return /^https?:\/\//.test(sender.url ?? sender.tab.url ?? '');
  return (sender.url ?? '').startsWith(extensionOrigin);
}


/** Our own extension pages (options, popup, dashboard), as opposed to content scripts in web pages. */
export function isExtensionPage(sender: Browser.runtime.MessageSender, extensionOrigin: string): boolean {
  return (sender.url ?? '').startsWith(extensionOrigin);
}

/**
 * Messages only extension pages may send: testing credentials and team-wide reports. A content
 * script (running inside a hostile page) never needs them.
 */
export const pageOnlyMessages: ReadonlySet<string> = new Set(['testConnection', 'metricsSummary', 'surveyFollowUps', 'slaAttainment', 'setSlaPolicy', 'removeSlaPolicy', 'updateTeam']);
