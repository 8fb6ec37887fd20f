import type { PagePerson, Tweet } from '@shared/page-context';
import type { PageItem } from '../sites/types';
import { ask } from '../messaging/client';
import { t } from '../i18n';

/**
 * Badges are plain elements in X's DOM (issue 20): a `<rafiq-badge>` holding a `<button>`, styled
 * by ONE stylesheet in the document and served by ONE delegated click listener. A shadow root, an
 * adopted sheet and a listener per tweet were most of the cost of a badge (~0.3 ms per inserted
 * tweet with reading the cell).
 *
 * Trade-off, in a hostile page: without a shadow root the page's CSS reaches the badge, so the
 * page can restyle it (as it could already hide, move or cover the old host, or draw a look-alike
 * of its own). What it cannot do is make Rafiq act: a click counts only when the browser says a
 * person made it (`event.isTrusted`) on a button Rafiq created (kept in a WeakMap, not marked by
 * any attribute the page could copy), and it reads the tweet Rafiq bound that button to. A copy
 * of a badge (cloned markup) is inert and removed when its tweet is badged again. What the badge
 * says is set with textContent and attributes only; the page's own text is never parsed as HTML.
 * The selectors are specific and `!important` so X's ordinary rules do not restyle it by accident.
 */
const BADGE_CSS = `
rafiq-badge[data-rafiq] { all: initial !important; display: inline-flex !important; vertical-align: middle !important; margin-inline-start: 4px !important; }
rafiq-badge[data-rafiq] > button { all: unset !important; box-sizing: content-box !important; cursor: pointer !important; font: 600 11px/16px system-ui, sans-serif !important;
  min-inline-size: 16px !important; block-size: 16px !important; padding-inline: 6px !important; border-radius: 8px !important; text-align: center !important;
  white-space: nowrap !important; background: #d1d9e0 !important; color: #1f2328 !important; }
rafiq-badge[data-rafiq] > button[data-known='true'] { background: #0b6e4f !important; color: #fff !important; }
rafiq-badge[data-rafiq] > button[data-known='false'] { background: #fff4d6 !important; color: #5c3c00 !important; }
rafiq-badge[data-rafiq] > button:focus-visible { outline: 2px solid #0b6e4f !important; outline-offset: 1px !important; }`;

/** Puts the badges' stylesheet in the document once (again if the page removed it). */
function ensureStyle(doc: Document, current: HTMLStyleElement | null): HTMLStyleElement {
  if (current?.isConnected && current.ownerDocument === doc) return current;
  const style = doc.createElement('style');
  style.setAttribute('data-rafiq-badges', '');
  style.textContent = BADGE_CSS;
  (doc.head ?? doc.documentElement).append(style);
  return style;
}

interface Badge {
  host: HTMLElement;
  button: HTMLButtonElement;
  /** The tweet element this badge was made for: a click reads this one, wherever the button is. */
  article: Element;
  tweetId: string;
  handle: string;
  name: string;
  /** What the badge shows now ('' = not painted yet): repainted only when this changes. */
  shown: string;
}

type Author = Pick<Tweet, 'authorHandle' | 'authorName'>;

export const tweetPerson = (tweet: Author): PagePerson => ({
  displayName: tweet.authorName || tweet.authorHandle,
  identities: [{ kind: 'x', value: tweet.authorHandle }],
});

/**
 * A small Rafiq badge beside each tweet's author. X recycles tweet nodes while scrolling, so the
 * badge never remembers a tweet: every scan re-binds it to the tweet its article shows now, and a
 * click reads the article again before acting.
 *
 * The badge says what it means, in the agent's language: "Customer" (green) when the author is
 * one, "New" when not, "…" while Rafiq asks; its tooltip and aria-label spell it out with the
 * handle ("@layla_haddad is a customer: show their card in Rafiq"). When the agent creates or
 * links a customer (or merges two) anywhere, the background tells the tab (`identityChanged`)
 * and `refresh()` asks again for every author on screen, so a badge turns green without a reload.
 */
export class TweetBadges {
  private readonly badges = new WeakMap<Element, Badge>();
  /** The badges placed, to mark their authors once a lookup answers (pruned when X drops the node). */
  private readonly placed = new Set<Badge>();
  private readonly known = new Map<string, boolean>();
  private readonly asking = new Set<string>();
  /** The buttons Rafiq created, and their badge: the only ones a click may act on. */
  private readonly buttons = new WeakMap<Element, Badge>();
  private style: HTMLStyleElement | null = null;
  private listening: Document | null = null;

  constructor(
    private readonly readTweet: (article: Element) => Tweet | null,
    private readonly onSelect: (tweet: Tweet) => void,
  ) {}

  /** The one click listener for every badge (capture, on the document: before X's own handlers). */
  private readonly onClick = (event: Event) => {
    const target = event.target;
    const button = target instanceof Element ? target.closest('button') : null;
    const badge = button ? this.buttons.get(button) : undefined;
    if (!badge) return; // not a badge, or a look-alike the page made: not ours to handle
    // X must not also open the tweet; and a click the page scripted (button.click(),
    // dispatchEvent) is not the agent's: it does nothing.
    event.preventDefault();
    event.stopPropagation();
    if (!event.isTrusted) return;
    // Read the article now: it may show another tweet than when the badge was placed.
    const tweet = this.readTweet(badge.article);
    if (tweet && !tweet.placeholder) this.onSelect(tweet);
  };

