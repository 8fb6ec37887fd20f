import { registerCatalogs, type Catalog, type Language } from './index';
import { en } from './messages.en';
import { ar, fa, tr } from './messages.rtl-and-tr';

/**
 * Every catalog at once, for the places where size does not matter: the extension's own pages,
 * the background (which hands a content script the one catalog it needs: `getCatalog`) and tests.
 * Content scripts must not import this file (tests/e2e/bundle.test.ts keeps their size honest).
 */
export const catalogs: Record<Language, Catalog> = { en, ar, fa, tr };
registerCatalogs(catalogs);
