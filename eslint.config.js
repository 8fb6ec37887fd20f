// @ts-check
import eslint from '@eslint/js';
import solid from 'eslint-plugin-solid/configs/typescript';
import tseslint from 'typescript-eslint';

/**
 * The design's "never" imports (the team folder's design/ARCHITECTURE.md), as lint errors. Paths are matched as written in the
 * import, so each regex accepts any number of `../` before the folder and the `@shared` alias.
 */
const apiExceptRouter = { regex: String.raw`^(\.\.?/)*api/(?!router$)`, message: 'Only the background talks to the API: import nothing from api/ here (the one exception is `import type { AppRouter } from "api/router"`).' };
const apiRouterType = {
  regex: String.raw`^(\.\.?/)*api/router$`,
  allowTypeImports: true,
  message: 'Only `import type { AppRouter }` from api/router: the router itself runs in the API, never in the extension.',
};

/** A pattern list for @typescript-eslint/no-restricted-imports. */
const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: ['node_modules/', '.output/', '.wxt/', 'data/', 'bench/results/', 'tests/fixtures/', 'tests/e2e/screenshots/', 'docs/'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      // Typed rules through the project service: one TypeScript program for the tree, as `tsc` builds it.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // From typescript-eslint's typed preset: a promise nobody awaits loses its error (an API call
      // failing silently in a content script is exactly the bug a user can't report).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        {
          // Solid event handlers (`onClick={async () => ...}`) and DOM listeners may be async: the
          // framework ignores the returned promise, and each handler catches its own errors. The
          // other void-return checks (arguments, variables, properties, returns) stay on.
          checksVoidReturn: { attributes: false },
        },
      ],
    },
  },
  {
    files: ['**/*.tsx'],
    ...solid,
  },
  {
    // Content scripts, the sidebar and pages reach the API only through the background's tRPC
    // client, and the background itself imports only the router's type.
    files: ['extension/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(apiExceptRouter, apiRouterType) },
  },
  {
    // What runs inside every host page stays small (issue 20; tests/e2e/bundle.test.ts measures
    // it): no validator (the background validates) and not all four catalogs (i18n/apply-settings
    // fetches the agent's language).
    files: ['extension/content/**/*.{ts,tsx}', 'extension/sidebar/**/*.{ts,tsx}', 'extension/entrypoints/*.content/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        apiExceptRouter,
        apiRouterType,
        { regex: String.raw`(^|/)i18n/all$`, message: 'Content scripts load only the agent\'s language (ensureCatalog in i18n/apply-settings), not every catalog.' },
        { regex: '^zod(/|$)', message: 'Content scripts bundle no validator: the background validates every message.' },
      ),
    },
  },
  {
    // shared/ is one concept per file for both sides: it depends on neither.
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        { regex: String.raw`^(\.\.?/)*(\.\./)+(extension|api)/`, message: 'shared/ imports neither extension/ nor api/: move the common part into shared/.' },
        { regex: '^(wxt|solid-js|hono|kysely|better-sqlite3|pg)(/|$)', message: 'shared/ has no DOM, framework or database dependency.' },
      ),
    },
  },
  {
    // Migrations are frozen in time: a module they imported could change under them.
    files: ['api/db/migrations/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        regex: String.raw`^(\.|@shared)`,
        message: 'Migrations import no module of ours (only kysely): copy the value in, so the migration means the same forever.',
      }),
    },
  },
  {
    // Site adapters are pure functions over a document: no UI, no messaging, no storage. (The
    // `<site>.reply.ts` files find the page's reply box and hand it to content/editor-insert.ts:
    // they run in the live page, beside the adapter rather than in it.)
    files: ['extension/sites/**/*.ts'],
    ignores: ['extension/sites/*/*.reply.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        apiExceptRouter,
        apiRouterType,
        {
          regex: String.raw`^(\.\./)+(sidebar|content|pages|entrypoints|i18n|messaging|storage|background)(/|$)`,
          message: 'Site adapters import no UI (sidebar, content scripts, pages, i18n) and no messaging or storage: they read a document and return a PageContext.',
        },
        { regex: '^(solid-js|wxt)(/|$)', message: 'Site adapters import no UI framework.' },
        { regex: String.raw`\.(tsx|css)$`, message: 'Site adapters import no components or styles.' },
      ),
    },
  },
  {
    // Migrations are frozen in time and typed over Kysely<any>, as Kysely's migration docs do.
    files: ['api/db/migrations/**/*.ts', 'api/db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
