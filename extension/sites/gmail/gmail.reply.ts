import { insertIntoEditor } from '../../content/editor-insert';
import { composeSelectors, editorSelectors, hiddenAncestor, replyEndBefore } from './gmail.selectors';

export { insertIntoEditor };

/**
 * Inserts a reply at the caret, or, when the caret is not in the editor, after what the agent
 * already wrote but before Gmail's signature and the quoted message.
 */
export function insertGmailReply(editor: HTMLElement, text: string): boolean {
  return insertIntoEditor(editor, text, { endBefore: replyEndBefore });
}

/**
 * The Gmail body editor a suggested reply should go into: the one holding focus, else the last
 * open one in page order (an inline reply at the bottom of the open thread, or a compose dialog,
 * which Gmail appends after the main area). Null when no reply or compose is open: the caller then
 * tells the agent to click Reply first rather than opening one itself.
 */
export function findGmailReplyBox(doc: Document): HTMLElement | null {
  const editors: HTMLElement[] = [];
  for (const selector of editorSelectors) {
    for (const el of Array.from(doc.querySelectorAll<HTMLElement>(selector))) {
      if (!editors.includes(el) && el.closest(hiddenAncestor) === null) editors.push(el);
    }
  }
  if (!editors.length) return null;
  const active = doc.activeElement;
  const focused = active ? editors.find((el) => el === active || el.contains(active)) : undefined;
  if (focused) return focused;
  // Page order across selectors: sort by position, then take the last.
  editors.sort((a, b) => (a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1));
  return editors[editors.length - 1] ?? null;
}

/**
 * Whether what is written in `editor` answers the open thread: an inline reply does; a compose
 * window may be a new message to someone else, so only one whose subject carries the thread's
 * ("Re: …", a popped-out reply) does. What the agent sends elsewhere is not learned as an answer.
 */
export function answersThread(editor: HTMLElement, threadSubject: string | null | undefined): boolean {
  if (editor.closest(composeSelectors.inlineReply)) return true;
  const compose = editor.closest(composeSelectors.root.join(', '));
  const subject = compose?.querySelector<HTMLInputElement>(composeSelectors.subject.join(', '))?.value.trim() ?? '';
  return Boolean(threadSubject?.trim()) && subject.includes(threadSubject!.trim());
}
