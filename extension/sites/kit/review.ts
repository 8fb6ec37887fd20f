import type { PageContext, PageContextOf, Review, SiteId } from '@shared/page-context';
import { LIMITS } from '@shared/limits';
import type { PageItem } from '../types';
import type { ReviewDate } from './date';
import type { Rating } from './rating';
import { cleanBlock, cleanLine, cleanName } from './text';
import { pageUrl } from './url';

export interface Business {
  name: string;
  url: string | null;
}

export type Unreadable = PageContextOf<'reviews'>['unreadable'][number];

/** What an adapter read off one card: a review, or why it could not be read. */
export type CardResult = { review: Review } | { unreadable: { reviewerName: string | null; reason: string } };

export interface ReviewDraft {
  site: SiteId;
  reviewId: string | null;
  permalink: string | null;
  reviewerName: string | null;
  reviewerProfileUrl: string | null;
  rating: Rating | null;
  title: string | null;
  text: string | null;
  date: ReviewDate;
  status?: Review['status'];
  business: Business;
  tags?: string[];
  language?: string | null;
}

/**
 * A Review from what a card gave, bounded to the schema, or the reason it is unreadable: no
 * name, no text, or no id. A wrong review is worse than none, so nothing is guessed here.
 */
export function finishReview(draft: ReviewDraft): CardResult {
  const reviewerName = cleanName(draft.reviewerName);
  const text = cleanBlock(draft.text, LIMITS.text);
  const reviewId = cleanLine(draft.reviewId, LIMITS.reviewId);
  if (!reviewerName) return { unreadable: { reviewerName: null, reason: 'no reviewer name (the markup may have changed)' } };
  if (!text) return { unreadable: { reviewerName, reason: 'no review text (a rating-only review, or the markup changed)' } };
  if (!reviewId) return { unreadable: { reviewerName, reason: 'no review id or permalink' } };
  const title = draft.title ? cleanLine(draft.title, LIMITS.title) || null : null;
  const tags = (draft.tags ?? [])
    .map((tag) => cleanLine(tag, LIMITS.tag))
    .filter(Boolean)
    .slice(0, LIMITS.tags);
  const language = draft.language ? cleanLine(draft.language, LIMITS.language) || null : null;
  const permalink = draft.permalink && draft.permalink.length <= LIMITS.url ? draft.permalink : null;
  const profile = draft.reviewerProfileUrl && draft.reviewerProfileUrl.length <= LIMITS.url ? draft.reviewerProfileUrl : null;
  return {
    review: {
      site: draft.site,
      reviewId,
      permalink,
      reviewerName,
      reviewerProfileUrl: profile,
      rating: draft.rating,
      title,
      text,
      date: draft.date,
      status: draft.status ?? null,
      business: boundBusiness(draft.business),
      tags: [...new Set(tags)],
      language,
    },
  };
}

export function boundBusiness(business: Business): Business {
  return {
    name: cleanLine(business.name, LIMITS.business),
    url: business.url && business.url.length <= LIMITS.url ? business.url : null,
  };
}

/**
 * Reads every card with `read`; readable ones become items (deduplicated by review id, first
 * wins), the others unreadable entries with their 1-based position among the cards.
 */
export function readCards(
  cards: Element[],
  read: (card: Element, index: number) => CardResult,
): { items: PageItem<Review>[]; unreadable: Unreadable[] } {
  const items: PageItem<Review>[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  cards.forEach((card, index) => {
    let result: CardResult;
    try {
      result = read(card, index);
    } catch (error) {
      result = { unreadable: { reviewerName: null, reason: cleanLine(`could not read the card: ${String(error)}`, LIMITS.reason) } };
    }
    if ('review' in result) {
      if (seen.has(result.review.reviewId)) return;
      seen.add(result.review.reviewId);
      if (items.length < LIMITS.reviews) items.push({ element: card, item: result.review });
    } else if (unreadable.length < LIMITS.reviews) {
      unreadable.push({
        position: index + 1,
        reviewerName: result.unreadable.reviewerName ? cleanName(result.unreadable.reviewerName) || null : null,
        reason: cleanLine(result.unreadable.reason, LIMITS.reason),
      });
    }
  });
  return { items, unreadable };
}

/** Cards under `root`, including `root` itself when it is one (reviewItems gets subtrees). */
export function cardsIn(root: Document | Element, selector: string): Element[] {
  const found = [...root.querySelectorAll(selector)];
  if ('matches' in root && root.matches(selector)) found.unshift(root);
  return found;
}

export function documentOf(root: Document | Element): Document {
  return 'documentElement' in root ? root : (root.ownerDocument ?? (root as unknown as Document));
}

export function reviewsPage(
  site: SiteId,
  url: URL,
  business: Business,
  read: { items: PageItem<Review>[]; unreadable: Unreadable[] },
  focusReviewId: string | null = null,
): PageContext {
  return {
    kind: 'reviews',
    site,
    url: pageUrl(url),
    business: boundBusiness(business),
    reviews: read.items.map((item) => item.item),
    unreadable: read.unreadable,
    focusReviewId: focusReviewId ? cleanLine(focusReviewId, LIMITS.reviewId) || null : null,
  };
}

/** First non-empty result of `pick` over the selectors, in order (newest markup first). */
export function firstOf<T>(selectors: readonly string[], root: ParentNode, pick: (el: Element) => T | null | undefined): T | null {
  for (const selector of selectors) {
    for (const el of root.querySelectorAll(selector)) {
      const value = pick(el);
      if (value !== null && value !== undefined && value !== '') return value;
    }
  }
  return null;
}

/** The element's `lang`, or its nearest ancestor's up to (and including) `stop`. */
export function langOf(el: Element | null, stop: Element): string | null {
  for (let node: Element | null = el; node; node = node.parentElement) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    if (node === stop) break;
  }
  return null;
}
