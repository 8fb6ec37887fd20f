import { normalizeEmail } from '@shared/normalize';
import { EMAIL_LIMITS } from '@shared/limits';
import type { PageContextOf, PagePerson } from '@shared/page-context';
import { cleanLine, cleanName, truncate } from '../kit';
import type { RecognizeOptions, SiteAdapter } from '../types';
import {
  composeSelectors,
  hiddenAncestor,
  listSelectors,
  mainSelector,
  queryAllFirst,
  queryFirst,
  threadSelectors,
} from './gmail.selectors';
import { siteHosts } from '../hosts';

/**
 * Gmail: an open thread (`email-thread`), a compose window without a thread (`email-compose`) or
 * a list view (`email-list`). Gmail never reloads, so the content script calls this again on
 * every route change and DOM change; it must be cheap and must not assume a finished page.
 * How the DOM is read, and why, is in README.md beside this file.
 */
export const gmailAdapter: SiteAdapter = {
  id: 'gmail',
  hosts: siteHosts.gmail.hosts,
  recognize(doc, url, options) {
    const agents = agentAddresses(doc, options);
    const route = parseRoute(url.hash);
    return readThread(doc, url, route, agents) ?? readCompose(doc, url, agents) ?? readList(doc, url, route);
  },
};

// One list of bounds, shared with the schemas that validate what this adapter reads.
const LIMITS = EMAIL_LIMITS;

type Thread = PageContextOf<'email-thread'>;
type Message = Thread['messages'][number];
type Participant = Thread['participants'][number];

// ---------------------------------------------------------------------------------------------
// Route (URL hash)

/** List views Gmail shows under `#<view>` or `#<view>/<name>` (two-part: label, search, category). */
const LIST_VIEWS = new Set([
  'inbox', 'starred', 'snoozed', 'sent', 'drafts', 'all', 'spam', 'trash', 'imp', 'scheduled',
  'label', 'search', 'category', 'advanced-search',
]);
const TWO_PART_VIEWS = new Set(['label', 'search', 'category', 'advanced-search']);
/**
 * A thread id in the hash: today's `FMfcgz…` token, a legacy hex id (16+ characters, gmail.js
 * api.get.current_page uses `/[0-9a-zA-Z]{16,}$/`) or a `thread-f:<decimal>` id. `p2` (page 2)
 * and short label names are not ids.
 */
const THREAD_ID_IN_HASH = /^(?:[0-9A-Za-z_-]{16,}|thread-[af]:\d+)$/;

interface GmailRoute {
  /** `inbox`, `label`, `search`, `settings`… */
  view: string;
  /** The id the hash names, or null on a list view. */
  threadId: string | null;
}

export function parseRoute(hash: string): GmailRoute {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const parts = path.split('/').filter(Boolean);
  const view = parts[0] ?? 'inbox';
  const head = TWO_PART_VIEWS.has(view) ? 2 : 1;
  const last = parts.length > head ? parts[parts.length - 1] : undefined;
  const threadId = last && THREAD_ID_IN_HASH.test(last) ? last : null;
  return { view, threadId };
}

// ---------------------------------------------------------------------------------------------
// Thread

function readThread(doc: Document, url: URL, route: GmailRoute, agents: ReadonlySet<string>): Thread | undefined {
  const subjectEl = pickSubject(doc, route);
  if (!subjectEl) return undefined;
  const threadId = cleanLine(subjectEl.getAttribute('data-legacy-thread-id') ?? route.threadId, LIMITS.threadId);
  // Pre-2018 markup has no id in the DOM; without one in the URL either, an `h2.hP` is not proof.
  if (!threadId) return undefined;

  const container = threadContainer(subjectEl);
  const messages: Message[] = [];
  const participants = new Participants();
  const seenIds = new Set<string>();
  for (const el of container ? queryAllFirst(container, threadSelectors.message) : []) {
    if (isHidden(el)) continue;
    const read = readMessage(el);
    if (!read) continue;
    if (read.message.id) {
      if (seenIds.has(read.message.id)) continue;
      seenIds.add(read.message.id);
    }
    if (messages.length < LIMITS.messages) messages.push(read.message);
    participants.add(read.message.fromName, read.message.fromEmail, 'sender');
    for (const recipient of read.recipients) participants.add(recipient.name, recipient.email, 'recipient');
  }

  return {
    kind: 'email-thread',
    site: 'gmail',
    url: truncate(url.href, LIMITS.url),
    threadId,
    subject: subjectText(subjectEl),
    participants: participants.list(),
    messages,
    customer: latestInboundSender(messages, agents),
  };
}

