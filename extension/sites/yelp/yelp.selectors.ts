/**
 * Yelp selectors. Two markup eras:
 * - "React" (2019–today): hashed CSS-module classes; NO saved page exists, so these selectors
 *   are inferred from public scrapers and are unverified (see README). Tried first.
 * - "2016" (pre-React, tests/fixtures/pages/yelp/yelp-biz-rosinas-italian-oceanside-2016.html):
 *   schema.org microdata on every review card. Verified.
 */
export const yelpSelectors = {
  /** 2016: review cards are microdata Reviews with the Yelp id (the footer vote box repeats data-review-id, so itemprop is required). */
  card2016: '[itemprop="review"][data-review-id]',
  /** React (unverified): review list items; a card must hold a user link and a star label. */
  cardReact: 'li',
  /** React (unverified) and 2016: the user profile link /user_details?userid=… */
  userLink: ['a.user-display-name', 'a[href*="/user_details?userid="]'],
  /** React (unverified): star label "5 star rating" on a role=img div. 2016 uses microdata instead. */
  starLabel: '[role="img"][aria-label*="star rating" i]',
  /** 2016: visible date next to the stars ("3/24/2016"); the ISO date is microdata datePublished. */
  visibleDate2016: '.rating-qualifier',
  /** React (unverified): comment body, Yelp marks its language on a span. */
  textReact: ['p[class*="comment"] span[lang]', 'span[lang]'],
  /** React (unverified): the review id appears in share/“read more” links as ?hrid=<id>. */
  hridLink: 'a[href*="hrid="]',
  /** Business name: 2016 h1 carries itemprop=name; React has a plain h1. */
  businessName: ['h1[itemprop="name"]', 'h1.biz-page-title', 'h1'],
} as const;
