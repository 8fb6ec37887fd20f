// Component tests render in every language: register all four catalogs, as extension pages do.
// (Content scripts fetch theirs from the background; tests/e2e/languages.test.ts covers that path.)
import '../../extension/i18n/all';