/**
 * The visible subject; Gmail keeps views of threads opened before in the DOM, hidden. When the
 * URL names a legacy id, the subject carrying that id wins.
 */
function pickSubject(doc: Document, route: GmailRoute): Element | null {
  const visible = queryAllFirst(doc, threadSelectors.subject).filter((el) => !isHidden(el));
  if (route.threadId) {
    const named = visible.find((el) => el.getAttribute('data-legacy-thread-id') === route.threadId);
    if (named) return named;
  }
  return visible[0] ?? null;
}

/** The smallest ancestor of the subject that holds messages: this thread's view, not another's. */
function threadContainer(subjectEl: Element): Element | null {
  for (let el = subjectEl.parentElement; el; el = el.parentElement) {
    if (queryFirst(el, threadSelectors.message)) return el;
  }
  return null;
}

/** Subject text; emoji Gmail renders as `<img data-emoji>` are read back (InboxSDK getSubject). */
function subjectText(el: Element): string {
  const parts: string[] = [];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) parts.push(child.nodeValue ?? '');
      else if (child.nodeType === 1) {
        const element = child as Element;
        if (element.tagName.toUpperCase() === 'IMG') parts.push(element.getAttribute('data-emoji') ?? '');
        else walk(element);
      }
    }
  };
  walk(el);
  return cleanLine(parts.join(''), LIMITS.subject);
}

interface Person {
  name: string;
  email: string;
}

function readMessage(el: Element): { message: Message; recipients: Person[] } | null {
  const sender = firstOutsideBody(el, threadSelectors.sender);
  const fromEmail = sender ? cleanEmail(sender.getAttribute('email')) : '';
  if (!sender || !fromEmail) return null;
  const timeEl = firstOutsideBody(el, threadSelectors.time);
  const timeText =
    cleanLine(timeEl?.getAttribute('title') || timeEl?.getAttribute('alt') || timeEl?.textContent, LIMITS.timeText) ||
    null;
  const recipients: Person[] = [];
  for (const span of allOutsideBody(el, threadSelectors.recipients)) {
    const email = cleanEmail(span.getAttribute('email'));
    if (email) recipients.push({ name: personName(span, email), email });
  }
  const id = messageId(el);
  return {
    message: {
      id,
      fromName: personName(sender, fromEmail),
      fromEmail,
      time: messageTime(id, timeText),
      timeText,
    },
    recipients,
  };
}

