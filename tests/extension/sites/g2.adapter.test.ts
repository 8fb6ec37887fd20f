import { describe, expect, test } from 'vitest';
import { g2Adapter, stripTitleQuotes } from '../../../extension/sites/g2/g2.adapter';
import { expectReviewsPage, loadReviewFixture } from './review-fixture';

const FILE = 'g2-getemail-reviews-2023.html';
const URL_REVIEWS = 'https://www.g2.com/products/getemail/reviews';
const business = { name: 'GetEmail', url: URL_REVIEWS };

describe('product reviews page (real capture, 2023 microdata)', () => {
  const page = expectReviewsPage(g2Adapter.recognize(loadReviewFixture('g2', FILE), new URL(URL_REVIEWS)));

  test('business and every microdata review', () => {
    expect(page.business).toEqual(business);
    expect(page.reviews).toHaveLength(25);
    expect(page.unreadable).toEqual([]);
    expect(new Set(page.reviews.map((r) => r.reviewId)).size).toBe(25);
  });

  test.each([
    {
      index: 0,
      reviewId: '7308309',
      reviewerName: 'Eddy L.',
      profile: 'https://www.g2.com/users/48736028-da0d-49f8-96bf-16de7ac7adb2',
      iso: '2022-12-07',
      raw: 'Dec 07, 2022',
      title: 'GetEmail helped me explore 8 customers successfully so far!',
    },
    {
      index: 1,
      reviewId: '8059496',
      reviewerName: 'Aasma S.',
      profile: 'https://www.g2.com/users/fef7196f-751b-4d28-858e-d1aa6cb40350',
      iso: '2023-05-10',
      raw: 'May 10, 2023',
      title: 'One of the best AI backed tool for finding email addresses of the profiles.',
    },
  ])('review $index: $reviewerName (survey-response-$reviewId)', (expected) => {
    expect(page.reviews[expected.index]).toMatchObject({
      site: 'g2',
      reviewId: expected.reviewId,
      permalink: `https://www.g2.com/products/getemail/reviews/getemail-review-${expected.reviewId}`,
      reviewerName: expected.reviewerName,
      reviewerProfileUrl: expected.profile,
      rating: { value: 5, best: 5, worst: 0 },
      title: expected.title,
      date: { iso: expected.iso, raw: expected.raw, yearKnown: true },
      status: null,
      business,
      language: null,
    });
  });

  test('review text: the questions and answers, without the "Review collected by" boilerplate', () => {
    const text = page.reviews[0]!.text;
    expect(text.startsWith('What do you like best about GetEmail?\n\nI have been using GetEmail for almost half a year')).toBe(true);
    expect(text).toContain('What problems is GetEmail solving and how is that benefiting you?');
    expect(text).not.toContain('Review collected by and hosted on G2.com');
  });

  test('badges become tags', () => {
    expect(page.reviews[0]!.tags).toEqual(['Validated Reviewer', 'Verified Current User', 'Review source: Organic']);
  });

  test('half-star ratings come through (stars-9 = 4.5 on the card, 4.5 in microdata)', () => {
    const values = new Set(page.reviews.map((r) => r.rating?.value));
    expect([...values].every((v) => v !== undefined && v >= 0 && v <= 5)).toBe(true);
    expect(values.has(5)).toBe(true);
  });

  test('reviewItems gives the survey-response elements', () => {
    const items = g2Adapter.reviewItems!(loadReviewFixture('g2', FILE), new URL(URL_REVIEWS));
    expect(items.map((i) => i.element.id).slice(0, 2)).toEqual(['survey-response-7308309', 'survey-response-8059496']);
  });
});

test('single review URL sets focusReviewId', () => {
  const url = new URL('https://www.g2.com/products/getemail/reviews/getemail-review-8059496');
  expect(expectReviewsPage(g2Adapter.recognize(loadReviewFixture('g2', FILE), url)).focusReviewId).toBe('8059496');
});

test.each([
  ['"GetEmail helped me"', 'GetEmail helped me'],
  ['“Curly quotes”', 'Curly quotes'],
  ['No quotes', 'No quotes'],
  ['"Inner "quoted" word"', 'Inner "quoted" word'],
])('title %s → %s (G2 wraps titles in literal quotes: stripped)', (input, output) => {
  expect(stripTitleQuotes(input)).toBe(output);
});

test.each(['/products/getemail/pricing', '/categories/sales-intelligence', '/'])('%s is not a review page', (path) => {
  expect(g2Adapter.recognize(loadReviewFixture('g2', FILE), new URL(`https://www.g2.com${path}`))).toBeUndefined();
});
