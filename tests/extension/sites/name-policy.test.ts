import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { foldName } from '@shared/normalize';
import { cleanPersonName } from '@shared/text';
import type { PageContext } from '@shared/page-context';
import { gmailAdapter } from '../../../extension/sites/gmail/gmail.adapter';
import { genericAdapter } from '../../../extension/sites/generic/generic.adapter';
import { xAdapter } from '../../../extension/sites/x/x.adapter';

/**
 * Issue 17, "the right person in the data": the same person read from Gmail, X and a review site
 * folds to the same key. Each adapter gets a minimal page of its own markup with the name in the
 * sender / author slot; the names are generated with what real pages carry (ZWNJ inside Persian
 * names, ZWSP, bidi controls, NBSP, combining marks, Turkish İ/ı, Arabic/Persian letter variants).
 */

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

function fromGmail(name: string): string {
  const doc = parse(`<html><body><div role="main">
    <h2 class="hP" data-legacy-thread-id="18c2a1f0d4e5b6a7">Order question</h2>
    <div class="adn ads" data-legacy-message-id="18c2a1f0d4e5b6a7">
      <h3 class="iw"><span class="gD" email="someone@example.org" name="${escapeHtml(name)}">${escapeHtml(name)}</span></h3>
      <span class="g3" title="Mon, Jan 8, 2024, 10:14 AM">Jan 8</span>
      <div class="ii gt"><div class="a3s">Hello</div></div>
    </div></div></body></html>`);
  const context = gmailAdapter.recognize(doc, new URL('https://mail.google.com/mail/u/0/#inbox/18c2a1f0d4e5b6a7'));
  if (context?.kind !== 'email-thread') throw new Error(`gmail: no thread (${context?.kind})`);
  return context.customer?.displayName ?? '(no customer)';
}

function fromX(name: string): string {
  // The display name as X renders it: text spans inside the User-Name block, then the @handle.
  const doc = parse(`<html><body><main><div data-testid="primaryColumn"><div data-testid="cellInnerDiv">
    <article data-testid="tweet" role="article" tabindex="0">
      <div data-testid="User-Name">
        <a href="/someone" role="link"><div dir="ltr"><span>${escapeHtml(name)}</span></div></a>
        <a href="/someone" role="link" tabindex="-1"><div dir="ltr"><span>@someone</span></div></a>
        <a href="/someone/status/1858000000000000001" role="link"><time datetime="2024-11-17T09:00:00.000Z">Nov 17</time></a>
      </div>
      <div data-testid="tweetText" lang="en"><span>My order is late</span></div>
    </article></div></div></main></body></html>`);
  const context = xAdapter.recognize(doc, new URL('https://x.com/someone/status/1858000000000000001'));
  if (context?.kind !== 'x-status') throw new Error(`x: no status (${context?.kind})`);
  return context.tweet.authorName;
}

function fromReviewSite(name: string): string {
  const jsonLd = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'Review',
    itemReviewed: { '@type': 'Organization', name: 'Rafiq Shop', url: 'https://shop.example' },
    author: { '@type': 'Person', name },
    reviewBody: 'Late again.',
    reviewRating: { '@type': 'Rating', ratingValue: '1', bestRating: '5' },
    url: '/reviews/1',
  }).replace(/</g, '\\u003c');
  const doc = parse(`<html><head><script type="application/ld+json">${jsonLd}</script></head><body></body></html>`);
  const context: PageContext | undefined = genericAdapter.recognize(doc, new URL('https://reviews.example/reviews/1'));
  if (context?.kind !== 'reviews') throw new Error(`review site: no reviews (${context?.kind})`);
  return context.reviews[0]!.reviewerName;
}

const adapters = { gmail: fromGmail, x: fromX, review: fromReviewSite } as const;

// Letters people's names are made of, with the variants sites write for the same letter.
const LETTERS = ['a', 'b', 'e', 'k', 'L', 'M', 'r', 'y', 'İ', 'ı', 'I', 'i', 'ş', 'ö', 'é', 'ñ', 'ي', 'ی', 'ى', 'ك', 'ک', 'ة', 'ه', 'أ', 'ا', 'إ', 'م', 'ح', 'س', 'د', 'ن', 'Ж', 'д', 'Ω', 'λ'];
// What pages put between or inside those letters: nothing, a combining mark, a tatweel, invisible characters.
const INSIDE = ['', '', '', '\u0301', '\u0308', '\u0651', '\u0640', '\u200b', '\u200e', '\u200f', '\u202e', '\u2067', '\u2069', '\ufeff', '\u2060', '\u061c'];
// Word separators: space, NBSP, ZWNJ (Persian compound names), runs with invisible characters.
const BETWEEN = [' ', '\u00a0', '\u200c', ' \u200b', '\u202a \u202c', '  ', '\u200c\u200f'];

const word = fc.array(fc.tuple(fc.constantFrom(...LETTERS), fc.constantFrom(...INSIDE)), { minLength: 1, maxLength: 6 }).map((parts) => parts.map(([l, m]) => l + m).join(''));
const name = fc
  .tuple(fc.array(fc.tuple(word, fc.constantFrom(...BETWEEN)), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ' ', '\u200f', '\u00a0'))
  .map(([words, edge]) => edge + words.map(([w, sep], i) => (i ? sep : '') + w).join('') + edge);

describe('one policy for invisible characters in names, in every adapter', () => {
  test('the same name read from Gmail, X and a review site is displayed and folded alike', () => {
    fc.assert(
      fc.property(name, (raw) => {
        const expected = cleanPersonName(raw);
        fc.pre(foldName(expected) !== '');
        const read = Object.fromEntries(Object.entries(adapters).map(([site, read]) => [site, read(raw)]));
        // Display: exactly the shared policy's cleaning (ZWNJ kept), whichever site showed it.
        expect(read).toEqual({ gmail: expected, x: expected, review: expected });
        // Identity: one folded key, with no invisible character left in it.
        const keys = new Set(Object.values(read).map(foldName));
        expect(keys.size).toBe(1);
        expect([...keys][0]).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\u00a0]/);
        // And the fold does not depend on whether the invisible characters were there at all.
        expect(foldName(raw)).toBe([...keys][0]);
      }),
      { seed: 17_2026, numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });

  test.each([
    ['Persian ZWNJ is kept for display and is a word break when folded', 'مهسا\u200cسادات رضایی', 'مهسا\u200cسادات رضایی', 'مهسا سادات رضايي'],
    ['bidi override and ZWSP are stripped', '\u202eLayla\u200b Haddad\u202c', 'Layla Haddad', 'layla haddad'],
    ['NBSP is a space', 'Mehmet\u00a0Yılmaz', 'Mehmet Yılmaz', 'mehmet yilmaz'],
    ['Turkish İ and combining accents', 'İrem Şahin', 'İrem Şahin', 'irem sahin'],
    ['Arabic letter variants (keheh, Persian yeh)', 'کریم', 'کریم', 'كريم'],
  ])('%s', (_why, raw, display, folded) => {
    for (const [site, read] of Object.entries(adapters)) {
      expect(read(raw), site).toBe(display);
      expect(foldName(read(raw)), site).toBe(folded);
    }
  });
});
