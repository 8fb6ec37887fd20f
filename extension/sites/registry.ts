import type { SiteId } from '@shared/page-context';
import type { SiteAdapter } from './types';
import { hostMatches } from './hosts';
import { gmailAdapter } from './gmail/gmail.adapter';
import { xAdapter } from './x/x.adapter';
import { reviewAdapters } from './review-registry';

/** Every site Rafiq reads. `Record<SiteId, …>`: adding a SiteId without an adapter is a type error. */
export const siteAdapters: Record<SiteId, SiteAdapter> = {
  gmail: gmailAdapter,
  x: xAdapter,
  ...reviewAdapters,
};

/** The adapter for a URL; the generic schema.org adapter for any other host. */
export function adapterForUrl(url: URL): SiteAdapter {
  const host = url.hostname.toLowerCase();
  for (const adapter of Object.values(siteAdapters)) {
    if (adapter.id !== 'generic' && adapter.hosts.some((pattern) => hostMatches(pattern, host))) return adapter;
  }
  return siteAdapters.generic;
}
