import { browser } from 'wxt/browser';
import type { ResponseMap } from '../messaging/protocol';
import { formatNumber, t } from '../i18n';

/** How often the toolbar badge asks for queue counts (and after every assignment). */
export const QUEUE_BADGE_MINUTES = 0.5;

/**
 * The toolbar badge (issue 21): "Mine" count on blue; when tickets are breaching soon, the badge
 * shows "mine/breaching" on red so the agent sees it from any tab. Its tooltip names all three.
 * Not configured or offline: no badge (an empty badge never claims "0"). When the API stopped
 * scanning before the end (`breachingAtLeast`: more open tickets than it scans per ask), the
 * breaching count is a floor and says so: "5+".
 */
export function badgeFor(counts: ResponseMap['queueCounts'] | null): { text: string; color: string; title: string } {
  if (!counts) return { text: '', color: '#57606a', title: 'Rafiq' };
  const cap = (n: number) => (n > 99 ? '99+' : String(n));
  const floor = (n: number) => (counts.breachingAtLeast && n <= 99 ? `${n}+` : cap(n));
  const breaching = counts.breachingAtLeast ? `${formatNumber(counts.breaching)}+` : counts.breaching;
  const title = t('queue.badgeTitle', { mine: counts.mine, breaching, unassigned: counts.unassigned });
  if (counts.breaching > 0) {
    const text = `${cap(counts.mine)}/${floor(counts.breaching)}`;
    return { text: text.length <= 5 ? text : `!${floor(counts.breaching)}`, color: '#cf222e', title };
  }
  return { text: counts.mine ? cap(counts.mine) : '', color: '#0969da', title };
}

export async function showQueueBadge(counts: ResponseMap['queueCounts'] | null): Promise<void> {
  const badge = badgeFor(counts);
  const action = browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
  if (!action) return;
  await Promise.all([action.setBadgeText({ text: badge.text }), action.setBadgeBackgroundColor({ color: badge.color }), action.setTitle({ title: badge.title })]);
}
