// One host list per site (issue 23): the manifest's content-script matches and each adapter's hosts
// come from extension/sites/hosts.ts. This checks the three agree: the declared matches of the
// content-script entrypoints (what WXT writes into the manifest), the adapters' hosts, and the
// registry's choice of adapter for a page on each matched host.
import { describe, expect, test } from 'vitest';
import type { SiteId } from '@shared/page-context';
import gmailScript from '../../../extension/entrypoints/gmail.content/index';
import xScript from '../../../extension/entrypoints/x.content/index';
import reviewsScript from '../../../extension/entrypoints/reviews.content/index';
import { contentScriptMatches, reviewSiteIds, siteHosts } from '../../../extension/sites/hosts';
import { adapterForUrl, siteAdapters } from '../../../extension/sites/registry';
import { reviewAdapterForUrl } from '../../../extension/sites/review-registry';

/** The matches a content script declares (one list for every browser: no per-browser map). */
const matchesOf = (script: { matches?: unknown }): string[] => {
  if (!Array.isArray(script.matches)) throw new Error('a content script without one list of matches');
  return script.matches as string[];
};

const scripts: { name: string; matches: string[]; sites: SiteId[] }[] = [
  { name: 'gmail', matches: matchesOf(gmailScript), sites: ['gmail'] },
  { name: 'x', matches: matchesOf(xScript), sites: ['x'] },
  { name: 'reviews', matches: matchesOf(reviewsScript), sites: [...reviewSiteIds] },
];

/** A page URL a match pattern covers (its host with `*.` as `www.`, its path with `*` as a page). */
const sampleUrl = (pattern: string) => {
  const match = /^https:\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!match) throw new Error(`not an https match pattern: ${pattern}`);
  return new URL(`https://${match[1]!.replace(/^\*\./, 'www.')}${match[2]!.replace(/\*/g, 'page')}`);
};

describe('each site has one host list', () => {
  test.each(Object.keys(siteAdapters) as SiteId[])('%s: the adapter reads exactly the declared hosts', (site) => {
    expect(siteAdapters[site].hosts).toEqual(siteHosts[site].hosts);
  });

  test.each(scripts)('the $name content script matches exactly its sites’ declared hosts', ({ matches, sites }) => {
    expect(matches).toEqual(sites.flatMap((site) => contentScriptMatches(site)));
  });

  test.each(scripts.flatMap(({ matches, sites }) => matches.map((pattern) => ({ pattern, sites }))))(
    '$pattern is read by its own adapter',
    ({ pattern, sites }) => {
      expect(sites).toContain(adapterForUrl(sampleUrl(pattern)).id);
    },
  );

  test.each(matchesOf(reviewsScript))('the review-sites script, carrying review adapters only, reads %s with the same adapter', (pattern) => {
    const url = sampleUrl(pattern);
    expect(reviewAdapterForUrl(url).id).toBe(adapterForUrl(url).id);
  });

  test('the stores and lists that had drifted apart are in both (Amazon .fr/.it/.nl/.ca/.eg, Yelp)', () => {
    const reviewMatches = matchesOf(reviewsScript);
    for (const tld of ['fr', 'it', 'nl', 'ca', 'eg', 'com', 'com.tr']) {
      expect(reviewMatches).toContain(`https://www.amazon.${tld}/*`);
      expect(adapterForUrl(new URL(`https://www.amazon.${tld}/dp/B000000000`)).id).toBe('amazon');
    }
    expect(reviewMatches).toEqual(expect.arrayContaining(siteHosts.yelp.hosts.map((host) => `https://${host}/*`)));
    expect(adapterForUrl(new URL('https://m.yelp.com/biz/some-place')).id).toBe('yelp');
  });

  test('a host no site declares gets the generic adapter, and Gmail is never read as Google Maps', () => {
    expect(adapterForUrl(new URL('https://aws.amazon.com/dp/B000000000')).id).toBe('generic');
    expect(adapterForUrl(new URL('https://mail.google.com/mail/u/0/')).id).toBe('gmail');
    expect(contentScriptMatches('google')).toEqual(['https://www.google.com/maps/*', 'https://maps.google.com/maps/*']);
  });
});
