import type { SiteId } from '@shared/page-context';
import type { SiteAdapter } from './types';
import { hostMatches } from './hosts';
import { gmailAdapter } from './gmail/gmail.adapter';
import { xAdapter } from './x/x.adapter';
import { trustpilotAdapter } from './trustpilot/trustpilot.adapter';
import { yelpAdapter } from './yelp/yelp.adapter';
import { googleAdapter } from './google/google.adapter';
import { g2Adapter } from './g2/g2.adapter';
import { amazonAdapter } from './amazon/amazon.adapter';
import { sikayetvarAdapter } from './sikayetvar/sikayetvar.adapter';
import { eshtkiAdapter } from './eshtki/eshtki.adapter';
import { genericAdapter } from './generic/generic.adapter';

/** Every site Rafiq reads. `Record<SiteId, …>`: adding a SiteId without an adapter is a type error. */
export const siteAdapters: Record<SiteId, SiteAdapter> = {
  gmail: gmailAdapter,
  x: xAdapter,
  trustpilot: trustpilotAdapter,
  yelp: yelpAdapter,
  google: googleAdapter,
  g2: g2Adapter,
  amazon: amazonAdapter,
  sikayetvar: sikayetvarAdapter,
  eshtki: eshtkiAdapter,
  generic: genericAdapter,
};

/** The adapter for a URL; the generic schema.org adapter for any other host. */
export function adapterForUrl(url: URL): SiteAdapter {
  const host = url.hostname.toLowerCase();
  for (const adapter of Object.values(siteAdapters)) {
    if (adapter.id !== 'generic' && adapter.hosts.some((pattern) => hostMatches(pattern, host))) return adapter;
  }
  return siteAdapters.generic;
}
