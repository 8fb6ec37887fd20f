import type { PageContext, Review, SiteId } from '@shared/page-context';
import type { PageItem, SiteAdapter } from '../types';
import { blockedPage, isBlockedPage } from './blocked-page';
import { reviewsPage, type Business, type Unreadable } from './review';

/** What a review site's reader found under a root: the business and its cards, read. */
export interface ReviewsRead {
  business: Business;
  items: PageItem<Review>[];
  unreadable: Unreadable[];
}

export interface ReviewSiteDefinition<Match, Read extends ReviewsRead> {
  id: SiteId;
  /** The hosts, from the site's declaration in `extension/sites/hosts.ts` (the manifest matches come from there too). */
  hosts: readonly string[];
  /**
   * Whether the URL is one of the site's review pages; a truthy result (e.g. a path match) is
   * handed to `focusReviewId`. Absent: every page of the hosts is tried.
   */
  matchPage?(url: URL): Match | null | undefined | false;
  /**
   * The business and the review cards under `root`: the document, or a subtree the page added
   * later (`reviewItems`, for the buttons). Cards are read with `cardsIn` + `readCards`.
   */
  readItems(root: Document | Element, url: URL): Read;
  /** The review a single-review URL names. */
  focusReviewId?(match: Match, read: Read): string | null;
  /**
   * What to say about a page of the site with no review card at all: by default the empty reviews
   * page ("no reviews here"); `undefined` when such a page may not be a review page after all.
   */
  whenEmpty?(doc: Document, url: URL, read: Read): PageContext | undefined;
}

/**
 * A review or complaint site's adapter from its parts. Every one of them does the same in the same
 * order: is this a review page → did the site answer with a challenge or an error instead → read the
 * cards → the page (or, with nothing on it, what `whenEmpty` says); and its `reviewItems` is the
 * same reader on a subtree.
 */
export function defineReviewSite<Match, Read extends ReviewsRead>(site: ReviewSiteDefinition<Match, Read>): SiteAdapter {
  return {
    id: site.id,
    hosts: site.hosts,
    recognize(doc: Document, url: URL): PageContext | undefined {
      const match = site.matchPage ? site.matchPage(url) : (true as Match);
      if (!match) return undefined;
      const blocked = isBlockedPage(doc);
      if (blocked) return blockedPage(site.id, url, blocked);
      const read = site.readItems(doc, url);
      if (read.items.length === 0 && read.unreadable.length === 0 && site.whenEmpty) return site.whenEmpty(doc, url, read);
      return reviewsPage(site.id, url, read.business, read, site.focusReviewId?.(match, read) ?? null);
    },
    reviewItems(root, url) {
      return site.readItems(root, url).items;
    },
  };
}
