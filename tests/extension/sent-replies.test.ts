// Sent replies feed the reply history (issue 22): sending a reply box Rafiq knows (its Send
// control, Ctrl/Cmd+Enter, a form's submit) records the agent's own words once as `logged`, for
// the message on the page; a reply sent exactly as Rafiq inserted it is not recorded twice; the
// option turns it off; controls are found by structure on the real saved pages.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { answers, asked } from './fake-background';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PageState } from '../../extension/sidebar/page-state';
import { loadFixture } from './sites/load-fixture';

const { startSentReplies } = await import('../../extension/content/sent-replies');
const { insertIntoEditor, insertIntoTextField } = await import('../../extension/content/editor-insert');
const { learnFromSentSetting } = await import('../../extension/storage/settings');
const { setCollisionConversation } = await import('../../extension/sidebar/collision');
const { editorSelectors, hiddenAncestor, replyEndBefore, sendButtonSelector } = await import('../../extension/sites/gmail/gmail.selectors');
const { xSelectors } = await import('../../extension/sites/x/x.selectors');
const { findXReplyBox } = await import('../../extension/sites/x/x.reply');
const { answersThread } = await import('../../extension/sites/gmail/gmail.reply');

const person = { displayName: 'Layla Haddad', identities: [{ kind: 'email' as const, value: 'layla.haddad@example.com' }] };
const page: PageState = {
  status: 'recognized',
  person,
  context: { kind: 'email-thread', site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/abc', threadId: 'abc', subject: 'Order R-10042 arrived damaged', participants: [], messages: [], customer: person },
};
const INCOMING = 'My lamp arrived broken. Can you send a replacement?';

let stop: (() => void) | undefined;
let incoming: string | null = INCOMING;
const records = () => asked.filter((r) => r.type === 'recordReplyUse');
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
};

async function start(overrides: Partial<Parameters<typeof startSentReplies>[1]> = {}) {
  stop = await startSentReplies(document, {
    channel: 'email',
    isReplyBox: (el) => el.matches('.reply'),
    page: () => page,
    incoming: () => incoming,
    sendControl: '.send',
    sendKeys: true,
    notTyped: '.signature, .quote',
    ...overrides,
  });
}

function html(markup: string) {
  document.body.innerHTML = markup;
}
const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const ctrlEnter = (target: Element) => target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));

beforeEach(() => {
  fakeBrowser.reset();
  answers.clear();
  asked.length = 0;
  incoming = INCOMING;
  answers.set('lookupPerson', () => ({ customer: { id: 7 } }));
  answers.set('recordReplyUse', () => ({ recorded: true, id: 1 }));
});
afterEach(() => {
  stop?.();
  stop = undefined;
  setCollisionConversation(null);
  document.body.innerHTML = '';
});

