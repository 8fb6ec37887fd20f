import { createSignal } from 'solid-js';
import { ask } from '../messaging/client';

/**
 * The collision guard's shared state (issue 21). The team section knows the conversation and
 * what teammates did since this tab opened it; the reply and log buttons (QuickActions) ask it
 * before acting and tell it after. One sidebar per page, so one module-level store.
 */
interface Conversation {
  key: string;
  ticketId: number | null;
}

const [conversation, setConversation] = createSignal<Conversation | null>(null);
const [warning, setWarning] = createSignal<{ text: string; version: string } | null>(null);
const [lastReplyAt, setLastReplyAt] = createSignal(0);
let acknowledged = '';

export { conversation, lastReplyAt };

export function setCollisionConversation(value: Conversation | null): void {
  setConversation(value);
  if (!value) setWarning(null);
}

/** What teammates did here since this tab opened it (null: nothing). `version` changes with it. */
export function setCollisionWarning(value: { text: string; version: string } | null): void {
  setWarning(value);
}

export function collisionWarning() {
  return warning();
}

/**
 * Before a reply is inserted or a log is written: the warning the agent has not seen at a click
 * yet, or null. A second click after the warning goes ahead (the agent looked and decided).
 */
export function takeCollisionWarning(): string | null {
  const w = warning();
  if (!w || w.version === acknowledged) return null;
  acknowledged = w.version;
  return w.text;
}

/** After a reply was inserted or a log written: teammates' guards see it (and a first reply may claim the ticket). */
export async function noteConversationWrite(kind: 'replied' | 'logged'): Promise<void> {
  const c = conversation();
  if (!c) return;
  if (kind === 'replied') setLastReplyAt(Date.now());
  try {
    await ask({ type: 'presenceRecord', conversationKey: c.key, kind, ticketId: c.ticketId });
  } catch {
    // Offline: teammates' presence already reads "unknown" for us; nothing to repair later.
  }
}
