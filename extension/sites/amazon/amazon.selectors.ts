/**
 * Amazon selectors. Era "2024" = product detail pages with the "Top reviews" block, markup of
 * late 2023 / early 2024 (tests/fixtures/pages/amazon/*-2024.html, US and ES locales). Amazon's
 * `data-hook` attributes are the stable hooks (they have survived every redesign since ~2017);
 * `a-*` classes come from Amazon's UI framework and change rarely. No schema.org on these pages.
 */
export const amazonSelectors = {
  /** 2024: one card per review, id = review id (R…). Older/other pages: the inner customer_review-<id>. */
  card: ['[data-hook="review"]', 'div[id^="customer_review-"]'],
  /** 2024: reviewer display name (also used by "from other countries" cards, which have no profile link). */
  reviewerName: ['.a-profile-name'],
  /** 2024: profile link /gp/profile/amzn1.account.…/ref=… (absent for some foreign reviews). */
  profileLink: ['a.a-profile[href]', 'a[href*="/gp/profile/"]'],
  /** 2024: star label "5.0 out of 5 stars" / "5,0 de 5 estrellas"; cmps-… on "from other countries" cards. */
  starLabel: [
    '[data-hook="review-star-rating"] .a-icon-alt',
    '[data-hook="cmps-review-star-rating"] .a-icon-alt',
    'i[class*="a-star-"] .a-icon-alt',
  ],
  /** 2024: the title anchor (its href is the permalink); foreign cards use a span with the same hook. */
  title: '[data-hook="review-title"]',
  /** 2024: "Reviewed in the United States on August 2, 2021". */
  date: '[data-hook="review-date"]',
  /** 2024: marks a "Top reviews from other countries" card (review from another marketplace). */
  foreignMarker: '[id^="customer_review_foreign-"]',
  /** 2024: review body; the "Read more" expander header and video blocks are not text. */
  body: '[data-hook="review-body"]',
  bodyNoise: '.a-expander-header, [data-hook="expand-collapse-read-more-less"], [id^="video-block"], .video-block, .cr-video-desktop',
  /** 2024: "Verified Purchase" / "Compra verificada" badge, kept as a tag. */
  badges: '[data-hook="avp-badge"], [data-hook="avp-badge-linkless"]',
  /** Product name: detail page (#productTitle), all-reviews page (product link in the header). */
  productTitle: ['#productTitle', '[data-hook="product-link"]', '#title'],
} as const;
