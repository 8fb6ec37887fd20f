import type { IdentityInput, IdentityKind } from './identity';
import type { Review } from './page-context';

const reviewKinds: readonly string[] = ['trustpilot', 'yelp', 'google', 'g2', 'amazon', 'sikayetvar', 'eshtki'];

/**
 * The identity a reviewer is known by: kind = the site (`web` for the generic schema.org
 * adapter), value = their profile URL, or their name when the site shows no profile link.
 * Shared so the sidebar looks up exactly what the server links.
 */
export function reviewerIdentity(review: Pick<Review, 'site' | 'reviewerProfileUrl' | 'reviewerName'>): IdentityInput {
  const kind = (reviewKinds.includes(review.site) ? review.site : 'web') as IdentityKind;
  return { kind, value: review.reviewerProfileUrl ?? review.reviewerName };
}

/** The unique origin of a complaint ticket: the same review never makes two tickets. */
export const complaintSourceKey = (site: string, reviewId: string) => `review:${site}:${reviewId}`;
