/**
 * Generic schema.org reader: any page, any era. It reads structured data, not markup, so it has
 * almost no selectors: JSON-LD scripts and microdata items are found by the site kit (kit/json-ld.ts, kit/microdata.ts)
 * (`schemaReviews`). These are only for the business name when the reviews don't name it.
 */
export const genericSelectors = {
  /** Open Graph title, then the page's h1: what the page is about when itemReviewed is missing. */
  ogTitle: 'meta[property="og:title"]',
  canonical: 'link[rel="canonical"]',
  heading: 'h1',
} as const;
