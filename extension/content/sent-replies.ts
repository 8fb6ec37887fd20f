import { cleanBlockText } from '@shared/text';
import { ask } from '../messaging/client';
import { learnFromSentSetting } from '../storage/settings';
import { conversation, noteConversationWrite } from '../sidebar/collision';
import { blockText } from '../sites/kit/text';
import { lastInserted } from './editor-insert';
import { pageContextKey } from './page-sidebar';
import { editingHost } from './snippets';
import { pageCustomerId, type PageSnippetOptions } from './snippets-page';

/**
 * Replies the agent sends feed the reply history (issue 22): when a reply box Rafiq knows is sent
 * (its site's Send control, Ctrl/Cmd+Enter where the site sends on it, or its form's submit), the
 * text the agent wrote is recorded as `source: 'logged'` for the message on the page.
 *
 * - Only reply boxes the site's `isReplyBox` accepts (never X's new-post composer, never a
 *   search field), and only the agent's own words: `notTyped` leaves out Gmail's signature and
 *   the quoted message. Nothing is recorded without an incoming message to answer.
 * - Sends are seen in the capture phase, before the site's own handlers clear or close the box;
 *   nothing here cancels, delays or throws into the site's send.
 * - Send controls are found by structure (Gmail's send group, X's data-testid, a form's submit),
 *   never by their label: Gmail localizes "Send" and its tooltip.
 */
export interface SendHost {
  isReplyBox(element: HTMLElement): boolean;
  /** What sends the reply box it sits with (matched with `closest`). */
  sendControl: string;
  /** Ctrl/Cmd+Enter in the box sends (Gmail, X; a review form's textarea does not). */
  sendKeys: boolean;
  /** Parts of a rich-text box that are not the agent's words (Gmail's signature, quoted message). */
  notTyped?: string;
  sent(box: HTMLElement, text: string): void;
}

export interface SentReplyOptions extends PageSnippetOptions, Omit<SendHost, 'sent' | 'isReplyBox'> {}

/** The API keeps this much of a reply. */
const MAX_REPLY = 10_000;
const EDITABLE = 'textarea, [contenteditable="true"], [contenteditable="plaintext-only"]';
/** One send is often seen twice (pointerup then click; a submit button's click then its submit). */
const SAME_SEND_MS = 5000;

const fold = (text: string) => cleanBlockText(text).replace(/\s+/g, ' ');

/** The agent's text in a reply box, as plain bounded text. */
export function replyText(box: HTMLElement, notTyped?: string): string {
  if (box.tagName === 'TEXTAREA') return cleanBlockText((box as HTMLTextAreaElement).value).slice(0, MAX_REPLY);
  return blockText(box, notTyped ? { exclude: notTyped } : {}, MAX_REPLY);
}

/** The one reply box in `root`, or null (none, or several: never guess which one was sent). */
function onlyReplyBox(root: Element, host: SendHost): HTMLElement | null {
  const boxes = [...root.querySelectorAll<HTMLElement>(EDITABLE)].filter((box) => host.isReplyBox(box));
  return boxes.length === 1 ? boxes[0]! : null;
}

/**
 * The box a send control sends: the one in the nearest ancestor holding any editable field, or in
 * its own form. A control whose nearest fields are not a reply box (X's home "Post", a search
 * form's button) sends nothing we record.
 */
function boxOfControl(control: Element, host: SendHost): HTMLElement | null {
  if (control.closest('[aria-disabled="true"], [disabled]')) return null;
  for (let el = control.parentElement; el; el = el.parentElement) {
    if (el.tagName === 'FORM' || el.querySelector(EDITABLE)) return onlyReplyBox(el, host);
  }
  return null;
}

