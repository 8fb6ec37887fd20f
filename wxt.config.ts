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
      ? { browser_specific_settings: { gecko: { id: 'rafiq@rafiq.dev', strict_min_version: '115.0' } } }
      : {}),
  }),
});
