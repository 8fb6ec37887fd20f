/**
 * The only way text enters a host page's box: `insertIntoEditor` for rich-text editors,
 * `insertIntoTextField` for plain <textarea>/<input> boxes (review sites' business reply forms).
 *
 * Puts plain text into a site's rich-text editor (Gmail's reply/compose body, X's reply box) so
 * that the site's own editor code sees it as typing.
 *
 * Why `execCommand('insertText')` first: it is the one path that runs the browser's editing
 * machinery, so the editor gets real `beforeinput`/`input` events, undo history and (in Chromium)
 * line breaks for "\n". Gmail keeps what was inserted this way; React/Draft.js editors such as X's
 * ignore text that appears in the DOM without those events. It is deprecated but still shipped
 * and has no replacement for contenteditable (https://w3c.github.io/editing/docs/execCommand/).
 *
 * The fallback (execCommand missing, returning false, or changing nothing) builds text nodes and
 * <br> elements (never HTML from the string: the reply text may quote the page) and announces
 * them with an `input` event of inputType "insertText".
 *
 * Runs in the live page (content script), never in an adapter: it uses the editor's document and
 * window, not globals.
 */
export interface InsertOptions {
  /**
   * When the caret is not in the editor, insert before the first element matching this selector
   * instead of at the very end (Gmail: before the signature and the quoted message).
   */
  endBefore?: string;
}

/**
 * The last text Rafiq put in each box. Every insertion (Quick actions, a suggestion, a snippet) is
 * recorded in the reply history when it is made; sent-replies.ts reads this when the agent sends,
 * so a reply sent as inserted is not recorded a second time.
 */
export const lastInserted = new WeakMap<Element, string>();

export function insertIntoEditor(editor: HTMLElement, text: string, options: InsertOptions = {}): boolean {
  const doc = editor.ownerDocument;
  if (!editor.isConnected) return false;
  const value = text.replace(/\r\n?/g, '\n');
  if (value === '') return true;

  // Decide where the text goes before focusing: focus() moves the caret to the editor's start
  // in Chromium when the selection was elsewhere.
  const range = targetRange(editor, options);
  editor.focus({ preventScroll: true });
  select(doc, range);

  lastInserted.set(editor, value);
  const before = editor.textContent ?? '';
  if (tryExecCommand(doc, value) && (editor.textContent ?? '') !== before) return true;

  // execCommand may have moved or collapsed the selection while failing: take it again.
  const fallbackRange = targetRange(editor, options);
  insertTextNodes(doc, fallbackRange, value);
  fireInput(editor, value);
  return true;
}

function getSelection(doc: Document): Selection | null {
  return doc.getSelection?.() ?? doc.defaultView?.getSelection() ?? null;
}

function select(doc: Document, range: Range): void {
  const selection = getSelection(doc);
  if (!selection) return;
  selection.removeAllRanges();
  selection.addRange(range);
}

/** The selection's range when it lies inside `editor`, else a caret at the end of `editor`. */
function targetRange(editor: HTMLElement, options: InsertOptions): Range {
  const doc = editor.ownerDocument;
  const selection = getSelection(doc);
  const current = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  if (current && editor.contains(current.startContainer) && editor.contains(current.endContainer)) {
    return current;
  }
  const range = doc.createRange();
  const stop = options.endBefore ? editor.querySelector(options.endBefore) : null;
  const last = editor.lastChild;
  if (stop) {
    range.setStartBefore(stop);
    range.collapse(true);
  } else if (last && last.nodeType === 1 && (last as Element).tagName.toUpperCase() === 'BR') {
    // An empty contenteditable holds a filler <br>; text after it would start on a second line.
    range.setStartBefore(last);
    range.collapse(true);
  } else {
    range.selectNodeContents(editor);
    range.collapse(false);
  }
  return range;
}

function tryExecCommand(doc: Document, value: string): boolean {
  if (typeof doc.execCommand !== 'function') return false;
  try {
    return doc.execCommand('insertText', false, value);
  } catch {
    return false;
  }
}

/** Replaces the range's contents with text nodes, one <br> per newline, and puts the caret after. */
function insertTextNodes(doc: Document, range: Range, value: string): void {
  range.deleteContents();
  const fragment = doc.createDocumentFragment();
  const lines = value.split('\n');
  lines.forEach((line, index) => {
    if (index > 0) fragment.appendChild(doc.createElement('br'));
    if (line) fragment.appendChild(doc.createTextNode(line));
  });
  // A trailing <br> alone does not show a new line in contenteditable: add the usual filler.
  if (value.endsWith('\n')) fragment.appendChild(doc.createElement('br'));
  const last = fragment.lastChild;
  range.insertNode(fragment);
  if (last) {
    range.setStartAfter(last);
    range.collapse(true);
    select(doc, range);
  }
}

function fireInput(editor: HTMLElement, value: string): void {
  const view = editor.ownerDocument.defaultView;
  const init = { bubbles: true, cancelable: false, inputType: 'insertText', data: value };
  const InputEventCtor = view?.InputEvent ?? (typeof InputEvent === 'function' ? InputEvent : undefined);
  const EventCtor = view?.Event ?? Event;
  editor.dispatchEvent(InputEventCtor ? new InputEventCtor('input', init) : new EventCtor('input', { bubbles: true }));
}

/**
 * Puts plain text into a <textarea> or text <input> — at `range` (the characters it replaces) or
 * at the caret, replacing the selection — and announces it with the `input` event frameworks
 * listen to, so the page's own form state sees it. The browser's own `insertText` command goes
 * first: it is the one path that keeps Ctrl+Z working; where it is refused, `setRangeText`.
 * Returns where the inserted text ends. The one way text enters a page's text field: the review
 * sites' reply box (sidebar) and snippets in any textarea go through here.
 */
export function insertIntoTextField(box: HTMLTextAreaElement | HTMLInputElement, text: string, range?: { start: number; end: number }): number {
  const value = text.replace(/\r\n?/g, '\n');
  const doc = box.ownerDocument;
  const start = range?.start ?? box.selectionStart ?? box.value.length;
  const end = range?.end ?? box.selectionEnd ?? box.value.length;
  lastInserted.set(box, value);
  box.focus({ preventScroll: true });
  box.setSelectionRange(start, end);
  let done = false;
  try {
    done = typeof doc.execCommand === 'function' && doc.execCommand('insertText', false, value) && box.value.slice(start, start + value.length) === value;
  } catch {
    done = false;
  }
  if (!done) {
    box.setRangeText(value, start, end, 'end');
    fireInput(box, value);
  }
  return start + value.length;
}
