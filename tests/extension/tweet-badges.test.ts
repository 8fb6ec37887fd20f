import { afterEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { TweetBadges } from '../../extension/content/tweet-badges';
import { readTweet, tweetItems } from '../../extension/sites/x/x.adapter';
import { setLanguage } from '../../extension/i18n';
import { loadFixture } from './sites/load-fixture';

/** Issue 17: an X badge says what it means and turns into a customer badge when the author becomes one. */

const HOME = new URL('https://x.com/home');
let customers = new Set<string>();
let lookups = 0;

function answerLookups() {
  fakeBrowser.runtime.onMessage.addListener((raw: unknown) => {
    const message = raw as { type: string; people: { identities: { value: string }[] }[] };
    if (message.type !== 'lookupMany') return undefined;
    lookups++;
    return Promise.resolve({
      ok: true,
      data: message.people.map((p) => ({ customer: customers.has(p.identities[0]!.value.toLowerCase()) ? { id: 1 } : null, matchedIdentity: null, suggestions: [] })),
    });
  });
}

afterEach(() => {
  document.querySelectorAll('style[data-rafiq-badges]').forEach((style) => style.remove());
  fakeBrowser.reset();
  setLanguage('en');
  lookups = 0;
});

/** Visible text: t() wraps parameters in first-strong isolates (U+2068 … U+2069). */
const plain = (text: string | null | undefined) => text?.replace(/[\u2066-\u2069]/g, '');
const button = (handle: string) => document.querySelector<HTMLButtonElement>(`rafiq-badge[data-handle="${handle}"] > button`)!;
/** A click the browser would mark as made by a person (happy-dom has no isTrusted of its own). */
const trustedClick = (target: Element) => {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  target.dispatchEvent(event);
  return event;
};

describe('X badges', () => {
  test('a label, a tooltip and an aria-label that say who and what; refresh() repaints after a create', async () => {
    answerLookups();
    customers = new Set(['layla_haddad']);
    const doc = loadFixture('x', 'x-home-timeline-2026.html');
    document.body.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    const badges = new TweetBadges((article) => readTweet(article, HOME), () => undefined);
    const items = tweetItems(document, HOME);
    const unknown = badges.sync(items);
    expect(unknown.length).toBe(items.filter((i) => !i.item.placeholder && i.item.authorHandle).length);
    const stranger = items.find((i) => i.item.authorHandle && !customers.has(i.item.authorHandle.toLowerCase()))!.item.authorHandle;
    // Before the answer: "checking", never a bare letter.
    expect(button('layla_haddad').textContent).toBe('…');
    expect(plain(button('layla_haddad').getAttribute('aria-label'))).toBe('Rafiq is checking whether @layla_haddad is a customer');
    await badges.resolve(unknown);
    expect(button('layla_haddad').textContent).toBe('Customer');
    expect(button('layla_haddad').dataset.known).toBe('true');
    expect(button('layla_haddad').title).toBe('\u2068@layla_haddad\u2069 is a customer: show their card in Rafiq');
    expect(button(stranger).textContent).toBe('New');
    expect(plain(button(stranger).getAttribute('aria-label'))).toBe(`@${stranger} is not a customer yet: open in Rafiq to add or link them`);

    // The agent creates the stranger from the sidebar; the background says identityChanged.
    customers.add(stranger.toLowerCase());
    const before = lookups;
    expect(await badges.refresh()).toBe(true);
    expect(lookups).toBe(before + 1);
    expect(button(stranger).textContent).toBe('Customer');
    expect(button(stranger).dataset.known).toBe('true');
  });

  test('in Arabic, Persian and Turkish too', async () => {
    answerLookups();
    customers = new Set(['layla_haddad']);
    const doc = loadFixture('x', 'x-home-timeline-2026.html');
    document.body.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    const expected = { ar: ['عميل', 'عميل لدينا'], fa: ['مشتری', 'مشتری است'], tr: ['Müşteri', 'bir müşteri'] } as const;
    for (const [lang, [label, title]] of Object.entries(expected)) {
      setLanguage(lang as 'ar' | 'fa' | 'tr');
      document.querySelectorAll('rafiq-badge').forEach((b) => b.remove());
      const badges = new TweetBadges((article) => readTweet(article, HOME), () => undefined);
      await badges.resolve(badges.sync(tweetItems(document, HOME)));
      expect(button('layla_haddad').textContent, lang).toBe(label);
      expect(button('layla_haddad').getAttribute('aria-label'), lang).toContain(title);
    }
  });

  test('one delegated listener: a trusted click on a Rafiq badge selects its tweet; scripted clicks and look-alikes do nothing', async () => {
    answerLookups();
    customers = new Set(['layla_haddad']);
    const doc = loadFixture('x', 'x-home-timeline-2026.html');
    document.body.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    const selected: string[] = [];
    const badges = new TweetBadges((article) => readTweet(article, HOME), (tweet) => selected.push(tweet.authorHandle));
    await badges.resolve(badges.sync(tweetItems(document, HOME)));
    // Plain elements styled by one stylesheet in the document: no shadow root per badge.
    const layla = button('layla_haddad');
    expect(layla.parentElement!.shadowRoot).toBeNull();
    expect(document.querySelectorAll('style[data-rafiq-badges]')).toHaveLength(1);
    expect(layla.type).toBe('button');
    // What a person clicks reaches Rafiq, and X does not also get it (it would open the tweet).
    const clicked = trustedClick(layla);
    expect(selected).toEqual(['layla_haddad']);
    expect(clicked.defaultPrevented).toBe(true);
    // The page scripting a click on Rafiq's own button: nothing.
    layla.click();
    expect(selected).toEqual(['layla_haddad']);
    // A copy the page made (same markup, same attributes), clicked for real: not Rafiq's, nothing.
    const host = layla.parentElement!;
    const copy = host.cloneNode(true) as Element;
    const stranger = [...document.querySelectorAll('article[data-testid="tweet"]')].find((a) => !a.contains(host))!;
    stranger.querySelector('[data-testid="User-Name"]')!.append(copy);
    const copyClick = trustedClick(copy.querySelector('button')!);
    expect(selected).toEqual(['layla_haddad']);
    expect(copyClick.defaultPrevented).toBe(false);
    // ...and when that tweet is badged again, the copy goes and Rafiq's own badge stays.
    const strangerBadge = stranger.querySelector('rafiq-badge:not([data-handle="layla_haddad"])')!;
    strangerBadge.remove();
    badges.sync(tweetItems(document, HOME));
    expect(copy.isConnected).toBe(false);
    expect(stranger.querySelectorAll('rafiq-badge')).toHaveLength(1);
    // Invalidated: badges, listener and stylesheet go.
    badges.dispose();
    expect(document.querySelectorAll('rafiq-badge, style[data-rafiq-badges]')).toHaveLength(0);
    trustedClick(layla);
    expect(selected).toEqual(['layla_haddad']);
  });
});