function messageId(el: Element): string | null {
  const legacy = cleanLine(el.getAttribute('data-legacy-message-id'), LIMITS.messageId);
  if (legacy) return legacy;
  const synced = cleanLine(el.getAttribute('data-message-id')?.replace(/^#/, ''), LIMITS.messageId);
  if (synced) return synced;
  // Pre-2018: `div.a3s.m<hex>` (gmail.js 2017 api.dom.email).
  const body = queryFirst(el, threadSelectors.legacyBody);
  for (const name of body ? Array.from(body.classList) : []) {
    const match = /^m([0-9a-f]{16,})$/.exec(name);
    if (match?.[1]) return truncate(match[1], LIMITS.messageId);
  }
  return null;
}

/**
 * The message body (`div.ii.gt`/`div.a3s`) is the sender's HTML: Gmail sanitizes it, but header
 * hooks (`[email]`, `span.gD`) are never read from inside it.
 */
const BODY = 'div.ii.gt, div.a3s';

function allOutsideBody(root: Element, selectors: readonly string[]): Element[] {
  for (const selector of selectors) {
    const found = Array.from(root.querySelectorAll(selector)).filter((el) => !insideBody(el, root));
    if (found.length) return found;
  }
  return [];
}

function firstOutsideBody(root: Element, selectors: readonly string[]): Element | null {
  return allOutsideBody(root, selectors)[0] ?? null;
}

function insideBody(el: Element, root: Element): boolean {
  const body = el.closest(BODY);
  return body !== null && root.contains(body) && body !== root;
}

/** A name Gmail shows for an address: the `name` attribute, else the text, else the address. */
function personName(span: Element, email: string): string {
  return cleanName(span.getAttribute('name'), LIMITS.name) || cleanName(span.textContent, LIMITS.name) || email;
}

/** Invisible characters removed, trimmed; '' when what is left is not an address. */
function cleanEmail(value: string | null | undefined): string {
  const email = cleanName(value, LIMITS.email).replace(/^mailto:/i, '');
  // Names keep ZWNJ/ZWJ (shared/text.ts); an address holding one is not an address.
  return /^[^\s@<>\u200c\u200d]+@[^\s@<>\u200c\u200d]+$/.test(email) && normalizeEmail(email).ok ? email : '';
}

function normalized(email: string): string {
  const result = normalizeEmail(email);
  return result.ok ? result.normalized : email.toLowerCase();
}

/** Everyone in the thread once (by normalized address), in order of first appearance. */
class Participants {
  private readonly byEmail = new Map<string, Participant & { rank: number }>();

  add(name: string, email: string, role: 'sender' | 'recipient'): void {
    const key = normalized(email);
    // A sender's own header name beats what a recipient line calls them ("me", a nickname).
    const rank = name === email || name.toLowerCase() === 'me' ? 0 : role === 'sender' ? 2 : 1;
    const known = this.byEmail.get(key);
    if (!known) {
      if (this.byEmail.size < LIMITS.participants) this.byEmail.set(key, { name, email, isSender: role === 'sender', rank });
      return;
    }
    if (role === 'sender') known.isSender = true;
    if (rank > known.rank) {
      known.name = name;
      known.rank = rank;
    }
  }

  list(): Participant[] {
    return Array.from(this.byEmail.values(), ({ name, email, isSender }) => ({ name, email, isSender }));
  }
}

/** The customer: the newest message whose sender is not one of the agent's addresses. */
function latestInboundSender(messages: readonly Message[], agents: ReadonlySet<string>): PagePerson | null {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (!message || agents.has(normalized(message.fromEmail))) continue;
    return person(message.fromName, message.fromEmail);
  }
  return null;
}

function person(name: string, email: string): PagePerson {
  return { displayName: name || email, identities: [{ kind: 'email', value: email }] };
}

// ---------------------------------------------------------------------------------------------
// Agent addresses

/**
 * The agent's addresses: the configured ones plus the signed-in mailbox, which Gmail names in
 * the tab title ("<subject or view> - <account> - Gmail", the account second to last, so a
 * subject cannot push its own address there). Mail the mailbox owner sent is never the customer.
 */
function agentAddresses(doc: Document, options: RecognizeOptions | undefined): ReadonlySet<string> {
  const agents = new Set<string>();
  for (const email of options?.agentEmails ?? []) agents.add(normalized(email.trim()));
  const parts = (doc.title ?? '').split(' - ');
  const account = parts.length >= 3 ? cleanEmail(parts[parts.length - 2]) : '';
  if (account) agents.add(normalized(account));
  return agents;
}

// ---------------------------------------------------------------------------------------------
// Time

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
// "Mon, Jan 8, 2024, 10:14 AM" / "Thu, Dec 18, 2014 at 12:35 PM" (en-US), optional "(3 days ago)".
const US_TIME = /^(?:[A-Z][a-z]{2},? )?([A-Z][a-z]{2,3}) (\d{1,2}), (\d{4}),? (?:at )?(\d{1,2}):(\d{2}) ?([AP]M)(?: \(.*\))?$/;
// "Mon, 8 Jan 2024, 10:14" / "8 Sept 2024 at 22:05" (en-GB, 24-hour).
const GB_TIME = /^(?:[A-Z][a-z]{2},? )?(\d{1,2}) ([A-Z][a-z]{2,3}) (\d{4}),? (?:at )?(\d{1,2}):(\d{2})(?: \(.*\))?$/;

/**
 * The wall-clock time Gmail shows ("Mon, Jan 8, 2024, 10:14 AM"), as "2024-01-08T10:14", for
 * the two English formats above only; null for anything else. It has no offset (Gmail shows the
 * user's local time), so it is only used to check the time read from the message id.
 */
export function parseGmailWallTime(text: string | null): string | null {
  if (!text) return null;
  let year: number, month: number | undefined, day: number, hour: number, minute: number;
  const us = US_TIME.exec(text);
  const gb = us ? null : GB_TIME.exec(text);
  if (us) {
    month = MONTHS[us[1]!.toLowerCase()];
    day = Number(us[2]);
    year = Number(us[3]);
    const h12 = Number(us[4]);
    if (h12 < 1 || h12 > 12) return null;
    hour = (h12 % 12) + (us[6] === 'PM' ? 12 : 0);
    minute = Number(us[5]);
  } else if (gb) {
    day = Number(gb[1]);
    month = MONTHS[gb[2]!.toLowerCase()];
    year = Number(gb[3]);
    hour = Number(gb[4]);
    minute = Number(gb[5]);
  } else {
    return null;
  }
  if (!month || hour > 23 || minute > 59 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
}

const GMAIL_LAUNCH = Date.UTC(2004, 3, 1);
const YEAR_2100 = Date.UTC(2100, 0, 1);

/**
 * Gmail's own time of a message, in ms since the epoch, from its id: a legacy id is 16 hex
 * digits whose first 11 are that time in milliseconds (the new-style `msg-f:<decimal>` is the
 * same 64-bit number). Evidence: the 2014 InboxSDK fixture's VIEW_DATA lists ids with their
 * timestamps, e.g. `14a5f1c6f7aeeebc` → 1418934906746 ms against 1418934907048000 µs.
 */
export function timeFromMessageId(id: string | null): number | null {
  if (!id) return null;
  let hex: string | null = null;
  if (/^[0-9a-f]{16}$/i.test(id)) hex = id;
  else {
    const synced = /^msg-f:(\d{1,20})$/.exec(id);
    if (synced?.[1]) hex = BigInt(synced[1]).toString(16).padStart(16, '0');
  }
  if (!hex || hex.length !== 16) return null;
  const ms = parseInt(hex.slice(0, 11), 16);
  return ms >= GMAIL_LAUNCH && ms < YEAR_2100 ? ms : null;
}

/**
 * ISO time (UTC, "Z") of a message: from its id, and only when what Gmail shows agrees with it
 * (same minute in some real time-zone offset: whole quarter hours within ±14 h, ±1 minute for
 * the id being a little earlier than the Date Gmail shows). Non-English dates cannot be checked
 * and the id alone is trusted; ids that are not timestamps give null.
 */
export function messageTime(id: string | null, timeText: string | null): string | null {
  const ms = timeFromMessageId(id);
  if (ms === null) return null;
  const wall = parseGmailWallTime(timeText);
  if (wall !== null) {
    const diff = (Date.parse(`${wall}:00Z`) - Math.floor(ms / 60_000) * 60_000) / 60_000;
    const offset = Math.round(diff / 15) * 15;
    if (Math.abs(offset) > 14 * 60 || Math.abs(diff - offset) > 1) return null;
  }
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// ---------------------------------------------------------------------------------------------
// Compose

function readCompose(doc: Document, url: URL, agents: ReadonlySet<string>): PageContextOf<'email-compose'> | undefined {
  const roots = queryAllFirst(doc, composeSelectors.root).filter(
    (el) => !isHidden(el) && el.closest(composeSelectors.inlineReply) === null,
  );
  if (!roots.length) return undefined;
  const active = doc.activeElement;
  const root = roots.find((el) => active && el.contains(active)) ?? roots[0]!;
  const recipients = readRecipients(root);
  const customer = recipients.find((r) => !agents.has(normalized(r.email)));
  return {
    kind: 'email-compose',
    site: 'gmail',
    url: truncate(url.href, LIMITS.url),
    recipients: recipients.slice(0, LIMITS.recipients).map((r) => r.email),
    subject: cleanLine(fieldValue(queryFirst(root, composeSelectors.subject)), LIMITS.subject),
    customer: customer ? person(customer.name, customer.email) : null,
  };
}

/** "To" recipients: chips first (in order), then what is still typed; once per address. */
function readRecipients(root: Element): Person[] {
  const found: Person[] = [];
  for (const chip of queryAllFirst(root, composeSelectors.toChips)) {
    const email = cleanEmail(chip.getAttribute('email') ?? chip.getAttribute('data-hovercard-id'));
    if (!email) continue;
    const name = cleanName(chip.getAttribute('name') ?? chip.getAttribute('data-name'), LIMITS.name);
    found.push({ name: name || email, email });
  }
  for (const input of queryAllFirst(root, composeSelectors.toHidden)) found.push(...parseAddressList(fieldValue(input)));
  for (const field of queryAllFirst(root, composeSelectors.toTyped)) found.push(...parseAddressList(fieldValue(field)));
  const seen = new Set<string>();
  return found.filter((r) => {
    const key = normalized(r.email);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A form field's current value: the live `.value`, or the markup default in a parsed document. */
function fieldValue(el: Element | null): string {
  if (!el) return '';
  const live = (el as { value?: unknown }).value;
  if (typeof live === 'string') return live;
  return el.tagName.toUpperCase() === 'TEXTAREA' ? (el.textContent ?? '') : (el.getAttribute('value') ?? '');
}

/** `Layla Haddad <layla@x>, "Demir, Ayşe" <ayse@y>; bare@z` → people, in order. */
export function parseAddressList(value: string): Person[] {
  const out: Person[] = [];
  const address = /(?:"([^"]*)"|([^,;<>"]*?))\s*<([^<>\s,;]+@[^<>\s,;]+)>|([^\s,;<>"]+@[^\s,;<>"]+)/g;
  for (const match of value.matchAll(address)) {
    const email = cleanEmail(match[3] ?? match[4]);
    if (!email) continue;
    const name = cleanName(match[1] ?? match[2], LIMITS.name);
    out.push({ name: name || email, email });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lists

function readList(doc: Document, url: URL, route: GmailRoute): PageContextOf<'email-list'> | undefined {
  const rows = queryAllFirst(doc, listSelectors.row).filter((el) => !isHidden(el));
  const listRoute = LIST_VIEWS.has(route.view) && !route.threadId;
  if (!rows.length && !(listRoute && doc.querySelector(mainSelector))) return undefined;
  return { kind: 'email-list', site: 'gmail', url: truncate(url.href, LIMITS.url) };
}

// ---------------------------------------------------------------------------------------------

/** Hidden by markup (Gmail keeps other views with `display: none`); no layout is needed. */
function isHidden(el: Element): boolean {
  return el.closest(hiddenAncestor) !== null;
}
