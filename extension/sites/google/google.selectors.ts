/**
 * Google Maps place panel, "Reviews" tab (google.com/maps/place/…). NO real capture exists:
 * these are the obfuscated class names that public scrapers of Google Maps reviews have used
 * from 2022 to 2025 (see README for the list of sources), and the fixture is rebuilt from them.
 * Google renames such classes without notice, so stable hooks (data-review-id, role=img with an
 * aria-label, /maps/contrib/ links, lang) come first and classes are the fallback.
 */
export const googleSelectors = {
  /** 2022–2025: one card per review; inner buttons repeat data-review-id, so only the outermost counts. */
  card: ['div.jftiEf[data-review-id]', 'div[data-review-id][aria-label][jsaction]', 'div[data-review-id][aria-label]'],
  /** 2022–2025: reviewer name; the card's aria-label repeats it. */
  reviewerName: ['.d4r55', '.WNxzHc .d4r55', 'button[data-href*="/maps/contrib/"] div:first-child'],
  /** 2022–2025: contributor profile link on the avatar and name buttons (data-href), or an <a>. */
  contributorLink: ['button[data-href*="/maps/contrib/"]', 'a[href*="/maps/contrib/"]'],
  /** 2022–2025: star label "5 stars" (localized: "5 estrellas", "٥ نجوم"); hotels show "4/5" in .fzvQIb. */
  stars: ['span.kvMYJc[role="img"][aria-label]', '[role="img"][aria-label*="star" i]', 'span.fzvQIb'],
  /** 2022–2025: relative date ("2 months ago"); hotels use .xRkPPb. */
  date: ['.rsqaWe', '.xRkPPb', '.DU9Pgb > span:not([role])'],
  /** 2022–2025: review text container (has lang) and the text span; the owner reply reuses .wiI7pd. */
  textContainer: '.MyEned',
  text: ['.MyEned .wiI7pd', '.MyEned span'],
  /** 2022–2025: "Response from the owner" block. */
  ownerResponse: '.CDe7pd',
  /** Place name in the panel header. */
  placeName: ['h1.DUwDvf', '[role="main"][aria-label] h1', 'h1'],
} as const;