  /** Removes the badges, their listener and stylesheet (the content script was invalidated). */
  dispose(): void {
    for (const badge of this.placed) badge.host.remove();
    this.placed.clear();
    this.listening?.removeEventListener('click', this.onClick, true);
    this.listening = null;
    this.style?.remove();
    this.style = null;
  }

  /** Places or re-binds badges; returns the tweets whose author status is not known yet. */
  sync(items: PageItem<Tweet>[]): Tweet[] {
    const unknown: Tweet[] = [];
    // The badges' stylesheet is back if the page removed it.
    if (this.style && items.length) this.style = ensureStyle(items[0]!.element.ownerDocument, this.style);
    for (const { element, item } of items) {
      if (item.placeholder || !item.authorHandle) continue;
      let badge = this.badges.get(element);
      if (!badge) {
        badge = this.create(element);
        this.badges.set(element, badge);
      }
      // Fast path (issue 20): the badge is already in this tweet, bound to it and painted.
      if (badge.tweetId === item.id && badge.shown !== '' && badge.host.parentElement && element.contains(badge.host)) {
        if (this.paint(badge) === undefined) unknown.push(item);
        continue;
      }
      const anchor = element.querySelector('[data-testid="User-Name"]') ?? element.querySelector('a[role="link"][href^="/"]')?.parentElement ?? element;
      // A copy of a badge (the page cloned a tweet with its badge) is inert and would show a stale
      // answer: only Rafiq's own badge stays in the tweet it badges.
      for (const other of anchor.querySelectorAll('rafiq-badge')) if (other !== badge.host) other.remove();
      if (badge.host.parentElement !== anchor) anchor.append(badge.host);
      if (badge.tweetId !== item.id) {
        badge.tweetId = item.id;
        badge.host.setAttribute('data-tweet-id', item.id);
        badge.host.setAttribute('data-handle', item.authorHandle);
        badge.handle = item.authorHandle;
        badge.name = item.authorName;
        badge.shown = '';
      }
      if (this.paint(badge) === undefined) unknown.push(item);
    }
    return unknown;
  }

  /** Asks the API once for every new author on screen (one request, one query). */
  async resolve(tweets: Author[], force = false): Promise<boolean> {
    // An author already being asked about is not asked again by the next scan of the same burst.
    const handles = [...new Map(tweets.map((tw) => [tw.authorHandle.toLowerCase(), tw])).values()]
      .filter((tw) => force || !this.asking.has(tw.authorHandle.toLowerCase()))
      .slice(0, 100);
    if (!handles.length) return false;
    const keys = handles.map((tw) => tw.authorHandle.toLowerCase());
    keys.forEach((k) => this.asking.add(k));
    try {
      const results = await ask({ type: 'lookupMany', people: handles.map(tweetPerson) });
      keys.forEach((k, i) => this.known.set(k, Boolean(results[i]?.customer)));
      // Mark the badges already on the page (no need to read every tweet again).
      for (const badge of this.placed) {
        if (badge.host.isConnected) this.paint(badge);
        else this.placed.delete(badge);
      }
      return true;
    } catch {
      return false;
    } finally {
      keys.forEach((k) => this.asking.delete(k));
    }
  }

  forget(handle: string) {
    this.known.delete(handle.toLowerCase());
  }

  /**
   * A customer was created, linked, unlinked or merged: what we knew of every author may be
   * stale. Asks again for the authors of the badges on the page (one batched lookup; the
   * background dropped its cache on that write) and repaints them.
   */
  async refresh(): Promise<boolean> {
    const people = new Map<string, Author>();
    for (const badge of this.placed) {
      if (!badge.host.isConnected) this.placed.delete(badge);
      else if (badge.handle) people.set(badge.handle.toLowerCase(), { authorHandle: badge.handle, authorName: badge.name });
    }
    const all = [...people.values()];
    let ok = true;
    // lookupMany takes 100 people a request.
    for (let i = 0; i < all.length; i += 100) ok = (await this.resolve(all.slice(i, i + 100), true)) && ok;
    return ok;
  }

  /** Shows whether the badge's author is a customer; returns that (undefined: not asked yet). */
  private paint(badge: Badge): boolean | undefined {
    const known = this.known.get(badge.handle.toLowerCase());
    const state = known === undefined ? 'checking' : String(known);
    if (badge.shown === state) return known;
    badge.shown = state;
    // t() isolates its parameters: "@handle" stays whole inside an Arabic or Persian sentence.
    const handle = `@${badge.handle}`;
    const [label, text] =
      known === undefined
        ? [t('badge.checking', { handle }), '…']
        : known
          ? [t('badge.customerTitle', { handle }), t('badge.customer')]
          : [t('badge.newTitle', { handle }), t('badge.new')];
    badge.button.dataset.known = known === undefined ? 'pending' : String(known);
    badge.button.textContent = text;
    badge.button.title = label;
    badge.button.setAttribute('aria-label', label);
    return known;
  }

  private create(article: Element): Badge {
    const doc = article.ownerDocument;
    this.style = ensureStyle(doc, this.style);
    if (this.listening !== doc) {
      this.listening?.removeEventListener('click', this.onClick, true);
      doc.addEventListener('click', this.onClick, true);
      this.listening = doc;
    }
    const host = doc.createElement('rafiq-badge');
    host.setAttribute('data-rafiq', '');
    const button = doc.createElement('button');
    button.type = 'button';
    button.setAttribute('data-testid', 'rafiq-x-badge');
    host.append(button);
    const badge: Badge = { host, button, article, tweetId: '', handle: '', name: '', shown: '' };
    this.buttons.set(button, badge);
    this.placed.add(badge);
    return badge;
  }
}
