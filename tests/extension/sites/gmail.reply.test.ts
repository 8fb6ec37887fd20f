import { afterEach, describe, expect, test, vi } from 'vitest';
import { findGmailReplyBox, insertGmailReply, insertIntoEditor } from '../../../extension/sites/gmail/gmail.reply';
import { insertIntoEditor as sharedInsert } from '../../../extension/content/editor-insert';
import { loadFixture } from './load-fixture';

/** Puts a fixture's body into the live happy-dom document (focus and selection need a live one). */
function mount(file: string): Document {
  const parsed = loadFixture('gmail', file);
  document.title = parsed.title;
  document.body.replaceChildren(...Array.from(parsed.body.childNodes, (node) => document.importNode(node, true)));
  return document;
}

function editorWith(text: string): HTMLElement {
  document.body.replaceChildren();
  const editor = document.createElement('div');
  editor.setAttribute('role', 'textbox');
  editor.setAttribute('contenteditable', 'true');
  editor.setAttribute('g_editable', 'true');
  editor.setAttribute('aria-label', 'Message Body');
  editor.tabIndex = 1;
  if (text) editor.append(document.createTextNode(text));
  document.body.append(editor);
  return editor;
}

function inputEvents(editor: HTMLElement): InputEvent[] {
  const events: InputEvent[] = [];
  editor.addEventListener('input', (event) => events.push(event as InputEvent));
  return events;
}

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  delete (document as { execCommand?: unknown }).execCommand;
});

describe('findGmailReplyBox', () => {
  test.each([
    // Open inline reply at the bottom of the thread, inside div[role=main].
    { file: 'gmail-thread-customer.html', found: true, inMain: true, id: null },
    { file: 'gmail-thread-participants.html', found: true, inMain: true, id: null },
    // The 2020 compose dialog's body (the hidden textarea with the same label is not it).
    { file: 'gmail-compose-new-message-2020.html', found: true, inMain: false, id: ':8o' },
    // No reply open.
    { file: 'gmail-thread-agent-only.html', found: false, inMain: false, id: null },
    { file: 'gmail-inbox-thread-list-2014-inboxsdk.html', found: false, inMain: false, id: null },
  ])('$file', ({ file, found, inMain, id }) => {
    const box = findGmailReplyBox(loadFixture('gmail', file));
    if (!found) {
      expect(box).toBeNull();
      return;
    }
    expect(box?.tagName).toBe('DIV');
    expect(box?.getAttribute('contenteditable')).toBe('true');
    expect(box?.getAttribute('aria-label')).toBe('Message Body');
    expect(box?.closest('[role="main"]') !== null).toBe(inMain);
    if (id) expect(box?.id).toBe(id);
  });

  test('prefers the focused editor, else the last one in page order', () => {
    const doc = mount('gmail-thread-customer.html');
    const inline = findGmailReplyBox(doc)!;
    // A compose dialog opened after the thread: appended at the end of the page, like Gmail does.
    const compose = loadFixture('gmail', 'gmail-compose-new-message-2020.html').querySelector('[role="dialog"]')!;
    doc.body.append(doc.importNode(compose, true));
    const dialogEditor = findGmailReplyBox(doc)!;
    expect(dialogEditor).not.toBe(inline);
    expect(dialogEditor.closest('[role="dialog"]')).not.toBeNull();
    inline.focus();
    expect(doc.activeElement).toBe(inline);
    expect(findGmailReplyBox(doc)).toBe(inline);
  });

  test('an editor in a hidden view is skipped', () => {
    const doc = loadFixture('gmail', 'gmail-thread-customer.html');
    doc.querySelector('.ip')!.setAttribute('style', 'display: none');
    expect(findGmailReplyBox(doc)).toBeNull();
  });
});

