// The collision guard on every way a reply reaches the reply box (issue 21): a suggested reply
// and a typed snippet are held once when a teammate wrote to this conversation since this tab
// opened it, go ahead on the next try, and tell teammates this tab replied.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { answers, asked } from './fake-background';
import { render } from 'solid-js/web';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { PageState } from '../../extension/sidebar/page-state';


const { SuggestedReplies } = await import('../../extension/sidebar/sections/SuggestedReplies');
const { startPageSnippets } = await import('../../extension/content/snippets-page');
const { setCollisionConversation, setCollisionWarning } = await import('../../extension/sidebar/collision');

const person = { displayName: 'Layla Haddad', identities: [{ kind: 'email' as const, value: 'layla.haddad@example.com' }] };
const page: PageState = {
  status: 'recognized',
  person,
  context: { kind: 'email-thread', site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/abc', threadId: 'abc', subject: 'Order R-10042 arrived damaged', participants: [], messages: [], customer: person },
};
const WARNING = 'Emre Kaya replied here 1 minute ago.';

let root: HTMLDivElement;
let dispose: (() => void) | undefined;
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 150 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}: ${document.body.innerHTML.slice(0, 400)}`);
};
const read = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/[\u2066-\u2069]/g, '');
const records = () => asked.filter((r) => r.type === 'presenceRecord');

beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  asked.length = 0;
  answers.set('presenceRecord', () => ({ ok: true, claimed: false }));
  answers.set('recordReplyUse', () => ({ recorded: true, id: 1 }));
  setCollisionConversation({ key: 'email:abc', ticketId: 41 });
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  dispose?.();
  dispose = undefined;
  setCollisionConversation(null);
  document.body.innerHTML = '';
});

describe('suggested replies', () => {
  test('a teammate replied since this tab opened the thread: the first Insert warns, the second inserts and is recorded', async () => {
    setCollisionWarning({ text: WARNING, version: 'suggest-1' });
    answers.set('suggestReplies', () => [
      { kind: 'template', templateId: 3, templateName: 'Refund sent', shortcut: 'refund', language: 'en', text: 'Hi Layla, your refund is on its way.', score: 0.5, source: null },
    ]);
    const insertReply = vi.fn(async () => 'inserted' as const);
    dispose = render(() => <SuggestedReplies customerId={7} page={page} insertReply={insertReply} />, root);
    await until(() => Boolean(root.querySelector('[data-testid="rafiq-suggestion-insert"]')), 'suggestion');
    const insert = () => root.querySelector<HTMLButtonElement>('[data-testid="rafiq-suggestion-insert"]')!.click();

    insert();
    await until(() => Boolean(root.querySelector('.notice-error')), 'warning');
    expect(read(root.querySelector('.notice-error'))).toMatch(/Emre Kaya replied here.*click again/s);
    expect(insertReply).not.toHaveBeenCalled();
    expect(records()).toHaveLength(0);

    insert();
    await until(() => insertReply.mock.calls.length === 1, 'insert');
    await until(() => records().length === 1, 'presence record');
    expect(records()[0]).toMatchObject({ conversationKey: 'email:abc', kind: 'replied', ticketId: 41 });
  });
});

describe('snippets', () => {
  const ctx = { onInvalidated: (fn: () => void) => void stops.push(fn) } as unknown as ContentScriptContext;
  const stops: (() => void)[] = [];
  afterEach(() => stops.splice(0).forEach((s) => s()));
  const typeInTextarea = (box: HTMLTextAreaElement, text: string) => {
    for (const ch of text) {
      const at = box.selectionStart ?? box.value.length;
      box.value = box.value.slice(0, at) + ch + box.value.slice(at);
      box.setSelectionRange(at + 1, at + 1);
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: ch }));
    }
  };
  const dialog = () => document.querySelector('[data-testid="rafiq-snippet-collision-warning"]');

  test('a snippet typed after a teammate replied is held next to the box; Back keeps the shortcut, the next one goes in', async () => {
    setCollisionWarning({ text: WARNING, version: 'snippet-1' });
    answers.set('lookupPerson', () => ({ customer: { id: 7 }, matchedIdentity: null }));
    answers.set('expandSnippet', () => ({ template: { id: 3, shortcut: 'refund', name: 'Refund sent' }, language: 'en', body: 'Your refund is on its way.', values: {} }));
    const box = document.createElement('textarea');
    box.className = 'reply';
    document.body.append(box);
    await startPageSnippets(ctx, { channel: 'email', isReplyBox: (el) => el.matches('.reply'), page: () => page, incoming: () => 'Where is my refund?' });

    typeInTextarea(box, ';refund ');
    await until(() => Boolean(dialog()), 'collision dialog');
    expect(read(dialog()!.shadowRoot!.querySelector('strong'))).toBe(WARNING);
    dialog()!.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="rafiq-snippet-collision-back"]')!.click();
    await until(() => !dialog(), 'dialog closed');
    await new Promise((r) => setTimeout(r, 20)); // the held expansion finishes before the next one
    expect(box.value).toBe(';refund ');
    expect(records()).toHaveLength(0);

    // The agent has seen it: the next expansion goes in and teammates learn this tab replied.
    box.value = '';
    typeInTextarea(box, ';refund ');
    await until(() => box.value.startsWith('Your refund is on its way.'), 'expanded');
    expect(dialog()).toBeNull();
    await until(() => records().length === 1, 'presence record');
    expect(records()[0]).toMatchObject({ conversationKey: 'email:abc', kind: 'replied' });
  });

  test('Insert anyway inserts at once', async () => {
    setCollisionWarning({ text: WARNING, version: 'snippet-2' });
    answers.set('lookupPerson', () => ({ customer: null, matchedIdentity: null }));
    answers.set('expandSnippet', () => ({ template: { id: 3, shortcut: 'refund', name: 'Refund sent' }, language: 'en', body: 'Thanks!', values: {} }));
    const box = document.createElement('textarea');
    box.className = 'reply';
    document.body.append(box);
    await startPageSnippets(ctx, { channel: 'email', isReplyBox: (el) => el.matches('.reply'), page: () => page, incoming: () => null });
    typeInTextarea(box, ';refund ');
    await until(() => Boolean(dialog()), 'collision dialog');
    dialog()!.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="rafiq-snippet-collision-anyway"]')!.click();
    await until(() => box.value.startsWith('Thanks!'), 'expanded');
    await until(() => records().length === 1, 'presence record');
  });
});