describe('a reply the agent writes and sends', () => {
  test('tells teammates it was sent (the collision guard and claim on first reply), learned or not', async () => {
    setCollisionConversation({ key: 'email:abc', ticketId: 41 });
    answers.set('presenceRecord', () => ({ claimed: true }));
    await learnFromSentSetting.setValue(false);
    html('<div class="reply" contenteditable="true">Done, refunded.</div>');
    await start();
    ctrlEnter($('.reply'));
    await settle();
    expect(records()).toHaveLength(0);
    expect(asked.filter((r) => r.type === 'presenceRecord')).toEqual([{ type: 'presenceRecord', conversationKey: 'email:abc', kind: 'replied', ticketId: 41 }]);
  });

  test('contenteditable + Send: the agent’s words (no signature, no quote) are recorded as logged, with customer, ticket and context', async () => {
    setCollisionConversation({ key: 'email:abc', ticketId: 41 });
    html(`<div class="compose"><div class="reply" contenteditable="true"><div>Hi Layla,</div><div>a new lamp ships today.</div><div class="signature">-- Sara</div><div class="quote">On Monday Layla wrote: broken</div></div>
      <div class="toolbar"><div role="button" class="send">Envoyer</div></div></div>`);
    await start();
    const send = $('.send');
    send.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    send.dispatchEvent(new PointerEvent('pointerup', { bubbles: true }));
    send.click();
    await settle();
    expect(records()).toHaveLength(1);
    expect(records()[0]).toEqual({
      type: 'recordReplyUse',
      context: { key: 'email-thread|abc|[["email","layla.haddad@example.com"]]', customerId: 7 },
      customerId: 7,
      templateId: null,
      ticketId: 41,
      channel: 'email',
      incoming: INCOMING,
      reply: 'Hi Layla,\n\na new lamp ships today.',
      source: 'logged',
    });
  });

  test('contenteditable + Ctrl+Enter (and Cmd+Enter) sends; a plain Enter is a new line', async () => {
    html('<div class="reply" contenteditable="true">Thanks, refunded.</div>');
    await start();
    const box = $('.reply');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    expect(records()).toHaveLength(0);
    ctrlEnter(box);
    await settle();
    expect(records().map((r) => r.reply)).toEqual(['Thanks, refunded.']);
    box.textContent = 'Second reply in the same box.';
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', metaKey: true, bubbles: true }));
    await settle();
    expect(records().map((r) => r.reply)).toEqual(['Thanks, refunded.', 'Second reply in the same box.']);
  });

  test('textarea in a form: the submit button’s click and the form’s submit count as one send; keys do not send there', async () => {
    html('<form><textarea class="reply"></textarea><button class="go">Publish</button></form>');
    await start({ channel: 'review', sendControl: 'form button:not([type="button"])', sendKeys: false, notTyped: undefined });
    const box = $<HTMLTextAreaElement>('.reply');
    box.value = 'Sorry Layla, a new one ships today.';
    ctrlEnter(box);
    await settle();
    expect(records()).toHaveLength(0);
    const form = $<HTMLFormElement>('form');
    form.addEventListener('submit', (e) => e.preventDefault());
    $('.go').click();
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(records().map((r) => [r.channel, r.reply, r.source])).toEqual([['review', 'Sorry Layla, a new one ships today.', 'logged']]);
  });

  test('a template sent as Rafiq inserted it is not recorded again; edited, the final text is recorded once', async () => {
    html('<form><textarea class="reply"></textarea><button class="send">Publish</button></form>');
    await start({ channel: 'review', sendKeys: false, notTyped: undefined });
    const form = $<HTMLFormElement>('form');
    form.addEventListener('submit', (e) => e.preventDefault());
    const box = $<HTMLTextAreaElement>('.reply');
    insertIntoTextField(box, 'Hi Layla, your refund is on its way.');
    $('.send').click();
    await settle();
    expect(records()).toHaveLength(0);

    box.value = '';
    insertIntoTextField(box, 'Hi Layla, your refund is on its way.');
    box.value += ' It should reach you by Friday.';
    $('.send').click();
    await settle();
    expect(records().map((r) => r.reply)).toEqual(['Hi Layla, your refund is on its way. It should reach you by Friday.']);
  });

  test('contenteditable: an inserted suggestion above the signature, sent unchanged, is not recorded', async () => {
    html('<div class="reply" contenteditable="true"><div class="signature">-- Sara</div></div><div><div role="button" class="send">Send</div></div>');
    await start();
    const box = $('.reply');
    insertIntoEditor(box, 'Your replacement ships today.', { endBefore: '.signature' });
    expect(box.textContent).toContain('Your replacement ships today.');
    ctrlEnter(box);
    await settle();
    expect(records()).toHaveLength(0);
  });

  test('“Learn from replies I send” off: nothing is recorded; back on, it is', async () => {
    await learnFromSentSetting.setValue(false);
    html('<div class="reply" contenteditable="true">Thanks, refunded.</div>');
    await start();
    ctrlEnter($('.reply'));
    await settle();
    expect(records()).toHaveLength(0);
    await learnFromSentSetting.setValue(true);
    await settle();
    $('.reply').textContent = 'Thanks, refunded today.';
    ctrlEnter($('.reply'));
    await settle();
    expect(records().map((r) => r.reply)).toEqual(['Thanks, refunded today.']);
  });

  test('nothing is recorded from boxes Rafiq does not know, without a message to answer, or when empty', async () => {
    html('<div><div class="post" contenteditable="true">My own new post</div><div role="button" class="send">Post</div></div><div><div class="reply" contenteditable="true"></div><div role="button" class="send" id="empty">Send</div></div>');
    await start();
    $('.post').parentElement!.querySelector<HTMLElement>('.send')!.click();
    ctrlEnter($('.post'));
    $('#empty').click();
    await settle();
    $('.reply').textContent = 'A reply';
    incoming = null;
    ctrlEnter($('.reply'));
    await settle();
    expect(records()).toHaveLength(0);
  });

  test('a button of another form (a search) never sends the reply box beside it', async () => {
    html('<div><form class="search"><input name="q" value="lamp"><button>Search</button></form><form class="r"><textarea class="reply">Thanks!</textarea><button>Publish</button></form></div>');
    await start({ channel: 'review', sendControl: 'form button', sendKeys: false });
    for (const form of document.querySelectorAll('form')) form.addEventListener('submit', (e) => e.preventDefault());
    $('.search button').click();
    await settle();
    expect(records()).toHaveLength(0);
    $('.r button').click();
    await settle();
    expect(records().map((r) => r.reply)).toEqual(['Thanks!']);
  });

  test('a failing record never gets in the way of the site’s send', async () => {
    answers.set('recordReplyUse', () => {
      throw new Error('offline');
    });
    html('<div class="reply" contenteditable="true">Thanks</div><div role="button" class="send">Send</div>');
    await start();
    const event = new MouseEvent('click', { bubbles: true, cancelable: true });
    expect($('.send').dispatchEvent(event)).toBe(true);
    await settle();
    expect(records()).toHaveLength(1);
  });
});

