import type { PagePerson, Tweet } from '@shared/page-context';
import type { PageItem } from '../sites/types';
import { ask } from '../messaging/client';
import { t } from '../i18n';

const BADGE_CSS = `
:host { all: initial; display: inline-flex; vertical-align: middle; margin-inline-start: 4px; }
button { all: unset; cursor: pointer; font: 700 10px/16px system-ui, sans-serif; min-inline-size: 16px; block-size: 16px;
  padding-inline: 4px; border-radius: 8px; text-align: center; background: #d1d9e0; color: #1f2328; }
button[data-known='true'] { background: #0b6e4f; color: #fff; }
button:focus-visible { outline: 2px solid #0b6e4f; outline-offset: 1px; }`;

interface Badge {
  host: HTMLElement;
  button: HTMLButtonElement;
  tweetId: string;
  handle: string;
}

export const tweetPerson = (tweet: Tweet): PagePerson => ({
  displayName: tweet.authorName || tweet.authorHandle,
  identities: [{ kind: 'x', value: tweet.authorHandle }],
});

/**
 * A small Rafiq badge beside each tweet's author. X recycles tweet nodes while scrolling, so the
 * badge never remembers a tweet: every scan re-binds it to the tweet its article shows now, and a
 * click reads the article again before acting.
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
      }
      if (this.paint(badge) === undefined) unknown.push(item);
    }
    return unknown;
  }

  /** Asks the API once for every new author on screen (one request, one query). */
  async resolve(tweets: Tweet[]): Promise<boolean> {
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

  /** Shows whether the badge's author is a customer; returns that (undefined: not asked yet). */
  private paint(badge: Badge): boolean | undefined {
    const known = this.known.get(badge.handle.toLowerCase());
    const state = String(known ?? false);
    const text = known ? '✓' : 'R';
    if (badge.button.dataset.known !== state) badge.button.dataset.known = state;
    // The label says what a click does, in the agent's language (and the state the mark shows).
    const label = t(known ? 'badge.known' : 'badge.title', { handle: `@${badge.handle}` });
    if (badge.button.title !== label) {
      badge.button.title = label;
      badge.button.setAttribute('aria-label', label);
    }
    if (badge.button.textContent !== text) badge.button.textContent = text;
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
    button.textContent = 'R';
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      // Read the article now: it may show another tweet than when the badge was placed.
      const tweet = this.readTweet(article);
      if (tweet && !tweet.placeholder) this.onSelect(tweet);
    });
    shadow.append(style, button);
    const badge = { host, button, tweetId: '', handle: '' };
    this.placed.add(badge);
    return badge;
  }
}
