/**
 * eshtki.com (Arabic complaints) — UNVERIFIED. No saved page of eshtki.com exists anywhere we
 * could find, so every selector below is an educated guess at common complaint-site markup, tried
 * in order, with schema.org Review (JSON-LD/microdata) as the fallback the adapter always tries.
 * The synthetic fixture only exercises these code paths; it is NOT evidence of the real markup.
 * Replace these with verified ones from a saved page (see README: "How to save a fixture").
 */
export const eshtkiSelectors = {
  /** Guess: complaint cards on list and detail pages. */
  card: ['[data-complaint-id]', 'article.complaint', '.complaint-card', '.complaint-item'],
  /** Guess: the complaint title, often a link to the complaint page (the permalink). */
  title: ['.complaint-title a[href]', '.complaint-title', 'h2 a[href]', 'h3 a[href]', 'h1', 'h2', 'h3'],
  /** Guess: complainant name and profile link. */
  author: ['.complaint-author', '.user-name', '[rel="author"]', 'a[href*="/user/"]', 'a[href*="/profile/"]'],
  profileLink: ['a.complaint-author[href]', 'a.user-name[href]', 'a[rel="author"][href]', 'a[href*="/user/"]', 'a[href*="/profile/"]'],
  /** Guess: date; a machine-readable time[datetime] first. */
  time: ['time[datetime]', '.complaint-date', '.date'],
  /** Guess: complaint body. */
  text: ['.complaint-body', '.complaint-text', '.complaint-content', '.complaint-description'],
  /** Guess: the company complained about. */
  company: ['.company-name', 'a[href*="/company/"]', 'a[href*="/companies/"]'],
  /** Guess: status markers. "تم الرد" = replied, "بانتظار الرد" = awaiting reply. */
  answered: '.company-reply, .status-answered, .answered, [data-status="answered"]',
  waiting: '.status-pending, .status-waiting, .pending, [data-status="waiting"], [data-status="pending"]',
} as const;
