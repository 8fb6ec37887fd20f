import { renderTemplate, templateSlots, type TemplateValues } from '@shared/template-render';
import { insertIntoEditor, insertIntoTextField } from './editor-insert';
import { openSnippetFillForm } from './snippets-fill';

/**
 * Shortcut snippets in the page's own reply boxes (issue 22): the agent types `;refund` and a
 * space (or Tab) in Gmail's reply/compose body, X's reply box or a review site's business reply
 * box, and the shortcut becomes the template, filled for the customer on the page.
 *
 * - The expansion replaces the typed shortcut through the editor's own editing path
 *   (`execCommand('insertText')` via editor-insert.ts for contenteditable, the same command on a
 *   textarea): the site's editor sees ordinary typing, so Gmail keeps its signature below, X's
 *   Draft.js counter updates, and Ctrl+Z undoes the expansion in one step (back to `;refund `).
 * - A slot with no value (no order yet) opens a small fill-in form prefilled with the variable's
 *   default; Escape leaves the shortcut as typed. Nothing blank is inserted.
 * - `{{cursor}}` in a template is where the caret lands; without it, the end.
 * - Text is inserted in logical order exactly as the template holds it (a mixed Persian–English
 *   line keeps its order: no bidi controls are added, the box's `dir` does the rest).
 *
 * Why a space or Tab and not the shortcut alone: `;refund` is also the start of `;refund-partial`.
 */

export interface Expansion {
  body: string;
  language: string;
  values: TemplateValues;
  template: { id: number; shortcut: string; name: string };
}

export interface SnippetHost {
  /** The reply boxes this site supports (the element the agent types in, or its editing host). */
  isReplyBox(element: HTMLElement): boolean;
  prefix(): string;
  /** Asks the API (through the background) for the template's variant and values. */
  expand(shortcut: string): Promise<Expansion | null>;
  /** May hold the text for the agent to confirm: a teammate replied here (issue 21), or a public page's check (issue 22). */
  confirm?(text: string, editor: HTMLElement): Promise<boolean>;
  /** Told after an expansion went into the page (feeds the reply history). */
  inserted?(expansion: Expansion, text: string): void;
  /** Told when a shortcut could not expand (unknown shortcut, not connected), for a quiet hint. */
  failed?(shortcut: string, error: unknown): void;
}

// Private-use character standing in for {{cursor}} while the text is rendered.
const CARET = '\ue000';
const SHORTCUT = /^[a-z0-9][a-z0-9-]{0,39}$/;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The shortcut just typed before the caret (`;refund` + space/Tab), or null. */
export function shortcutBeforeCaret(textBefore: string, prefix: string, delimiter: 'space' | 'none'): string | null {
  if (!prefix) return null;
  const tail = delimiter === 'space' ? '[ \\u00a0\\t]' : '';
  const match = new RegExp(`(?:^|[\\s\\u00a0])${escapeRegExp(prefix)}([a-z0-9][a-z0-9-]{0,39})${tail}$`).exec(textBefore);
  return match && SHORTCUT.test(match[1]!) ? match[1]! : null;
}

/** Slots with neither a value nor a fallback: what the fill-in form asks for. */
export function missingSlots(body: string, values: TemplateValues): string[] {
  const slots = [...body.matchAll(/\{\{\s*([^{}|]*?)\s*(\|[^{}]*)?\}\}/g)];
  const missing: string[] = [];
  for (const [, name, fallback] of slots) {
    if (!name || name === 'cursor' || fallback !== undefined) continue;
    const value = values[name as keyof TemplateValues];
    if ((value == null || value === '') && !missing.includes(name)) missing.push(name);
  }
  return missing;
}

/** Renders with the caret marker; returns the text without it and where the caret goes. */
export function renderSnippet(body: string, values: TemplateValues): { text: string; caret: number } | { error: string } {
  const result = renderTemplate(body, { ...values, cursor: templateSlots(body).includes('cursor') ? CARET : '' });
  if (!result.ok) return { error: result.message };
  const at = result.text.indexOf(CARET);
  const text = result.text.replaceAll(CARET, '');
  return { text, caret: at < 0 ? text.length : at };
}

