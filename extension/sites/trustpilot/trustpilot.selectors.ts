/**
 * Trustpilot selectors. Era "2025" = the server-rendered Next.js markup of May–July 2025
 * (tests/fixtures/pages/trustpilot/trustpilot-it-studiosamo-2025.html): stable `data-*`
 * hooks beside CSS-module classes, which change every deploy and are never used here.
 * Fallbacks are ordered newest markup first; JSON-LD (`@graph` with Review nodes) is the
 * cross-check and the fallback for text, name and language.
 */
export const trustpilotSelectors = {
  /** 2025: every review card (main list AND the "relevant reviews" carousel above it). */
  cardPaper: 'article[data-service-review-card-paper]',
  /**
   * 2025: only main-list cards carry the star rating hook; the 4 carousel cards do not and
   * repeat reviews of the list with truncated text, so cards without it are skipped.
   */
  cardRating: '[data-service-review-rating]',
  /** 2025: reviewer display name. */
  reviewerName: ['[data-consumer-name-typography]', 'aside[aria-label] [class*="consumerName"]'],
  /** 2025: link to /users/<id>; the attribute hook first, then any /users/ link. */
  reviewerProfile: ['a[data-consumer-profile-link]', 'a[href*="/users/"]'],
  /** 2025: star image alt, e.g. "Valutata 5 stelle su 5" (fallback when the attribute has no number). */
  ratingImage: '[data-service-review-rating] img[alt]',
  /** 2025: publication time, `datetime` is ISO. */
  time: ['time[data-service-review-date-time-ago]', 'time[datetime]'],
  /** 2025: review title (Trustpilot fills it from the text's start when the author gave none). */
  title: ['[data-service-review-title-typography]', 'h2'],
  /** 2025: the title link is the permalink /reviews/<id>. */
  permalink: ['a[data-review-title-typography]', 'a[href*="/reviews/"]'],
  /** 2025: review body. */
  text: ['[data-service-review-text-typography]'],
  /** Company reply block (unverified: no saved page with a reply; hook named like the others). */
  businessReply: '[data-service-review-business-reply-text-typography], [data-service-review-business-reply]',
  /** 2025 company page: display name inside h1 (the h1 also holds "Recensioni 43"). */
  businessName: ['h1 [class*="displayName"]', 'h1 span'],
  /** Single review page: link to the company page /review/<domain>. */
  businessLink: 'a[href*="/review/"]',
} as const;