describe('insertIntoEditor', () => {
  test('is the shared helper (X reuses it)', () => {
    expect(insertIntoEditor).toBe(sharedInsert);
  });

  test('fallback (no execCommand in happy-dom): text at the end, input event, no HTML', () => {
    const editor = editorWith('');
    const events = inputEvents(editor);
    expect(typeof (document as { execCommand?: unknown }).execCommand).not.toBe('function');

    expect(insertIntoEditor(editor, 'Hello <b>Layla</b> & <img src=x onerror="window.__pwned=1">')).toBe(true);

    expect(editor.textContent).toBe('Hello <b>Layla</b> & <img src=x onerror="window.__pwned=1">');
    expect(editor.querySelector('b, img')).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0]?.inputType).toBe('insertText');
    expect(events[0]?.data).toBe('Hello <b>Layla</b> & <img src=x onerror="window.__pwned=1">');
    expect(events[0]?.bubbles).toBe(true);
    expect(document.activeElement).toBe(editor);
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  test('multi-line text becomes text nodes and <br> line breaks', () => {
    const editor = editorWith('');
    expect(insertIntoEditor(editor, 'Hi Layla,\r\n\nA replacement is on its way.\nSara')).toBe(true);
    expect(Array.from(editor.childNodes, (n) => (n.nodeType === 3 ? n.nodeValue : (n as Element).tagName))).toEqual([
      'Hi Layla,',
      'BR',
      'BR',
      'A replacement is on its way.',
      'BR',
      'Sara',
    ]);
  });

  test('inserts at the cursor when the selection is inside the editor, replacing selected text', () => {
    const editor = editorWith('Dear customer, thanks');
    const text = editor.firstChild!;
    const range = document.createRange();
    range.setStart(text, 5);
    range.setEnd(text, 13); // "customer"
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);

    expect(insertIntoEditor(editor, 'Layla')).toBe(true);
    expect(editor.textContent).toBe('Dear Layla, thanks');
    // The caret ends after the inserted text: a second insert continues there.
    expect(insertIntoEditor(editor, ' Haddad')).toBe(true);
    expect(editor.textContent).toBe('Dear Layla Haddad, thanks');
  });

  test('appends at the end when the selection is outside the editor', () => {
    const editor = editorWith('Existing draft.');
    const outside = document.createElement('p');
    outside.textContent = 'page text';
    document.body.append(outside);
    const range = document.createRange();
    range.selectNodeContents(outside);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);

    expect(insertIntoEditor(editor, ' Added.')).toBe(true);
    expect(editor.textContent).toBe('Existing draft. Added.');
    expect(outside.textContent).toBe('page text');
  });

  test('uses execCommand("insertText") when the browser has it, without a synthetic event', () => {
    const editor = editorWith('');
    const events = inputEvents(editor);
    const execCommand = vi.fn((command: string, _ui: boolean, value: string) => {
      // What Chromium does for us: the edit itself (its own input event is not simulated here).
      document.getSelection()!.getRangeAt(0).insertNode(document.createTextNode(value));
      return command === 'insertText';
    });
    Object.assign(document, { execCommand });

    expect(insertIntoEditor(editor, 'Hello')).toBe(true);
    expect(execCommand).toHaveBeenCalledWith('insertText', false, 'Hello');
    expect(editor.textContent).toBe('Hello');
    expect(events).toHaveLength(0);
  });

  test.each([
    ['returns false', () => false],
    ['returns true but changes nothing', () => true],
    [
      'throws',
      () => {
        throw new Error('not supported');
      },
    ],
  ])('falls back when execCommand %s', (_label, impl) => {
    const editor = editorWith('');
    const events = inputEvents(editor);
    Object.assign(document, { execCommand: vi.fn(impl) });
    expect(insertIntoEditor(editor, 'Hello\nthere')).toBe(true);
    expect(editor.textContent).toBe('Hellothere');
    expect(editor.querySelectorAll('br')).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  test('into the real reply box of a mounted thread fixture', () => {
    const doc = mount('gmail-thread-customer.html');
    const box = findGmailReplyBox(doc)!;
    const events = inputEvents(box);
    expect(insertIntoEditor(box, 'Hi Layla,\nA new lamp ships today.')).toBe(true);
    expect(box.textContent).toBe('Hi Layla,A new lamp ships today.');
    expect(events.map((e) => e.inputType)).toEqual(['insertText']);
    // Gmail's empty body is a filler <br>: the text goes before it, not on a second line.
    expect(Array.from(box.childNodes, (n) => n.nodeName)).toEqual(['#text', 'BR', '#text', 'BR']);
  });

  test('insertGmailReply: without a caret in the body, before the signature and the quote', () => {
    const editor = editorWith('');
    const own = document.createElement('div');
    own.textContent = 'Draft start.';
    const prefix = document.createElement('span');
    prefix.className = 'gmail_signature_prefix';
    prefix.textContent = '-- ';
    const signature = document.createElement('div');
    signature.className = 'gmail_signature';
    signature.textContent = 'Sara Ahmed';
    const quote = document.createElement('div');
    quote.className = 'gmail_quote';
    quote.textContent = 'On Mon, Layla wrote: …';
    editor.append(own, prefix, document.createElement('br'), signature, quote);
    document.getSelection()!.removeAllRanges();

    expect(insertGmailReply(editor, 'Your lamp ships today.')).toBe(true);
    expect(editor.textContent).toBe('Draft start.Your lamp ships today.-- Sara AhmedOn Mon, Layla wrote: …');
    expect(prefix.previousSibling?.nodeValue).toBe('Your lamp ships today.');
  });

  test('refuses a detached editor; empty text is a no-op', () => {
    const detached = document.createElement('div');
    detached.setAttribute('contenteditable', 'true');
    expect(insertIntoEditor(detached, 'x')).toBe(false);
    const editor = editorWith('keep');
    expect(insertIntoEditor(editor, '')).toBe(true);
    expect(editor.textContent).toBe('keep');
  });
});
