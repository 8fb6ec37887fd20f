import type { SiteId } from '@shared/page-context';

/**
 * Sites whose adapter was written without a real saved page to test against (see each site's
 * README). The popup lists them so nobody mistakes them for proven support.
 */
export const unverifiedSites: readonly SiteId[] = ['eshtki'];
