import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';
import solid from 'vite-plugin-solid';

const alias = { '@shared': resolve(import.meta.dirname, 'shared') };

// Four kinds of tests (see tests/README.md): node (api, shared, scripts), happy-dom with WXT's
// fakeBrowser (extension units and site adapters), real Chromium end-to-end (tests/e2e) and
// real Firefox ESR end-to-end over WebDriver BiDi (tests/e2e-firefox).
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/api/**/*.test.ts', 'tests/shared/**/*.test.ts', 'tests/scripts/**/*.test.ts'],
          // Probes PostgreSQL once per run: the PG half of the API suite runs, fails in CI, or is skipped with one message.
          globalSetup: ['tests/api/postgres.setup.ts'],
          // Fixed, printed seed and time bound for every fast-check property (issue 18).
          setupFiles: ['tests/fast-check.setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [WxtVitest(), solid()],
        // Solid's browser build (not its server build) for components under happy-dom.
        resolve: { alias, conditions: ['development', 'browser'] },
        test: {
          name: 'extension',
          environment: 'happy-dom',
          include: ['tests/extension/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/fast-check.setup.ts', 'tests/extension/i18n-setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          // One browser at a time: the machine has two cores.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e-firefox',
          environment: 'node',
          include: ['tests/e2e-firefox/**/*.test.ts'],
          fileParallelism: false,
          // After every other project: never Firefox and Chromium at once on two cores.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