interface Typed {
  editor: HTMLElement;
  shortcut: string;
  /** The typed token (prefix + shortcut + delimiter) as it stands in the box. */
  token: string;
  /** Textarea: offsets in value. Contenteditable: the text node and offsets in it. */
  node: Text | null;
  start: number;
  end: number;
}

/** The reply box (textarea or outermost contenteditable) an event happened in. */
export function editingHost(target: EventTarget | null): HTMLElement | null {
  if (!target || !(target as Node).nodeType) return null;
  const el = (target as Node).nodeType === 1 ? (target as HTMLElement) : (target as Node).parentElement;
  if (!el) return null;
  if (el.tagName === 'TEXTAREA') return el;
  let host: HTMLElement | null = el.closest<HTMLElement>('[contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]');
  // The outermost editable ancestor is the editor (nested editables are part of it).
  while (host?.parentElement?.closest('[contenteditable="true"]')) host = host.parentElement.closest<HTMLElement>('[contenteditable="true"]');
  return host;
}

function typedShortcut(editor: HTMLElement, prefix: string, delimiter: 'space' | 'none'): Typed | null {
  if (editor instanceof editor.ownerDocument.defaultView!.HTMLTextAreaElement || editor.tagName === 'TEXTAREA') {
    const box = editor as HTMLTextAreaElement;
    const end = box.selectionStart ?? box.value.length;
    if (box.selectionEnd !== end) return null;
    const before = box.value.slice(0, end);
    const shortcut = shortcutBeforeCaret(before, prefix, delimiter);
    if (!shortcut) return null;
    const length = prefix.length + shortcut.length + (delimiter === 'space' ? 1 : 0);
    return { editor, shortcut, token: before.slice(end - length), node: null, start: end - length, end };
  }
  const selection = editor.ownerDocument.getSelection();
  if (!selection || selection.rangeCount === 0 || !selection.isCollapsed) return null;
  const node = selection.anchorNode;
  if (!node || node.nodeType !== 3 || !editor.contains(node)) return null;
  const offset = selection.anchorOffset;
  const before = (node.textContent ?? '').slice(0, offset);
  const shortcut = shortcutBeforeCaret(before, prefix, delimiter);
  if (!shortcut) return null;
  const length = prefix.length + shortcut.length + (delimiter === 'space' ? 1 : 0);
  return { editor, shortcut, token: before.slice(offset - length), node: node as Text, start: offset - length, end: offset };
}

/** Still there as typed? The agent may have typed on while the template was fetched. */
function stillTyped(typed: Typed): boolean {
  if (!typed.editor.isConnected) return false;
  if (!typed.node) return (typed.editor as HTMLTextAreaElement).value.slice(typed.start, typed.end) === typed.token;
  return typed.node.isConnected && (typed.node.textContent ?? '').slice(typed.start, typed.end) === typed.token;
}

function replaceTyped(typed: Typed, text: string, caretFromEnd: number): boolean {
  const doc = typed.editor.ownerDocument;
  if (!typed.node) {
    const box = typed.editor as HTMLTextAreaElement;
    // The single insertion path for text fields (editor-insert.ts), undoable where the browser allows.
    const endOfText = insertIntoTextField(box, text, { start: typed.start, end: typed.end });
    const caret = endOfText - caretFromEnd;
    box.setSelectionRange(caret, caret);
    return true;
  }
  const range = doc.createRange();
  range.setStart(typed.node, typed.start);
  range.setEnd(typed.node, typed.end);
  const selection = doc.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  // The single insertion path (editor-insert.ts): it replaces the selection we just made.
  if (!insertIntoEditor(typed.editor, text)) return false;
  if (caretFromEnd > 0) moveCaretBack(typed.editor, caretFromEnd);
  return true;
}

