import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { siteIds } from '@shared/page-context';

/**
 * Keeps the site conventions honest by reading the file system only (folders are written by
 * different people at different times): every adapter folder has its selectors file, a README,
 * and either saved pages under tests/fixtures/pages/<id>/ or an explicit "unverified" in its README;
 * every SiteId has a folder.
 */
const root = resolve(import.meta.dirname, '../../..');
const sitesDir = join(root, 'extension/sites');
const fixturesDir = join(root, 'tests/fixtures/pages');

const adapterFolders = readdirSync(sitesDir)
  .filter((name) => statSync(join(sitesDir, name)).isDirectory())
  .filter((id) => existsSync(join(sitesDir, id, `${id}.adapter.ts`)));

describe.each(adapterFolders)('extension/sites/%s', (id) => {
  const folder = join(sitesDir, id);

  test('has <id>.selectors.ts and README.md', () => {
    expect(existsSync(join(folder, `${id}.selectors.ts`)), `${id}.selectors.ts`).toBe(true);
    expect(existsSync(join(folder, 'README.md')), 'README.md').toBe(true);
  });

  test('has saved pages under tests/fixtures/pages/<id>/ or says "unverified" in its README', () => {
    const pagesDir = join(fixturesDir, id);
    const pages = existsSync(pagesDir) ? readdirSync(pagesDir).filter((file) => file.endsWith('.html')) : [];
    const readme = existsSync(join(folder, 'README.md')) ? readFileSync(join(folder, 'README.md'), 'utf8') : '';
    expect(pages.length > 0 || /unverified/i.test(readme), `no fixture and no "unverified" in ${id}/README.md`).toBe(true);
  });

  test('exports <id>Adapter from <id>.adapter.ts', () => {
    const source = readFileSync(join(folder, `${id}.adapter.ts`), 'utf8');
    expect(source).toMatch(new RegExp(`export const ${id}Adapter\\b`));
  });
});

test.each([...siteIds])('SiteId %s has a folder under extension/sites/', (id) => {
  expect(existsSync(join(sitesDir, id)) && statSync(join(sitesDir, id)).isDirectory()).toBe(true);
});

test('fixture folders keep a README with provenance', () => {
  for (const name of readdirSync(fixturesDir)) {
    const dir = join(fixturesDir, name);
    if (!statSync(dir).isDirectory() || !readdirSync(dir).some((file) => file.endsWith('.html'))) continue;
    expect(existsSync(join(dir, 'README.md')), `tests/fixtures/pages/${name}/README.md`).toBe(true);
  }
});
