/**
 * Şikayetvar selectors. Two page states:
 * - "brand 2024": a brand's complaint list, server HTML of https://www.sikayetvar.com/turkcell
 *   captured 2024-05-21 (tests/fixtures/pages/sikayetvar/sikayetvar-brand-turkcell-2024.html).
 *   Verified. Category pages (/<brand>/<category>) use the same cards.
 * - "detail (unverified)": a single complaint /<brand>/<slug>. No real capture exists; the
 *   selectors are the ones public scrapers of the current layout use (see README), and the
 *   fixture for it is rebuilt from them.
 * JSON-LD `Review` objects (author, headline, full reviewBody, datePublished WITH the year)
 * complete the cards, whose text is a teaser and whose date has no year.
 */
export const sikayetvarSelectors = {
  /** brand 2024: complaint cards; data-id is Şikayetvar's complaint id. */
  card: ['article.card-v2[data-id]', 'article[data-ga-element="Complaint_Card"][data-id]'],
  /** brand 2024: title link; its href is the complaint permalink /<brand>/<slug>. */
  titleLink: ['h2.complaint-title a.complaint-layer', 'a[data-complaint-link]', 'h2 a[href]'],
  /** brand 2024 and detail: author name; a span whose profile path is base64 in data-url. */
  username: ['span.username', '.profile-name-wrap [data-url]', '.username'],
  /** brand 2024 and detail: time without a year, full text in the title attribute ("21 Mayıs 20:46"). */
  time: ['div.js-tooltip.time[title]', '.post-time .time', 'time[datetime]'],
  /** brand 2024: teaser text (ends with an ellipsis span). */
  teaser: ['p.complaint-description', '.complaint-description'],
  /** brand 2024: collection tags ("#Hat Taşıma"). */
  tags: '.keyword-container a',
  /** brand 2024: a complainant's rating of the outcome (1–5 stars), shown on some cards. */
  ratingNumber: '.card-header .rating .rate-num, .rating .rate-num',
  /** detail (unverified): title, full description, the brand's public answer. */
  detailTitle: 'h1.complaint-detail-title',
  detailText: ['div.complaint-detail-description', '.complaint-detail-description'],
  brandAnswer: '.brand-answer, .complaint-answer-container .brand-answer, [data-ga-element="Brand_Answer"]',
  /** detail (unverified): the complaint id is repeated on the view counter. */
  detailId: '[data-complaint-id], .js-view-count[data-id], article[data-id]',
  /** brand 2024: brand name (title attribute is the clean name; the text also holds a badge image). */
  brandName: 'h1.brand-name',
} as const;
