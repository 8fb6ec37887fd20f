import type { PagePerson, Tweet } from '@shared/page-context';
import type { PageItem } from '../sites/types';
import { ask } from '../messaging/client';
import { t } from '../i18n';

const BADGE_CSS = `
:host { all: initial; display: inline-flex; vertical-align: middle; margin-inline-start: 4px; }
button { all: unset; cursor: pointer; font: 600 11px/16px system-ui, sans-serif; min-inline-size: 16px; block-size: 16px;
  padding-inline: 6px; border-radius: 8px; text-align: center; white-space: nowrap; background: #d1d9e0; color: #1f2328; }
button[data-known='true'] { background: #0b6e4f; color: #fff; }
button[data-known='false'] { background: #fff4d6; color: #5c3c00; }
button:focus-visible { outline: 2px solid #0b6e4f; outline-offset: 1px; }`;

interface Badge {
  host: HTMLElement;
  button: HTMLButtonElement;
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

  constructor(
    private readonly readTweet: (article: Element) => Tweet | null,
    private readonly onSelect: (tweet: Tweet) => void,
  ) {}

  /** Places or re-binds badges; returns the tweets whose author status is not known yet. */
  sync(items: PageItem<Tweet>[]): Tweet[] {
    const unknown: Tweet[] = [];
    for (const { element, item } of items) {
      if (item.placeholder || !item.authorHandle) continue;
      let badge = this.badges.get(element);
      if (!badge) {
        badge = this.create(element);
        this.badges.set(element, badge);
      }
      const anchor = element.querySelector('[data-testid="User-Name"]') ?? element.querySelector('a[role="link"][href^="/"]')?.parentElement ?? element;
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
  async resolve(tweets: Author[]): Promise<boolean> {
    const handles = [...new Map(tweets.map((tw) => [tw.authorHandle.toLowerCase(), tw])).values()].slice(0, 100);
    if (!handles.length) return false;
    try {
      const results = await ask({ type: 'lookupMany', people: handles.map(tweetPerson) });
      handles.forEach((tw, i) => this.known.set(tw.authorHandle.toLowerCase(), Boolean(results[i]?.customer)));
      // Mark the badges already on the page (no need to read every tweet again).
      for (const badge of this.placed) {
        if (badge.host.isConnected) this.paint(badge);
        else this.placed.delete(badge);
      }
      return true;
    } catch {
      return false;
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
    for (let i = 0; i < all.length; i += 100) ok = (await this.resolve(all.slice(i, i + 100))) && ok;
    return ok;
  }

  /** Shows whether the badge's author is a customer; returns that (undefined: not asked yet). */
  private paint(badge: Badge): boolean | undefined {
    const known = this.known.get(badge.handle.toLowerCase());
    const state = known === undefined ? 'checking' : String(known);
    if (badge.shown === state) return known;
    badge.shown = state;
    // t() isolates the handle (FSI…PDI) so "@" stays with it in right-to-left text.
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
    const host = document.createElement('rafiq-badge');
    const shadow = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = BADGE_CSS;
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('data-testid', 'rafiq-x-badge');
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      // Read the article now: it may show another tweet than when the badge was placed.
      const tweet = this.readTweet(article);
      if (tweet && !tweet.placeholder) this.onSelect(tweet);
    });
    shadow.append(style, button);
    const badge: Badge = { host, button, tweetId: '', handle: '', name: '', shown: '' };
    this.placed.add(badge);
    return badge;
  }
}
