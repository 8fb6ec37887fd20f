/**
 * G2 selectors. Era "2023" = the server-rendered product review page captured 15 May 2023
 * (tests/fixtures/pages/g2/g2-getemail-reviews-2023.html). Reviews are schema.org microdata,
 * which is what this adapter reads first; class names (utility classes such as `d-f`, `fw-semibold`)
 * are avoided. No newer capture exists; the microdata has been stable across G2 redesigns
 * because G2 relies on it for search rich results.
 */
export const g2Selectors = {
  /** 2023: one microdata Review per card, id "survey-response-<G2 id>". */
  card: ['[itemprop="review"][id^="survey-response-"]', '[itemprop="review"][itemtype*="schema.org/Review"]'],
  /** 2023: reviewer profile link (also in author microdata as url). */
  profileLink: 'a[href*="g2.com/users/"], a[href^="/users/"]',
  /** 2023: visible date; the "(Original …)" date of an updated review sits in a separate span. */
  visibleDate: ['.x-current-review-date time', 'time[datetime]'],
  /** 2023: "Copy Review URL" button holds the canonical review URL. */
  permalink: ['[data-clipboard-text*="-review-"]', 'a[href*="/survey_responses/"]', 'a[href*="-review-"]'],
  /** 2023: boilerplate appended to every answer ("Review collected by and hosted on G2.com."). */
  boilerplate: '.spht',
  /** 2023: badges such as "Validated Reviewer", "Review source: Organic". */
  tags: '.tags--teal .tag',
  /** 2023: h1 "GetEmail Reviews & Product Details" (the product name is in microdata first). */
  heading: 'h1',
} as const;