/** Watches `doc` for sends of the host's reply boxes. Returns the stop function. */
export function watchSends(doc: Document, host: SendHost): () => void {
  const recent = new WeakMap<HTMLElement, { text: string; at: number }>();
  const fire = (box: HTMLElement | null) => {
    if (!box) return;
    try {
      const text = replyText(box, host.notTyped);
      const last = recent.get(box);
      if (!text || (last && last.text === text && Date.now() - last.at < SAME_SEND_MS)) return;
      recent.set(box, { text, at: Date.now() });
      host.sent(box, text);
    } catch {
      // Learning is best effort: never in the way of the site's own send.
    }
  };
  const controlOf = (target: EventTarget | null) => (typeof (target as Element | null)?.closest === 'function' ? (target as Element).closest(host.sendControl) : null);
  let pressed: Element | null = null;
  const listeners: [string, (event: Event) => void][] = [
    ['pointerdown', (e) => (pressed = controlOf(e.target))],
    // Gmail's buttons act on mouse up and may remove the compose before any click.
    [
      'pointerup',
      (e) => {
        const control = controlOf(e.target);
        if (control && control === pressed) fire(boxOfControl(control, host));
        pressed = null;
      },
    ],
    [
      'click',
      (e) => {
        const control = controlOf(e.target);
        if (control) fire(boxOfControl(control, host));
      },
    ],
    [
      'keydown',
      (e) => {
        const key = e as KeyboardEvent;
        if (key.isComposing) return;
        // Enter or Space on the focused Send control (Gmail's is a div with role=button).
        const control = controlOf(key.target);
        if (control) return void (key.key === 'Enter' || key.key === ' ' ? fire(boxOfControl(control, host)) : undefined);
        if (key.key !== 'Enter' || !host.sendKeys || !(key.ctrlKey || key.metaKey)) return;
        const box = editingHost(key.target);
        if (box && host.isReplyBox(box)) fire(box);
      },
    ],
    ['submit', (e) => fire((e.target as Element | null)?.tagName === 'FORM' ? onlyReplyBox(e.target as Element, host) : null)],
  ];
  for (const [type, listener] of listeners) doc.addEventListener(type, listener, true);
  return () => {
    for (const [type, listener] of listeners) doc.removeEventListener(type, listener, true);
  };
}

/**
 * Sent replies on a live page, for the content scripts of Gmail, X and the review sites (the same
 * reply boxes, page and incoming message as their snippets). Off when the agent turned off "Learn
 * from replies I send" in the options.
 */
export async function startSentReplies(doc: Document, options: SentReplyOptions): Promise<() => void> {
  let learn = (await learnFromSentSetting.getValue()) !== false;
  const unwatch = learnFromSentSetting.watch((value) => (learn = value !== false));
  // The customer is looked up when the agent enters a reply box, so that the record leaves at the
  // moment of sending, before the site changes the page: a record naming a page context that is no
  // longer the tab's is refused by the background (issue 17).
  let known: { key: string; customerId: Promise<number | null> } | null = null;
  const customerFor = (key: string) => (known?.key === key ? known : (known = { key, customerId: pageCustomerId(options.page()) })).customerId;
  const onFocus = (event: Event) => {
    const box = editingHost(event.target);
    if (learn && box && options.isReplyBox(box)) void customerFor(pageContextKey(options.page()));
  };
  const stop = watchSends(doc, {
    ...options,
    sent(box, text) {
      // A reply sent is a reply, learned or not: teammates' collision guard sees it, and a first
      // reply may claim the ticket (as an insertion already does; the send is the surer sign —
      // a reply the agent typed themselves was never seen before).
      void noteConversationWrite('replied');
      // Dedup with insertions: a template, suggestion or snippet was recorded when it was
      // inserted, with its template. Sent as inserted, it taught the history nothing new, and a
      // second record would count one reply twice. Edited (or written around), the text sent is
      // the agent's own answer: it is recorded once, as `logged`, without the template (it is
      // suggested as these words, not as the template again).
      const inserted = lastInserted.get(box);
      lastInserted.delete(box);
      if (!learn || (inserted !== undefined && fold(inserted) === fold(text))) return;
      const incoming = cleanBlockText(options.incoming()).slice(0, 5000);
      if (!incoming) return;
      const key = pageContextKey(options.page());
      const ticketId = conversation()?.ticketId ?? null;
      void customerFor(key)
        .then((customerId) =>
          ask({ type: 'recordReplyUse', context: { key, customerId }, customerId, templateId: null, ticketId, channel: options.channel, incoming, reply: text, source: 'logged' }),
        )
        .catch(() => undefined);
    },
  });
  doc.addEventListener('focusin', onFocus, true);
  return () => {
    stop();
    unwatch();
    doc.removeEventListener('focusin', onFocus, true);
  };
}
