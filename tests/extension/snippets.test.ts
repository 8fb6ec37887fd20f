// Shortcut snippets (issue 22) under happy-dom: `;refund` + space in a textarea or a
// contenteditable reply box becomes the filled template in place; a missing value opens the
// fill-in form; Escape keeps the shortcut; the caret lands at {{cursor}}; text keeps its logical
// order; boxes the site does not support and pastes never expand.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { missingSlots, renderSnippet, shortcutBeforeCaret, startSnippets, type Expansion, type SnippetHost } from '../../extension/content/snippets';
import { openPublicReplyConfirm, variableDefault } from '../../extension/content/snippets-fill';
import { checkPublicReply } from '@shared/public-reply-check';

const refund: Expansion = {
  template: { id: 3, shortcut: 'refund', name: 'Refund sent' },
  language: 'en',
  body: 'Hi {{customer.firstName}}, the refund for {{order.number}} is on its way.{{cursor}} — {{agent.name}}',
  values: { 'customer.firstName': 'Layla', 'order.number': 'R-10042', 'agent.name': 'Sara Ahmed' },
};

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  document.body.innerHTML = '';
});

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}: ${document.body.innerHTML.slice(0, 400)}`);
};

function host(expansion: Expansion | Error, overrides: Partial<SnippetHost> = {}) {
  const inserted = vi.fn();
  const expand = vi.fn(async () => {
    if (expansion instanceof Error) throw expansion;
    return expansion;
  });
  const h: SnippetHost = { isReplyBox: (el) => el.matches('.reply'), prefix: () => ';', expand, inserted, ...overrides };
  stop = startSnippets(document, h);
  return { expand, inserted };
}

/** Types `text` at the caret of a textarea the way the browser reports it. */
function typeInTextarea(box: HTMLTextAreaElement, text: string) {
  for (const ch of text) {
    const at = box.selectionStart ?? box.value.length;
    box.value = box.value.slice(0, at) + ch + box.value.slice(at);
    box.setSelectionRange(at + 1, at + 1);
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: ch }));
  }
}

/** Puts `text` in a contenteditable's text node with the caret after it, then announces the last character. */
function typeInEditable(node: Text, text: string) {
  node.textContent = (node.textContent ?? '') + text;
  const range = document.createRange();
  range.setStart(node, node.textContent.length);
  range.collapse(true);
  const sel = document.getSelection()!;
  sel.removeAllRanges();
  sel.addRange(range);
  node.parentElement!.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text.slice(-1) }));
}

describe('shortcut parsing and rendering', () => {
  test.each([
    ['Hello ;refund ', ';', 'space', 'refund'],
    [';refund ', ';', 'space', 'refund'],
    ['Hello ;refund', ';', 'none', 'refund'],
    ['Hello;refund ', ';', 'space', null],
    ['Hello ;Refund ', ';', 'space', null],
    ['see //late ', '//', 'space', 'late'],
    ['Hello ;refund-partial ', ';', 'space', 'refund-partial'],
    ['Hello ;refund', ';', 'space', null],
  ] as const)('%j with prefix %s (%s) → %s', (text, prefix, delimiter, want) => {
    expect(shortcutBeforeCaret(text, prefix, delimiter)).toBe(want);
  });

  test('missing slots: no value and no fallback; cursor is never missing', () => {
    expect(missingSlots('{{customer.firstName | there}} {{order.number}} {{cursor}} {{order.number}}', {})).toEqual(['order.number']);
  });

  test('the caret goes where {{cursor}} was, else to the end', () => {
    expect(renderSnippet('Hi {{cursor}}there', {})).toEqual({ text: 'Hi there', caret: 3 });
    expect(renderSnippet('Hi there', {})).toEqual({ text: 'Hi there', caret: 8 });
  });

  test('variables have defaults in the reply’s language', () => {
    expect(variableDefault('customer.firstName', 'fa')).toBe('مشتری گرامی');
    expect(variableDefault('customer.firstName', 'tr-TR')).toBe('değerli müşterimiz');
    expect(variableDefault('order.number', 'en')).toBe('');
  });
});

describe('expansion in reply boxes', () => {
  test('textarea (review business reply): replaced in place, caret at {{cursor}}, history told', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea>';
    const box = document.querySelector('textarea')!;
    const { inserted, expand } = host(refund);
    box.focus();
    typeInTextarea(box, 'Thanks! ;refund ');
    const want = 'Thanks! Hi Layla, the refund for R-10042 is on its way. — Sara Ahmed';
    await until(() => box.value === want, 'expansion');
    expect(expand).toHaveBeenCalledWith('refund');
    expect(box.selectionStart).toBe('Thanks! Hi Layla, the refund for R-10042 is on its way.'.length);
    expect(inserted).toHaveBeenCalledWith(refund, want.slice('Thanks! '.length));
  });

  test('contenteditable (Gmail body): the signature below stays, the editor hears an input event', async () => {
    document.body.innerHTML = '<div class="reply" contenteditable="true"><div id="line">Hello </div><div class="gmail_signature">-- Sara</div></div>';
    const editor = document.querySelector<HTMLElement>('.reply')!;
    const inputs: string[] = [];
    editor.addEventListener('input', (e) => inputs.push((e as InputEvent).inputType));
    host(refund);
    editor.focus();
    const line = document.getElementById('line')!.firstChild as Text;
    typeInEditable(line, ';refund ');
    await until(() => editor.textContent!.includes('R-10042'), 'expansion');
    expect(document.getElementById('line')!.textContent).toBe('Hello Hi Layla, the refund for R-10042 is on its way. — Sara Ahmed');
    expect(editor.querySelector('.gmail_signature')!.textContent).toBe('-- Sara');
    expect(editor.textContent).not.toContain(';refund');
    expect(inputs.filter((t) => t === 'insertText').length).toBeGreaterThanOrEqual(2);
  });

  test('a missing order number opens the fill-in form; the typed value is inserted', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea>';
    const box = document.querySelector('textarea')!;
    host({ ...refund, values: { ...refund.values, 'order.number': null } });
    box.focus();
    typeInTextarea(box, ';refund ');
    await until(() => Boolean(document.querySelector('[data-testid="rafiq-snippet-fill"]')), 'fill form');
    const form = document.querySelector('[data-testid="rafiq-snippet-fill"]')!.shadowRoot!;
    const field = form.querySelector<HTMLInputElement>('[data-variable="order.number"]')!;
    expect(form.querySelectorAll('[data-testid="rafiq-snippet-field"]')).toHaveLength(1);
    // Empty is refused, not inserted as a blank.
    form.querySelector<HTMLButtonElement>('[data-testid="rafiq-snippet-insert"]')!.click();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    field.value = 'R-20001';
    form.querySelector<HTMLButtonElement>('[data-testid="rafiq-snippet-insert"]')!.click();
    await until(() => box.value.includes('R-20001'), 'expansion with the filled value');
    expect(box.value).toBe('Hi Layla, the refund for R-20001 is on its way. — Sara Ahmed');
    expect(document.querySelector('[data-testid="rafiq-snippet-fill"]')).toBeNull();
  });

  test('Escape in the form keeps the shortcut as typed', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea>';
    const box = document.querySelector('textarea')!;
    const { inserted } = host({ ...refund, values: {} });
    box.focus();
    typeInTextarea(box, ';refund ');
    await until(() => Boolean(document.querySelector('[data-testid="rafiq-snippet-fill"]')), 'fill form');
    const form = document.querySelector('[data-testid="rafiq-snippet-fill"]')!.shadowRoot!.querySelector('form')!;
    expect(form.querySelectorAll('input')).toHaveLength(3);
    form.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await until(() => !document.querySelector('[data-testid="rafiq-snippet-fill"]'), 'form closed');
    expect(box.value).toBe(';refund ');
    expect(inserted).not.toHaveBeenCalled();
  });

  test('Persian variant with English inside keeps its logical order', async () => {
    document.body.innerHTML = '<textarea class="reply" dir="auto"></textarea>';
    const box = document.querySelector('textarea')!;
    const fa: Expansion = { ...refund, language: 'fa', body: 'سلام {{customer.firstName}}، سفارش {{order.number}} با DHL Express ارسال شد.', values: { 'customer.firstName': 'زهرا', 'order.number': 'R-10042' } };
    host(fa);
    box.focus();
    typeInTextarea(box, ';refund ');
    await until(() => box.value.startsWith('سلام'), 'expansion');
    expect(box.value).toBe('سلام زهرا، سفارش R-10042 با DHL Express ارسال شد.');
    expect(box.value).not.toMatch(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  test('Tab after a shortcut expands it and does not leave the box', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea>';
    const box = document.querySelector('textarea')!;
    host(refund);
    box.focus();
    box.value = 'x ;refund';
    box.setSelectionRange(9, 9);
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
    box.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    await until(() => box.value.includes('R-10042'), 'expansion');
    expect(box.value.startsWith('x Hi Layla')).toBe(true);
  });

  test('unknown shortcut, unsupported box, a paste, and text changed meanwhile: nothing happens', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea><textarea class="other"></textarea>';
    const [reply, other] = [...document.querySelectorAll('textarea')];
    const failed = vi.fn();
    const { expand } = host(new Error('no template has the shortcut "nope"'), { failed });
    typeInTextarea(reply!, ';nope ');
    await until(() => failed.mock.calls.length === 1, 'failure reported');
    expect(reply!.value).toBe(';nope ');
    typeInTextarea(other!, ';refund ');
    reply!.value = ';refund ';
    reply!.setSelectionRange(8, 8);
    reply!.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste', data: null }));
    await new Promise((r) => setTimeout(r, 20));
    expect(expand).toHaveBeenCalledTimes(1);
    expect(other!.value).toBe(';refund ');
  });

  test('the agent kept typing while the template loaded: the newer text is not overwritten', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea>';
    const box = document.querySelector('textarea')!;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    host(refund, { expand: async () => (await gate, refund) });
    typeInTextarea(box, ';refund ');
    box.value = 'changed my mind';
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(box.value).toBe('changed my mind');
  });
});

describe('snippets on a public page', () => {
  const confirmHost = (): Partial<SnippetHost> => ({
    confirm: async (text, editor) => {
      const warnings = checkPublicReply(text, { otherCustomerNames: ['Omar Farouk'] });
      return warnings.length ? openPublicReplyConfirm(document, editor, warnings) : true;
    },
  });
  const withEmail: Expansion = { ...refund, body: 'Hi {{customer.firstName}}, we wrote to layla.haddad@gmail.com.' };

  test('a snippet that would publish an e-mail is held; Back to edit keeps the shortcut', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea>';
    const box = document.querySelector('textarea')!;
    const { inserted } = host(withEmail, confirmHost());
    typeInTextarea(box, ';refund ');
    await until(() => Boolean(document.querySelector('[data-testid="rafiq-snippet-public-warning"]')), 'warning');
    const root = document.querySelector('[data-testid="rafiq-snippet-public-warning"]')!.shadowRoot!;
    expect(root.querySelector('li')!.getAttribute('data-kind')).toBe('email');
    expect(root.querySelector('bdi')!.textContent).toBe('layla.haddad@gmail.com');
    root.querySelector<HTMLButtonElement>('[data-testid="rafiq-snippet-public-back"]')!.click();
    await until(() => !document.querySelector('[data-testid="rafiq-snippet-public-warning"]'), 'closed');
    expect(box.value).toBe(';refund ');
    expect(inserted).not.toHaveBeenCalled();
  });

  test('Insert anyway inserts it; a clean snippet is not held', async () => {
    document.body.innerHTML = '<textarea class="reply"></textarea>';
    const box = document.querySelector('textarea')!;
    host(withEmail, confirmHost());
    typeInTextarea(box, ';refund ');
    await until(() => Boolean(document.querySelector('[data-testid="rafiq-snippet-public-warning"]')), 'warning');
    document.querySelector('[data-testid="rafiq-snippet-public-warning"]')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="rafiq-snippet-public-anyway"]')!.click();
    await until(() => box.value === 'Hi Layla, we wrote to layla.haddad@gmail.com.', 'inserted anyway');
    stop?.();
    box.value = '';
    host(refund, confirmHost());
    typeInTextarea(box, ';refund ');
    await until(() => box.value.includes('R-10042'), 'clean insert');
    expect(document.querySelector('[data-testid="rafiq-snippet-public-warning"]')).toBeNull();
  });
});
