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
  fakeBrowser.reset();
  setLanguage('en');
  lookups = 0;
});

/** Visible text: t() wraps parameters in first-strong isolates (U+2068 … U+2069). */
const plain = (text: string | null | undefined) => text?.replace(/[\u2066-\u2069]/g, '');
const button = (handle: string) => document.querySelector(`rafiq-badge[data-handle="${handle}"]`)!.shadowRoot!.querySelector('button')!;

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
});
