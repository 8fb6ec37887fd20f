import { describe, expect, test } from 'vitest';
import { contributorUrl, googleAdapter } from '../../../extension/sites/google/google.adapter';
import { expectReviewsPage, loadReviewFixture } from './review-fixture';

// Rebuilt fixture (not a capture): see tests/fixtures/pages/google/README.md.
const FILE = 'google-maps-place-reviews-rebuilt.html';
const url = new URL('https://www.google.com/maps/place/Example+Coffee+Roasters/@37.7749,-122.4194,17z/data=!4m8!3m7!1s0x0:0x1!8m2!3d37.7!4d-122.4!9m1!1b1');

describe('place panel, Reviews tab', () => {
  const page = expectReviewsPage(googleAdapter.recognize(loadReviewFixture('google', FILE), url));
  const business = { name: 'Example Coffee Roasters', url: url.href };

  test('business from the panel heading; 3 readable reviews; the rating-only one is listed as unreadable', () => {
    expect(page.business).toEqual(business);
    expect(page.reviews.map((r) => r.reviewerName)).toEqual(['Dana Whitfield', 'Marco Bellini', 'ليلى الحسيني']);
    expect(page.unreadable).toEqual([
      { position: 4, reviewerName: 'Chris P', reason: 'no review text (a rating-only review, or the markup changed)' },
    ]);
  });

  test.each([
    {
      index: 0,
      reviewId: 'ChZDSUhNMG9nS0VJQ0FnSUNqd0pyWUVREAE',
      reviewerName: 'Dana Whitfield',
      contrib: '108772145092338756241',
      stars: 5,
      raw: '2 months ago',
      text: "Great pour-over and friendly baristas. The oat flat white was the best I've had in town.\nSeating fills up fast on weekends, so come early.",
      status: null,
      language: 'en',
    },
    {
      index: 1,
      reviewId: 'ChdDSUhNMG9nS0VJQ0FnSURSdTlPaDRRRRAB',
      reviewerName: 'Marco Bellini',
      contrib: '117234509881234567890',
      stars: 2,
      raw: 'a year ago',
      text: 'Waited 25 minutes for a latte and it arrived cold. Staff apologised but nobody offered to remake it.',
      status: 'answered' as const,
      language: 'en',
    },
    {
      index: 2,
      reviewId: 'ChZDSUhNMG9nS0VJQ0FnSURMNG9yZ0pREAE',
      reviewerName: 'ليلى الحسيني',
      contrib: '100998877665544332211',
      stars: 1,
      raw: '3 weeks ago',
      text: 'الطلب وصل ناقص ولم يرد أحد على الهاتف.',
      status: null,
      language: 'ar',
    },
  ])('$reviewerName', (expected) => {
    expect(page.reviews[expected.index]).toEqual({
      site: 'google',
      reviewId: expected.reviewId,
      permalink: null,
      reviewerName: expected.reviewerName,
      reviewerProfileUrl: `https://www.google.com/maps/contrib/${expected.contrib}`,
      rating: { value: expected.stars, best: 5, worst: 1 },
      title: null,
      text: expected.text,
      // Relative dates are never turned into a guessed date.
      date: { iso: null, raw: expected.raw, yearKnown: false },
      status: expected.status,
      business,
      tags: [],
      language: expected.language,
    });
  });

  test('the owner response is not mistaken for the review text', () => {
    expect(page.reviews[1]!.text).not.toContain('Hi Marco');
  });

  test('reviewItems: one element per card (inner buttons repeat data-review-id)', () => {
    const items = googleAdapter.reviewItems!(loadReviewFixture('google', FILE), url);
    expect(items).toHaveLength(3);
    for (const { element } of items) expect(element.classList.contains('jftiEf')).toBe(true);
  });
});

test.each([
  ['https://www.google.com/maps/contrib/108772145092338756241/reviews?hl=en', 'https://www.google.com/maps/contrib/108772145092338756241'],
  ['/maps/contrib/117234509881234567890', 'https://www.google.com/maps/contrib/117234509881234567890'],
  ['https://www.google.com/maps/place/x', null],
  ['javascript:alert(1)', null],
])('contributorUrl(%s) → %s', (href, expected) => {
  expect(contributorUrl(href, url)).toBe(expected);
});

test.each(['https://www.google.com/search?q=coffee', 'https://www.google.com/maps/@37.7,-122.4,14z', 'https://maps.google.com/'])('%s is not a place panel', (href) => {
  expect(googleAdapter.recognize(loadReviewFixture('google', FILE), new URL(href))).toBeUndefined();
});