/** Puts a saved page's body into the live happy-dom document. */
function mount(site: string, file: string) {
  const parsed = loadFixture(site, file);
  document.body.replaceChildren(...Array.from(parsed.body.childNodes, (node) => document.importNode(node, true)));
}

describe('send controls on real saved pages (by structure, not by label)', () => {
  const gmail = { sendControl: sendButtonSelector, notTyped: replyEndBefore, isReplyBox: (el: HTMLElement) => editorSelectors.some((s) => el.matches(s)) && el.closest(hiddenAncestor) === null };

  test.each(['gmail-compose-new-message-2020.html', 'gmail-thread-customer.html'])('Gmail %s: Send sends the body editor, the menu opener beside it does not', async (file) => {
    mount('gmail', file);
    await start(gmail);
    const editor = document.querySelector<HTMLElement>(editorSelectors[0])!;
    editor.textContent = 'A new lamp ships today.';
    const more = document.querySelector<HTMLElement>('.dC [aria-haspopup="true"]');
    more?.click();
    await settle();
    expect(records()).toHaveLength(0);
    const send = document.querySelectorAll<HTMLElement>(sendButtonSelector);
    expect(send).toHaveLength(1);
    send[0]!.click();
    await settle();
    expect(records().map((r) => r.reply)).toEqual(['A new lamp ships today.']);
  });

  test('Gmail: an inline reply answers the thread; a compose window only when its subject is the thread’s', () => {
    mount('gmail', 'gmail-thread-customer.html');
    expect(answersThread(document.querySelector<HTMLElement>(editorSelectors[0])!, 'Order R-10042 arrived damaged')).toBe(true);
    mount('gmail', 'gmail-compose-new-message-2020.html');
    const editor = document.querySelector<HTMLElement>(editorSelectors[0])!;
    expect(answersThread(editor, 'Order R-10042 arrived damaged')).toBe(false);
    document.querySelector<HTMLInputElement>('input[name="subjectbox"]')!.value = 'Re: Order R-10042 arrived damaged';
    expect(answersThread(editor, 'Order R-10042 arrived damaged')).toBe(true);
    expect(answersThread(editor, null)).toBe(false);
  });

  test('X: the reply form’s button posts the reply box; the home composer’s button records nothing', async () => {
    const x = { channel: 'x' as const, sendControl: xSelectors.sendButton, isReplyBox: (el: HTMLElement) => findXReplyBox(document) === el, notTyped: undefined };
    mount('x', 'x-status-with-replies.html');
    await start(x);
    const box = findXReplyBox(document)!;
    expect(box).not.toBeNull();
    box.textContent = 'Sorry Layla, a new one ships today.';
    document.querySelector<HTMLElement>('[data-testid="tweetButtonInline"]')!.removeAttribute('disabled');
    document.querySelector<HTMLElement>('[data-testid="tweetButtonInline"]')!.removeAttribute('aria-disabled');
    document.querySelector<HTMLElement>('[data-testid="tweetButtonInline"]')!.click();
    await settle();
    expect(records().map((r) => [r.channel, r.reply])).toEqual([['x', 'Sorry Layla, a new one ships today.']]);
    stop?.();

    asked.length = 0;
    mount('x', 'x-home-timeline-2026.html');
    await start(x);
    document.querySelector<HTMLElement>('[data-testid="tweetTextarea_0"]')!.textContent = 'A new post, not a reply';
    document.querySelector<HTMLElement>('[data-testid="tweetButtonInline"]')!.click();
    await settle();
    expect(records()).toHaveLength(0);
  });
});
