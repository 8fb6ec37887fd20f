import { describe, expect, test } from 'vitest';
import { yelpAdapter } from '../../../extension/sites/yelp/yelp.adapter';
import { expectReviewsPage, loadReviewFixture, parseHtml } from './review-fixture';

const FILE = 'yelp-biz-rosinas-italian-oceanside-2016.html';
const BIZ = 'https://www.yelp.com/biz/rosinas-italian-restaurant-oceanside-oceanside';

describe('2016 microdata business page (real capture)', () => {
  const page = expectReviewsPage(yelpAdapter.recognize(loadReviewFixture('yelp', FILE), new URL(BIZ)));

  test('business and the 20 reviews', () => {
    expect(page.business).toEqual({ name: 'Rosina’s Italian Restaurant - Oceanside', url: BIZ });
    expect(page.reviews).toHaveLength(20);
    expect(page.unreadable).toEqual([]);
    expect(new Set(page.reviews.map((r) => r.reviewId)).size).toBe(20);
  });

  test.each([
    {
      index: 0,
      reviewId: '0BgqUbBo55isD2jqDsAUVA',
      reviewerName: 'Marcus C.',
      profile: 'https://www.yelp.com/user_details?userid=AoxLea6RXcwefB9L_eajGw',
      rating: 5,
      iso: '2016-03-24',
      raw: '3/24/2016',
      textStart: "My wife and I recently tried out Rosina's",
    },
    {
      index: 1,
      reviewId: 'cyB-zO5zdWbkKfkctXbhDA',
      reviewerName: 'Lawrence C.',
      profile: 'https://www.yelp.com/user_details?userid=nT-sNbcZDDo_9cWBPQSMQA',
      rating: 3,
      iso: '2016-04-17',
      raw: '4/17/2016',
      textStart: 'This small restaurant has the menu and quality',
    },
  ])('review $index: $reviewerName', (expected) => {
    const review = page.reviews[expected.index]!;
    expect(review).toMatchObject({
      site: 'yelp',
      reviewId: expected.reviewId,
      permalink: `${BIZ}?hrid=${expected.reviewId}`,
      reviewerName: expected.reviewerName,
      reviewerProfileUrl: expected.profile,
      rating: { value: expected.rating, best: 5, worst: 1 },
      title: null,
      date: { iso: expected.iso, raw: expected.raw, yearKnown: true },
      status: null,
      business: { name: 'Rosina’s Italian Restaurant - Oceanside', url: BIZ },
      tags: [],
      language: 'en',
    });
    expect(review.text.startsWith(expected.textStart)).toBe(true);
  });

  test('<br> in the review body becomes a line break, entities are decoded', () => {
    expect(page.reviews[0]!.text).toContain("the menu and specials.\nI started with a Cesar salad");
    expect(page.reviews[0]!.text).not.toContain('&#39;');
  });

  test('reviewItems: the microdata card elements, not the vote boxes that repeat data-review-id', () => {
    const items = yelpAdapter.reviewItems!(loadReviewFixture('yelp', FILE), new URL(BIZ));
    expect(items).toHaveLength(20);
    for (const { element } of items) expect(element.getAttribute('itemprop')).toBe('review');
  });
});

// No real capture of the React markup exists; this inline page only exercises the fallback path
// with the hooks the selectors file names (unverified against live Yelp).
describe('React markup fallback (synthetic, unverified)', () => {
  const html = `<!DOCTYPE html><html lang="en"><body><h1>Tartine Bakery</h1>
    <section aria-label="Recommended Reviews"><ul>
      <li><div><a href="/user_details?userid=abcDEF123"><img alt="Photo of Ana R."></a><a href="/user_details?userid=abcDEF123">Ana R.</a></div>
        <div role="img" aria-label="4 star rating"></div><span>Mar 5, 2024</span>
        <p class="comment__09f24__D0cxf"><span lang="en">Great croissants, long line.</span></p>
        <a href="/biz/tartine-bakery-san-francisco?hrid=RevId_001&amp;utm_campaign=www_review_share_popup">Share</a></li>
      <li><div><a href="/user_details?userid=zzz999">Bo K.</a></div><div role="img" aria-label="1 star rating"></div>
        <p class="comment__09f24__D0cxf"><span lang="en">No hrid link in this card.</span></p></li>
    </ul></section></body></html>`;
  const url = new URL('https://www.yelp.com/biz/tartine-bakery-san-francisco');
  const page = expectReviewsPage(yelpAdapter.recognize(parseHtml(html), url));

  test('reads name, profile, stars, date, text and the hrid id', () => {
    expect(page.business).toEqual({ name: 'Tartine Bakery', url: url.href });
    expect(page.reviews).toEqual([
      {
        site: 'yelp',
        reviewId: 'RevId_001',
        permalink: `${url.href}?hrid=RevId_001`,
        reviewerName: 'Ana R.',
        reviewerProfileUrl: 'https://www.yelp.com/user_details?userid=abcDEF123',
        rating: { value: 4, best: 5, worst: 1 },
        title: null,
        text: 'Great croissants, long line.',
        date: { iso: '2024-03-05', raw: 'Mar 5, 2024', yearKnown: true },
        status: null,
        business: { name: 'Tartine Bakery', url: url.href },
        tags: [],
        language: 'en',
      },
    ]);
  });

  test('a card without a review id is unreadable, not invented', () => {
    expect(page.unreadable).toEqual([{ position: 2, reviewerName: 'Bo K.', reason: 'no review id or permalink' }]);
  });
});

test.each(['/search?find_desc=pizza', '/user_details?userid=AoxLea6RXcwefB9L_eajGw', '/biz_photos/rosinas'])('%s is not a business page', (path) => {
  expect(yelpAdapter.recognize(loadReviewFixture('yelp', FILE), new URL(`https://www.yelp.com${path}`))).toBeUndefined();
});
