/**
 * Gmail selectors. Each list is ordered newest markup first; the adapter uses the first selector
 * that matches anything. Stable hooks first (`[email]`, `data-legacy-*`, `name=`, ARIA), class
 * names after. Sources: gmail.js `src/gmail.js` (api.dom.email / api.dom.thread / api.dom.compose
 * configs, api.get.thread_id, api.dom.visible_messages), InboxSDK
 * `src/platform-implementation-js/dom-driver/gmail/views/gmail-{thread,message,compose}-view.ts`,
 * and the fixtures in tests/fixtures/pages/gmail/ (see the README there).
 */

export const threadSelectors = {
  /** The thread subject. Several may be in the DOM (Gmail keeps hidden views); the adapter picks one. */
  subject: [
    // 2018+ UI: the only h2 carrying the thread id (gmail.js api.get.thread_id, InboxSDK getThreadID).
    'h2.hP[data-legacy-thread-id]',
    // Any element with the id (InboxSDK queries `[data-legacy-thread-id]` without a tag).
    'h2[data-legacy-thread-id]',
    // Pre-2018 UI (gmail.js 2017 api.dom.email_subject): subject without an id; id comes from the URL.
    'h2.hP',
    // InboxSDK getSubject(): `.ha h2` (subject header container), for a restyled h2.
    '.ha h2',
  ],
  /** One element per message, in thread order. */
  message: [
    // 2018+: `div.adn` with the ids (gmail.js api.dom.email: `div.adn[data-legacy-message-id]`;
    // new-style `data-message-id="#msg-f:…"`). A message just sent from this tab has
    // `data-message-id` only until the server answers (InboxSDK gmail-message-view.ts). A collapsed
    // message in a long thread is `div.adf.ads` (InboxSDK reads `.adf.ads` for COLLAPSED messages,
    // wrapper class `kv`). One selector list so all kinds keep their thread (document) order.
    'div.adn[data-legacy-message-id], div.adn[data-message-id], div.adf.ads[data-legacy-message-id], div.adf.ads[data-message-id]',
    // Pre-2018: `div.adn` without ids; the id is an `m<hex>` class on `div.a3s` (gmail.js 2017).
    'div.adn.ads',
  ],
  /** The sender inside one message element. */
  sender: [
    // 2018+ and older: `span.gD[email]` inside the header `h3.iw` (gmail.js `from: "span[email].gD"`).
    'h3.iw span.gD[email]',
    'span.gD[email]',
    // InboxSDK getSender(): `td.gF span[email]` (sender cell; class of the span not assumed).
    'td.gF span[email]',
  ],
  /** Recipients (to/cc) inside one message element. */
  recipients: [
    // gmail.js `to: "span[email].g2"`, InboxSDK getRecipients(): `.hb span[email]`.
    'span.g2[email]',
    '.hb span[email]',
  ],
  /** The time of one message: `title` holds the full date ("Mon, Jan 8, 2024, 10:14 AM"). */
  time: [
    // InboxSDK getDateString(): `.ads .gK .g3` title; gmail.js `timestamp: "span.g3"`.
    '.gK span.g3[title]',
    'span.g3[title]',
    // Older markup put the date in `alt` only.
    'span.g3[alt]',
    'span.g3',
  ],
  /** Pre-2018 message body carrying the id as a class `m<hex>` (gmail.js 2017 api.dom.email). */
  legacyBody: ['div.ii.gt div.a3s'],
} as const;

export const composeSelectors = {
  /** An open compose (new message dialog or inline reply): gmail.js api.dom.composes `div.M9`. */
  root: [
    // 2020 compose dialog: `div.nH.Hd[role=dialog]` wraps the `div.M9` compose form.
    '[role="dialog"] div.M9',
    // Any other compose form (pop-out, future wrappers). Inline replies are excluded by `inlineReply`.
    'div.M9',
  ],
  /** An inline reply/forward inside a thread (InboxSDK setupReplyStream: `.ip` → `.M9`): part of the thread, not a new message. */
  inlineReply: '.ip',
  /** "To" recipients already turned into chips. */
  toChips: [
    // 2021+ "peoplekit" recipients (gmail.js is_peoplekit_compose/recipients): hovercard id = email.
    'div[name="to"] [data-hovercard-id]',
    // Classic chips (gmail.js recipient_change observes class `vR`), each with an `[email]` span.
    'tr.bzf div.vR [email]',
    'div.vR [email]',
  ],
  /** "To" recipients as hidden inputs, one per chip (gmail.js classic recipients: `.GS input[type=hidden]`). */
  toHidden: ['.GS input[type="hidden"][name="to"]'],
  /** What is still being typed in the To field (gmail.js `to: "textarea[name=to]"`; peoplekit `div[name=to] input`). */
  toTyped: ['textarea[name="to"]', 'div[name="to"] input'],
  /** Subject (gmail.js `subjectbox`, then the hidden `subject` input used by inline replies). */
  subject: ['input[name="subjectbox"]', 'input[name="subject"]'],
} as const;

/** The reply or compose body editor. */
export const editorSelectors = [
  // 2020+ compose dialog and inline reply: role/aria-label/g_editable (fixture gmail-compose-new-message-2020.html).
  'div[role="textbox"][contenteditable="true"][g_editable="true"]',
  'div[role="textbox"][contenteditable="true"][aria-label="Message Body"]',
  // Older/class-only form of the same editor (`div.Am.Al.editable`), gmail.js compose `body`.
  'div.Am.editable[contenteditable="true"]',
] as const;

/**
 * Inside a reply body: what comes after the agent's own text. Gmail's signature block
 * (`.gmail_signature_prefix` "-- " then `.gmail_signature`, 2019+) and the quoted message
 * (`.gmail_quote`, also `blockquote` in older drafts; defuddle fixture shows `.gmail_quote`).
 */
export const replyEndBefore = '.gmail_signature_prefix, .gmail_signature, .gmail_quote, blockquote';

/**
 * The Send button of a reply or compose, by structure only: its label and tooltip are localized
 * ("Send ‪(Ctrl-Enter)‬", "Envoyer", "إرسال"). `.dC` groups Send with its "More send options"
 * menu opener (aria-haspopup) in the 2020 compose dialog and the inline reply fixtures; the
 * compose toolbar's first cell `.IZ .Up` (InboxSDK getSendButton); Gmail's `aoO` class (gmail.js).
 */
export const sendButtonSelector = '.dC > [role="button"]:not([aria-haspopup="true"]), .IZ .Up [role="button"]:not([aria-haspopup="true"]), [role="button"].aoO';

/** Inbox and other list views. */
export const listSelectors = {
  // Thread rows: `tr.zA` (2014 InboxSDK fixture; gmail.js api.dom.visible_messages `tbody>tr.zA[role=row]`).
  row: ['tr.zA'],
} as const;

/** Parts of an element that are hidden and must not be read (kept views of other threads). */
export const hiddenAncestor = '[hidden], [style*="display: none"], [style*="display:none"]';

/** The page's main area: gmail.js api.dom.inbox_content `div[role=main]:first`. */
export const mainSelector = 'div[role="main"]';

/** Runs `selectors` in order and returns the matches of the first one that matches anything. */
export function queryAllFirst(root: ParentNode, selectors: readonly string[]): Element[] {
  for (const selector of selectors) {
    const found = Array.from(root.querySelectorAll(selector));
    if (found.length) return found;
  }
  return [];
}

export function queryFirst(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}
