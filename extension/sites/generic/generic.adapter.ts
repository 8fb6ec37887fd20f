import type { PageContext, Review } from '@shared/page-context';
import type { PageItem, SiteAdapter } from '../types';
import {
  absoluteUrl,
  cleanLine,
  documentOf,
  lineText,
  LIMITS,
  pageUrl,
  reviewsPage,
  schemaReviews,
  type Business,
  type Unreadable,
} from '../kit';
import { genericSelectors as S } from './generic.selectors';
import { siteHosts } from '../hosts';

function fallbackBusiness(doc: Document, url: URL): Business {
  const name =
    cleanLine(doc.querySelector(S.ogTitle)?.getAttribute('content')) || lineText(doc.querySelector(S.heading)) || cleanLine(doc.title) || url.hostname;
  return { name, url: absoluteUrl(doc.querySelector(S.canonical)?.getAttribute('href'), url) ?? pageUrl(url) };
}

function read(doc: Document, url: URL) {
  const found = schemaReviews(doc, url, 'generic', fallbackBusiness(doc, url));
  const items: PageItem<Review>[] = [];
  const reviews: Review[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  found.forEach(({ result, element }, index) => {
    if ('review' in result) {
      // The same review often appears twice (JSON-LD and microdata): first one wins.
      if (seen.has(result.review.reviewId) || reviews.length >= LIMITS.reviews) return;
      seen.add(result.review.reviewId);
      reviews.push(result.review);
      if (element) items.push({ element, item: result.review });
    } else if (unreadable.length < LIMITS.reviews) {
      unreadable.push({ position: index + 1, reviewerName: result.unreadable.reviewerName, reason: result.unreadable.reason });
    }
  });
  return { reviews, items, unreadable };
}

/**
 * Any other page with schema.org Reviews (shops, booking pages, blogs). Quiet by design: a page
 * without reviews is not recognized, and a challenge page on an arbitrary host is not reported.
 */
export const genericAdapter: SiteAdapter = {
  id: 'generic',
  hosts: siteHosts.generic.hosts,
  recognize(doc: Document, url: URL): PageContext | undefined {
    const { reviews, items, unreadable } = read(doc, url);
    if (reviews.length === 0 && unreadable.length === 0) return undefined;
    const business = reviews[0]?.business ?? fallbackBusiness(doc, url);
    const page = reviewsPage('generic', url, business, { items, unreadable });
    return page.kind === 'reviews' ? { ...page, reviews } : page;
  },
  reviewItems(root, url) {
    const doc = documentOf(root);
    // Cards inside the subtree, or the card around it (a node added inside a card).
    return read(doc, url).items.filter(({ element }) => root.contains(element) || (root !== doc && element.contains(root as Element)));
  },
};