/** Moves a collapsed caret `count` characters back (a line break counts as one). */
function moveCaretBack(editor: HTMLElement, count: number): void {
  const selection = editor.ownerDocument.getSelection();
  if (!selection || selection.rangeCount === 0) return;
  if (typeof selection.modify === 'function' && navigator.userAgent.includes('Chrome')) {
    for (let i = 0; i < count; i++) selection.modify('move', 'backward', 'character');
    return;
  }
  // Walk text nodes and <br>s backwards from the caret.
  const doc = editor.ownerDocument;
  const walker = doc.createTreeWalker(editor, 5 /* SHOW_ELEMENT | SHOW_TEXT */);
  const stops: { node: Node; length: number }[] = [];
  const caret = selection.getRangeAt(0);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const before = caret.comparePoint(n, 0) <= 0 || n === caret.startContainer;
    if (!before) break;
    if (n.nodeType === 3) stops.push({ node: n, length: n === caret.startContainer ? caret.startOffset : (n.textContent ?? '').length });
    else if ((n as Element).tagName === 'BR') stops.push({ node: n, length: 1 });
  }
  let left = count;
  for (let i = stops.length - 1; i >= 0; i--) {
    const stop = stops[i]!;
    if (left <= stop.length && stop.node.nodeType === 3) {
      const range = doc.createRange();
      range.setStart(stop.node, stop.length - left);
      range.collapse(true);
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    left -= stop.length;
  }
}

/**
 * Listens on `doc` for shortcuts in the host's reply boxes. Returns the stop function (content
 * scripts hang it on WXT's ctx).
 */
export function startSnippets(doc: Document, host: SnippetHost): () => void {
  let busy = false;
  const tryExpand = async (editor: HTMLElement, delimiter: 'space' | 'none'): Promise<boolean> => {
    if (busy || !host.isReplyBox(editor)) return false;
    const typed = typedShortcut(editor, host.prefix(), delimiter);
    if (!typed) return false;
    busy = true;
    try {
      let expansion: Expansion | null;
      try {
        expansion = await host.expand(typed.shortcut);
      } catch (error) {
        host.failed?.(typed.shortcut, error);
        return false;
      }
      if (!expansion) return false;
      let values = expansion.values;
      const missing = missingSlots(expansion.body, values);
      if (missing.length) {
        const filled = await openSnippetFillForm(doc, editor, { missing, language: expansion.language, templateName: expansion.template.name });
        if (!filled) {
          editor.focus({ preventScroll: true });
          return false;
        }
        values = { ...values, ...filled };
      }
      const rendered = renderSnippet(expansion.body, values);
      if ('error' in rendered) {
        host.failed?.(typed.shortcut, new Error(rendered.error));
        return false;
      }
      if (host.confirm && !(await host.confirm(rendered.text, editor))) {
        editor.focus({ preventScroll: true });
        return false;
      }
      if (!stillTyped(typed)) return false;
      if (!replaceTyped(typed, rendered.text, rendered.text.length - rendered.caret)) return false;
      host.inserted?.(expansion, rendered.text);
      return true;
    } finally {
      busy = false;
    }
  };

  const onInput = (event: Event) => {
    const input = event as InputEvent;
    // Only typing: a paste or our own insertion never triggers an expansion.
    if (input.inputType && input.inputType !== 'insertText') return;
    if (input.data !== undefined && input.data !== null && input.data !== ' ' && input.data !== '\u00a0') return;
    const editor = editingHost(event.target);
    if (editor) void tryExpand(editor, 'space');
  };
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    const editor = editingHost(event.target);
    if (!editor || !host.isReplyBox(editor) || !typedShortcut(editor, host.prefix(), 'none')) return;
    // Tab after a shortcut expands it instead of leaving the box.
    event.preventDefault();
    void tryExpand(editor, 'none');
  };
  doc.addEventListener('input', onInput, true);
  doc.addEventListener('keydown', onKeydown, true);
  return () => {
    doc.removeEventListener('input', onInput, true);
    doc.removeEventListener('keydown', onKeydown, true);
  };
}
