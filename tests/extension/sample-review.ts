import type { Review } from '@shared/page-context';

/**
 * A Trustpilot review as the adapters read it, for tests: a one-star "Never again" unless
 * `overrides` say otherwise. Permalink and profile follow the review id and reviewer.
 */
export function sampleReview(overrides: Partial<Review> & { reviewId?: string; reviewerName?: string } = {}): Review {
  const reviewId = overrides.reviewId ?? 'rev-1';
  const reviewerName = overrides.reviewerName ?? 'Ali K.';
  return {
    site: 'trustpilot',
    reviewId,
    permalink: `https://www.trustpilot.com/reviews/${reviewId}`,
    reviewerName,
    reviewerProfileUrl: `https://www.trustpilot.com/users/${reviewId}`,
    rating: { value: 1, best: 5, worst: 1 },
    title: 'Never again',
    text: 'Parcel lost, no answer.',
    date: { iso: '2026-11-01T10:00:00.000Z', raw: '1 Nov 2026', yearKnown: true },
    status: null,
    business: { name: 'Rafiq Shop', url: 'https://www.trustpilot.com/review/rafiq.example' },
    tags: [],
    language: 'en',
    ...overrides,
  } as Review;
}
