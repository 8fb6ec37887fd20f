import type { PresenceActivity } from '@shared/presence';
import { ask } from '../messaging/client';

/**
 * This page's presence "tab" (issue 21), one per page rather than one per card (issue 20).
 *
 * The server keeps one row per (agent, tab) and a heartbeat naming another conversation moves the
 * row there (and restarts its opening time). With one tab id per page, a thread switch is one
 * heartbeat: the card of the previous thread no longer sends a leave of its own tab, and the next
 * card no longer creates a new one. A leave is still sent when nothing follows: when the page
 * goes (pagehide), and shortly after a card goes without another conversation taking its place.
 *
 * Presence calls of this page go one at a time, in the order they were made: a leave or an older
 * heartbeat still in flight can't land after the heartbeat that moved the tab on (the batch link
 * may send calls side by side, and the server runs a batch's calls concurrently).
 */
export const presenceTabId: string = crypto.randomUUID();

/** How long a card that went waits for the next one before saying the page left the conversation. */
export const LEAVE_AFTER_MS = 1_500;

let chain: Promise<unknown> = Promise.resolve();
let leaveTimer: ReturnType<typeof setTimeout> | undefined;

function inOrder<T>(send: () => Promise<T>): Promise<T> {
  const result = chain.then(send, send);
  chain = result.catch(() => undefined);
  return result;
}

export function presenceHeartbeat(conversationKey: string, activity: PresenceActivity, read: boolean) {
  cancelLeave();
  return inOrder(() => ask({ type: 'presenceHeartbeat', tabId: presenceTabId, conversationKey, activity, read }));
}

/** Leave unless another conversation's heartbeat comes within LEAVE_AFTER_MS. */
export function presenceLeaveSoon(): void {
  cancelLeave();
  leaveTimer = setTimeout(() => void presenceLeaveNow(), LEAVE_AFTER_MS);
}

/**
 * Leave now, after the calls already made. `pageGoing`: the page is being left (pagehide), so it
 * goes at once instead of waiting for a call in flight, which the page may not outlive; if that
 * call lands after it, the row expires on its own (PRESENCE_TTL_MS), as without a leave.
 */
export function presenceLeaveNow(options: { pageGoing?: boolean } = {}): Promise<void> {
  cancelLeave();
  const send = () => ask({ type: 'presenceLeave', tabId: presenceTabId });
  return (options.pageGoing ? send() : inOrder(send)).then(
    () => undefined,
    () => undefined,
  );
}

function cancelLeave() {
  if (leaveTimer !== undefined) clearTimeout(leaveTimer);
  leaveTimer = undefined;
}
