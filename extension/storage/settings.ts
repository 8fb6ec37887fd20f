import { storage } from 'wxt/utils/storage';

/**
 * Every setting, declared once (typed, versioned). The token lives in `local:` storage that
 * only extension contexts can read; content scripts never ask for it (only the background
 * talks to the API).
 */
export const DEFAULT_SERVER_URL: string = import.meta.env.WXT_API_URL ?? 'http://127.0.0.1:8787';

export const serverUrlSetting = storage.defineItem<string>('local:serverUrl', { fallback: DEFAULT_SERVER_URL, version: 1 });
export const tokenSetting = storage.defineItem<string>('local:token', { fallback: '', version: 1 });
/** The agent's own addresses: never treated as the customer in a thread. */
export const agentEmailsSetting = storage.defineItem<string[]>('local:agentEmails', { fallback: [], version: 1 });
/** The team's own X handles: their tweets are not customers. */
export const agentXHandlesSetting = storage.defineItem<string[]>('local:agentXHandles', { fallback: [], version: 1 });
export const languageSetting = storage.defineItem<'auto' | 'en' | 'ar' | 'fa' | 'tr'>('local:language', { fallback: 'auto', version: 1 });
/** Arabic and Persian: their own digits (٠١٢ / ۰۱۲) or Latin ones; one system on every screen. */
export const digitsSetting = storage.defineItem<'native' | 'latin'>('local:digits', { fallback: 'native', version: 1 });
/** Dates in the Gregorian calendar, or Solar Hijri (Persian) / Umm al-Qura Hijri (Arabic) where offered. */
export const calendarSetting = storage.defineItem<'gregory' | 'persian' | 'islamic-umalqura'>('local:calendar', { fallback: 'gregory', version: 1 });
export const themeSetting = storage.defineItem<'auto' | 'light' | 'dark'>('local:theme', { fallback: 'auto', version: 1 });
export const sidebarWidthSetting = storage.defineItem<number>('local:sidebarWidth', { fallback: 360, version: 1 });
export const sidebarOpenSetting = storage.defineItem<boolean>('local:sidebarOpen', { fallback: true, version: 1 });
/** Which sidebar sections are collapsed, by section id. */
export const collapsedSectionsSetting = storage.defineItem<string[]>('local:collapsedSections', { fallback: [], version: 1 });
/** Ratings at or below this get high priority when a complaint is logged (issue: review sites). */
export const highPriorityRatingSetting = storage.defineItem<number>('local:highPriorityRating', { fallback: 2, version: 1 });
/** What starts a snippet shortcut typed in a reply box (`;refund`), issue 22. */
export const snippetPrefixSetting = storage.defineItem<string>('local:snippetPrefix', { fallback: ';', version: 1 });
/** Replies the agent sends in a reply box Rafiq knows feed the suggested-reply history (issue 22). */
export const learnFromSentSetting = storage.defineItem<boolean>('local:learnFromSent', { fallback: true, version: 1 });

/** Parses the one-line connection string `npm start` prints: `http://127.0.0.1:8787#token=rfq_…`. */
export function parseConnectionString(input: string): { serverUrl: string; token: string } | null {
  const trimmed = input.trim();
  const match = /^(https?:\/\/[^#\s]+)#token=(\S+)$/.exec(trimmed);
  if (!match) return null;
  return { serverUrl: match[1]!.replace(/\/+$/, ''), token: match[2]! };
}

/**
 * Milliseconds added to the clock the SLA display and presence windows read (issue 21). Always 0
 * in use; end-to-end tests move it to watch a clock turn amber and red without waiting hours.
 */
export const clockOffsetSetting = storage.defineItem<number>('local:testClockOffsetMs', { fallback: 0, version: 1 });
