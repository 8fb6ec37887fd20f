// The architecture in the linter (issue 23): each "never" of the team folder's design/ARCHITECTURE.md is a lint error. These
// snippets break one rule each, linted with the repository's own eslint.config.js as if they sat at
// the given path, and must fail with that rule; the allowed forms beside them must pass.
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const probes = [
  'extension/content/lint-probe.ts',
  'extension/sidebar/lint-probe.ts',
  'extension/sidebar/LintProbe.tsx',
  'extension/pages/lint-probe.ts',
  'extension/messaging/lint-probe.ts',
  'extension/sites/probe/probe.adapter.ts',
  'shared/lint-probe.ts',
  'api/db/migrations/2099_01_01_000000_probe_lint.ts',
];
// The probes exist only in memory, so the project service can't find them in tsconfig.json's
// file list: it types them with the same tsconfig as a default project instead.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: probes, defaultProject: 'tsconfig.json', maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: probes.length },
      },
    },
  },
});

async function ruleIds(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  const fatal = result!.messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(`${path} did not parse: ${fatal.map((m) => m.message).join('; ')}`);
  return result!.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? '(none)');
}

// The first lint builds the TypeScript program for the tree (tens of seconds on a busy machine).
beforeAll(() => ruleIds('shared/lint-probe.ts', 'export const probe = 1;\n'), 180_000);

const restricted = '@typescript-eslint/no-restricted-imports';

const cases = [
  {
    what: 'a content script importing the API',
    path: 'extension/content/lint-probe.ts',
    code: "import { appRouter } from '../../api/router';\nexport const probe = appRouter;\n",
    fails: restricted,
  },
  {
    what: 'a content script importing every catalog',
    path: 'extension/content/lint-probe.ts',
    code: "import { catalogs } from '../i18n/all';\nexport const probe = catalogs;\n",
    fails: restricted,
  },
  {
    what: 'the sidebar bundling a validator',
    path: 'extension/sidebar/lint-probe.ts',
    code: "import { z } from 'zod';\nexport const probe = z.string();\n",
    fails: restricted,
  },
  {
    what: 'the sidebar importing an API repository',
    path: 'extension/sidebar/lint-probe.ts',
    code: "import type { Db } from '../../api/db/connection';\nexport type Probe = Db;\n",
    fails: restricted,
  },
  {
    what: 'a page importing a type from the API other than the router',
    path: 'extension/pages/lint-probe.ts',
    code: "import type { Env } from '../../api/env';\nexport type Probe = Env;\n",
    fails: restricted,
  },
  {
    what: 'shared/ importing the extension',
    path: 'shared/lint-probe.ts',
    code: "import { adapterForUrl } from '../extension/sites/registry';\nexport const probe = adapterForUrl;\n",
    fails: restricted,
  },
  {
    what: 'shared/ importing the API',
    path: 'shared/lint-probe.ts',
    code: "import { parseEnv } from '../api/env';\nexport const probe = parseEnv;\n",
    fails: restricted,
  },
  {
    what: 'a migration importing a module',
    path: 'api/db/migrations/2099_01_01_000000_probe_lint.ts',
    code: "import type { Kysely } from 'kysely';\nimport { normalizeEmail } from '../../../shared/normalize';\nexport async function up(db: Kysely<any>) { await db.schema.createTable(normalizeEmail('x')).execute(); }\n",
    fails: restricted,
  },
  {
    what: 'a site adapter importing UI',
    path: 'extension/sites/probe/probe.adapter.ts',
    code: "import { render } from 'solid-js/web';\nexport const probe = render;\n",
    fails: restricted,
  },
  {
    what: 'a site adapter importing the sidebar',
    path: 'extension/sites/probe/probe.adapter.ts',
    code: "import { Sidebar } from '../../sidebar/Sidebar';\nexport const probe = Sidebar;\n",
    fails: restricted,
  },
  {
    what: 'a promise nobody awaits',
    path: 'extension/content/lint-probe.ts',
    code: 'async function save(): Promise<void> {}\nexport function probe() {\n  save();\n}\n',
    fails: '@typescript-eslint/no-floating-promises',
  },
  {
    what: 'an async listener where a void callback is expected',
    path: 'extension/content/lint-probe.ts',
    code: "export function probe(items: string[]) {\n  items.forEach(async (item) => {\n    await Promise.resolve(item);\n  });\n}\n",
    fails: '@typescript-eslint/no-misused-promises',
  },
  {
    what: 'destructured Solid props (drops reactivity)',
    path: 'extension/sidebar/LintProbe.tsx',
    code: 'export function LintProbe({ name }: { name: string }) {\n  return <p>{name}</p>;\n}\n',
    fails: 'solid/no-destructure',
  },
] as const;

describe('a deliberate violation fails lint', () => {
  test.each(cases)('$what', async ({ path, code, fails }) => {
    expect(await ruleIds(path, code)).toContain(fails);
  });
});

describe('what the design allows passes', () => {
  test.each([
    { what: "the extension's type-only import of AppRouter", path: 'extension/messaging/lint-probe.ts', code: "import type { AppRouter } from '../../api/router';\nexport type Probe = AppRouter;\n" },
    { what: 'a page importing every catalog', path: 'extension/pages/lint-probe.ts', code: "import { catalogs } from '../i18n/all';\nexport const probe = catalogs;\n" },
    { what: 'a site adapter using shared/', path: 'extension/sites/probe/probe.adapter.ts', code: "import type { PageContext } from '@shared/page-context';\nexport type Probe = PageContext;\n" },
    { what: 'a migration importing only kysely', path: 'api/db/migrations/2099_01_01_000000_probe_lint.ts', code: "import { sql, type Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) { await sql`select 1`.execute(db); }\n" },
    { what: 'an async Solid event handler', path: 'extension/sidebar/LintProbe.tsx', code: 'export function LintProbe(props: { save(): Promise<void> }) {\n  return <button onClick={async () => { await props.save(); }}>x</button>;\n}\n' },
  ])('$what', async ({ path, code }) => {
    expect(await ruleIds(path, code)).toEqual([]);
  });
});
