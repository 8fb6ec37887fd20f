import type { PageContext, Review, SiteId, Tweet } from '@shared/page-context';

/** Options the content script knows and the page does not (e.g. the agent's own addresses). */
export interface RecognizeOptions {
  /** The agent's own email addresses, normalized: never treated as the customer. */
  agentEmails?: readonly string[];
}

/** A review or tweet together with the element it was read from (for in-page buttons/badges). */
export interface PageItem<T> {
  element: Element;
  item: T;
}

/**
 * A site adapter is pure: it reads a document it is handed (a live page or a saved fixture) and
 * never touches the DOM at import time, so tests and `npm run recognize` use it in Node.
 */
export interface SiteAdapter {
  id: SiteId;
  /** Hosts the adapter reads, e.g. ['mail.google.com']; `*.` prefixes match subdomains. */
  hosts: readonly string[];
  recognize(doc: Document, url: URL, options?: RecognizeOptions): PageContext | undefined;
  /** Review cards with the element each came from (review sites). */
  reviewItems?(doc: Document | Element, url: URL): PageItem<Review>[];
  /** Tweets with their element (X). */
  tweetItems?(root: Document | Element, url: URL): PageItem<Tweet>[];
}
