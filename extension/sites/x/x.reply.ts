import { insertIntoEditor } from '../../content/editor-insert';
import { xSelectors as S } from './x.selectors';

/**
 * Finding X's reply box and putting a reply in it. Runs in the live page (content script): the
 * adapter only reads, this file writes into the editor the agent asked for.
 */

function isEditable(element: HTMLElement): boolean {
  return element.isContentEditable || element.getAttribute('contenteditable') === 'true';
}

/** "Post your reply" (2026 capture) / "Tweet your reply": the Draft.js placeholder of a reply composer. */
function placeholderOf(box: HTMLElement): string {
  const id = box.getAttribute('aria-describedby');
  const placeholder = id ? box.ownerDocument.getElementById(id) : null;
  return placeholder?.textContent ?? '';
}

/**
 * How sure we are that `box` replies to a tweet (higher is better), or 0 when it is a composer
 * for a NEW post (home "What's happening?"): inserting a reply there would publish it as a
 * standalone post, so it is never returned.
 */
function replyRank(box: HTMLElement): number {
  // A reply dialog the agent opened covers the inline composer, which is then not visible.
  if (box.closest(S.dialog)?.querySelector(S.tweet.join(', '))) return 3;
  // The inline reply form under the focal tweet (2026 arscontexta capture).
  if (box.closest(S.inlineReplyOffscreen)) return 2;
  if (/reply/i.test(placeholderOf(box))) return 1;
  return 0;
}

/**
 * The reply composer: a contenteditable `[data-testid^=tweetTextarea_][role=textbox]`, preferring
 * an open reply dialog, then the inline reply composer under the focal tweet. Null when the page
 * only has a new-post composer.
 */
export function findXReplyBox(doc: Document): HTMLElement | null {
  let best: HTMLElement | null = null;
  let bestRank = 0;
  for (const element of doc.querySelectorAll<HTMLElement>(S.composerTextbox)) {
    if (!isEditable(element)) continue;
    const rank = replyRank(element);
    if (rank > bestRank) {
      best = element;
      bestRank = rank;
    }
  }
  return best;
}

export interface XInsertOptions {
  /**
   * 'type' (default): the shared `insertIntoEditor` — focus, then `execCommand('insertText')`.
   * X's Draft.js editor keeps text inserted that way and updates its character counter.
   *
   * 'paste': an X-only path. Draft.js handles `paste` itself (its onPaste reads
   * `clipboardData.getData('text/plain')`, splits lines into blocks and updates its EditorState),
   * so a synthetic ClipboardEvent carrying a DataTransfer reaches X's model even where
   * `execCommand` is unavailable; it is also the safer path for multi-line replies, which
   * `insertText` turns into browser-made line breaks that Draft.js may not map to blocks.
   * Draft.js cancels the paste event it handled; when nobody cancels it (not a Draft.js editor),
   * we fall back to 'type'.
   */
  via?: 'type' | 'paste';
}

function pasteInto(box: HTMLElement, text: string): boolean {
  const view = box.ownerDocument.defaultView;
  const DataTransferCtor = view?.DataTransfer ?? (typeof DataTransfer === 'function' ? DataTransfer : undefined);
  const ClipboardEventCtor = view?.ClipboardEvent ?? (typeof ClipboardEvent === 'function' ? ClipboardEvent : undefined);
  if (!DataTransferCtor || !ClipboardEventCtor) return false;
  const data = new DataTransferCtor();
  data.setData('text/plain', text);
  box.focus({ preventScroll: true });
  const event = new ClipboardEventCtor('paste', { clipboardData: data, bubbles: true, cancelable: true });
  return !box.dispatchEvent(event);
}

/** Puts `text` into X's reply box as if the agent typed (or pasted) it. Never sends. */
export function insertXReply(box: HTMLElement, text: string, options: XInsertOptions = {}): boolean {
  if (!box.isConnected || !isEditable(box)) return false;
  const value = text.replace(/\r\n?/g, '\n');
  if (options.via === 'paste' && pasteInto(box, value)) return true;
  return insertIntoEditor(box, value);
}
