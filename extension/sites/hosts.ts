import type { SiteId } from '@shared/page-context';

/**
 * Where each site runs: the one declaration both the manifest's content-script matches (each
 * `*.content` entrypoint) and the site's adapter (`hosts`, read by `adapterForUrl`) come from, so
 * the two can't drift (issue 23: Amazon's adapter claimed .fr/.it/.nl/.ca/.eg that the manifest
 * never matched, and Yelp's two lists differed). `tests/extension/sites/hosts.test.ts` checks the
 * built manifest against it.
 *
 * A host is a match-pattern host: `*.example.com` is example.com and its subdomains. `path` narrows
 * the manifest match where the site's pages live under one path on a shared host (Google Maps on
 * www.google.com). Pure data: imported at build time by the entrypoints, in Node.
 */
export interface SiteHosts {
  hosts: readonly string[];
  /** The manifest match path, `/*` when absent. */
  path?: `/${string}`;
}

// Amazon's review pages are on www.amazon.<tld> in every store we read (the product and
// /product-reviews/ paths); other amazon subdomains (aws., developer., music.) are other products.
const AMAZON_STORES = ['com', 'co.uk', 'de', 'fr', 'it', 'es', 'nl', 'ca', 'com.tr', 'ae', 'sa', 'eg'] as const;

export const siteHosts = {
  gmail: { hosts: ['mail.google.com'] },
  x: { hosts: ['x.com', 'mobile.x.com', 'twitter.com', 'mobile.twitter.com'] },
  // Every locale is a subdomain: www., it., de., fr. …
  trustpilot: { hosts: ['*.trustpilot.com'] },
  // www. and m. read the same /biz/ pages; Yelp's other countries run their own domains, unverified.
  yelp: { hosts: ['www.yelp.com', 'm.yelp.com'] },
  // Only Maps: mail.google.com belongs to Gmail.
  google: { hosts: ['www.google.com', 'maps.google.com'], path: '/maps/*' },
  g2: { hosts: ['www.g2.com', 'g2.com'] },
  amazon: { hosts: AMAZON_STORES.map((tld) => `www.amazon.${tld}`) },
  sikayetvar: { hosts: ['www.sikayetvar.com', 'sikayetvar.com'] },
  eshtki: { hosts: ['eshtki.com', 'www.eshtki.com'] },
  // The generic schema.org adapter runs only where the user enabled it (registered at run time).
  generic: { hosts: [] },
} as const satisfies Record<SiteId, SiteHosts>;

/** The review and complaint sites with their own hosts (the reviews content script's matches). */
export const reviewSiteIds = ['trustpilot', 'yelp', 'google', 'g2', 'amazon', 'sikayetvar', 'eshtki'] as const satisfies readonly SiteId[];

/** The manifest match patterns for one site's content script. */
export function contentScriptMatches(site: SiteId): string[] {
  const { hosts, path = '/*' } = siteHosts[site] as SiteHosts;
  return hosts.map((host) => `https://${host}${path}`);
}

/** Whether `host` (lower case) is one of the site's hosts. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) {
    const base = pattern.slice(2);
    return host === base || host.endsWith(`.${base}`);
  }
  return host === pattern;
}
