import { createSignal } from 'solid-js';
import { ask, BackgroundError } from '../messaging/client';
import { t } from '../i18n';
import type { InsertResult } from './page-state';

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
 * yet ("Sara replied here 2 min ago."), or null. A second try after the warning goes ahead (the
 * agent looked and decided).
 */
export function takeCollisionWarning(): string | null {
  const w = warning();
  if (!w || w.version === acknowledged) return null;
  acknowledged = w.version;
  return w.text;
}

/** The same warning as a refusal the agent reads where they clicked, saying a second click goes ahead. */
export function guardCollision(): void {
  const text = takeCollisionWarning();
  if (text) throw new BackgroundError('COLLISION', t('collision.confirm', { warning: text }));
}

/**
 * Every way a reply reaches the reply box goes through here (template, suggestion; snippets use
 * the same warning in their own dialog): warn once if a teammate wrote here since this tab opened
 * the conversation, insert, then tell teammates this tab replied.
 */
export async function guardedInsert<R extends InsertResult | 'kept'>(insert: () => Promise<R>): Promise<R> {
  guardCollision();
  const result = await insert();
  if (result === 'inserted' || result === 'copied') void noteConversationWrite('replied');
  return result;
}

/**
 * After a reply was inserted or a log written: teammates' guards see it (and a first reply may
 * claim the ticket). `target` names the conversation when it is not the one on screen (a
 * complaint logged from another review card).
 */
export async function noteConversationWrite(kind: 'replied' | 'logged', target?: Conversation): Promise<void> {
  const c = target ?? conversation();
  if (!c) return;
  if (kind === 'replied') setLastReplyAt(Date.now());
  try {
    await ask({ type: 'presenceRecord', conversationKey: c.key, kind, ticketId: c.ticketId });
  } catch {
    // Offline: teammates' presence already reads "unknown" for us; nothing to repair later.
  }
}
