import type { SiteAdapter } from './types';
import type { reviewSiteIds } from './hosts';
import { hostMatches } from './hosts';
import { trustpilotAdapter } from './trustpilot/trustpilot.adapter';
import { yelpAdapter } from './yelp/yelp.adapter';
import { googleAdapter } from './google/google.adapter';
import { g2Adapter } from './g2/g2.adapter';
import { amazonAdapter } from './amazon/amazon.adapter';
import { sikayetvarAdapter } from './sikayetvar/sikayetvar.adapter';
import { eshtkiAdapter } from './eshtki/eshtki.adapter';
import { genericAdapter } from './generic/generic.adapter';

/**
 * The review and complaint sites, and the generic schema.org adapter for sites the user enables:
 * all the review-sites content script needs. Gmail's and X's adapters stay out of it (issue 20:
 * load each site's adapter only where it runs); `registry.ts` adds them for tools and tests.
 */
export const reviewAdapters: Record<(typeof reviewSiteIds)[number] | 'generic', SiteAdapter> = {
  trustpilot: trustpilotAdapter,
  yelp: yelpAdapter,
  google: googleAdapter,
  g2: g2Adapter,
  amazon: amazonAdapter,
  sikayetvar: sikayetvarAdapter,
  eshtki: eshtkiAdapter,
  generic: genericAdapter,
};

/** The review adapter for a URL; the generic schema.org adapter for any other host. */
export function reviewAdapterForUrl(url: URL): SiteAdapter {
  const host = url.hostname.toLowerCase();
  for (const adapter of Object.values(reviewAdapters)) {
    if (adapter.id !== 'generic' && adapter.hosts.some((pattern) => hostMatches(pattern, host))) return adapter;
  }
  return reviewAdapters.generic;
}
