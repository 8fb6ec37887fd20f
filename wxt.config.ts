import { resolve } from 'node:path';
import { defineConfig } from 'wxt';

// The default API is the local one `npm start` serves; the options page can change it.
// Host permissions stay minimal: the API origin for the background's fetch, and the sites the
// content scripts match (declared by each content script). Other sites are optional and are
// granted at run time from the popup ("Enable Rafiq on this site").
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  modules: ['@wxt-dev/module-solid'],
  // Explicit imports everywhere: a newcomer can follow every name to its file.
  imports: false,
  alias: { '@shared': resolve('shared') },
  // The Firefox sources zip (`npm run zip`, for addons.mozilla.org reviewers) is an allowlist: only
  // what `npm ci && wxt build -b firefox --mv3` needs. WXT would otherwise pack every file of the
  // repository but a few (it ignores .gitignore): data/ (the database and the demo token),
  // screenshots, benchmark results, saved third-party pages under tests/. Everything is excluded,
  // then the include list (which wins over the excludes) lets the build's inputs back in; dotfiles
  // and test files stay out even there. tests/scripts/zip-contents.test.ts lists a real zip.
  zip: {
    excludeSources: ['**'],
    includeSources: [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'tsconfig.json',
      'README.md',
      'extension/**',
      'shared/**',
      '!**/.*',
      '!**/*.test.*',
    ],
  },
  manifest: ({ browser }) => ({
    name: 'Rafiq',
    description: 'Customer context beside Gmail, X and review sites.',
    permissions: ['storage', 'activeTab', 'scripting', 'clipboardWrite', 'alarms'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    commands: {
      'toggle-sidebar': {
        suggested_key: { default: 'Alt+Shift+R' },
        description: 'Show or hide the Rafiq sidebar',
      },
    },
    content_security_policy:
      browser === 'firefox'
        ? undefined
        : { extension_pages: "script-src 'self'; object-src 'self'; base-uri 'none'" },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'rafiq@rafiq.dev',
              strict_min_version: '115.0',
              // Firefox's install-time data consent (Firefox 140+; older versions ignore the key).
              // Rafiq sends what it reads on a page to the API server the agent configured (their
              // team's own server, never ours or a third party's), but that is still transmission
              // outside the extension, so it is declared rather than claimed as 'none': names,
              // email addresses and handles (personallyIdentifyingInfo), email subjects and posts
              // (personalCommunications) and reviews (websiteContent). All are required: without
              // them the sidebar has nothing to look up.
              data_collection_permissions: {
                required: ['personallyIdentifyingInfo', 'personalCommunications', 'websiteContent'],
              },
            },
          },
        }
      : {}),
  }),
});
