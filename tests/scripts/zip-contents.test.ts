// `npm run zip` (issue 23): the Firefox sources zip, which goes to addons.mozilla.org reviewers,
// holds what the build needs and never the secrets that sit in a working copy (WXT's own excludes
// ignore .gitignore). A real `wxt zip -b firefox --mv3` runs on a copy of the repository with
// secrets planted where they live in practice, then both zips are listed.
import { execFile } from 'node:child_process';
import { cpSync, type Dirent, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Files a working copy has that must never leave the machine (all but .env are git-ignored). */
const PLANTED: Record<string, string> = {
  'data/demo-token.txt': 'rfq_PLANTED_demo_token',
  'data/rafiq.sqlite': 'SQLite format 3\0planted',
  '.env': 'DATABASE_URL=postgres://planted:secret@db/rafiq',
  '.env.production': 'TOKEN=planted',
  'demo-screenshots/gmail.png': 'planted',
  'tests/e2e/screenshots/gmail-thread-layla.png': 'planted',
  'bench/results/sidebar-planted.json': '{"planted":true}',
  'extension/.env.local': 'PLANTED=1',
};

/** Everything the copy skips: generated, installed, or replaced by the planted files above. */
const NOT_COPIED = new Set(['.git', 'node_modules', '.output', '.wxt', 'data', 'demo-screenshots', 'tests/e2e/screenshots']);

let work: string;
let sources: string[];
let sourcesZipFile: string;
let extension: string[];

function wxt(cwd: string, args: string[]): Promise<void> {
  return new Promise<void>((done, fail) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules', 'wxt', 'bin', 'wxt.mjs'), ...args],
      { cwd, timeout: 150_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => (error ? fail(new Error(`wxt ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`)) : done()),
    );
  });
}

/** Every file under `dir`, relative and sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function list(zipFile: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(zipFile));
  return Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => entry.name)
    .sort();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rafiq-zip-'));
  cpSync(root, work, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(relative(root, source)),
  });
  symlinkSync(realpathSync(join(root, 'node_modules')), join(work, 'node_modules'), 'dir');
  for (const [file, content] of Object.entries(PLANTED)) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    writeFileSync(join(work, file), content);
  }
  await wxt(work, ['zip', '-b', 'firefox', '--mv3']);
  const zips = readdirSync(join(work, '.output')).filter((name) => name.endsWith('.zip'));
  const sourcesZip = zips.find((name) => name.endsWith('-sources.zip'));
  const extensionZip = zips.find((name) => name.endsWith('-firefox.zip'));
  if (!sourcesZip || !extensionZip) throw new Error(`expected a sources and a firefox zip in .output, found ${zips.join(', ')}`);
  sourcesZipFile = join(work, '.output', sourcesZip);
  sources = await list(sourcesZipFile);
  extension = await list(join(work, '.output', extensionZip));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the Firefox zips', () => {
  test('the sources zip holds no planted secret, screenshot or result', () => {
    for (const file of Object.keys(PLANTED)) expect(sources, file).not.toContain(file);
    expect(sources.filter((name) => /(^|\/)\.env/.test(name))).toEqual([]);
  });

  test('the sources zip holds nothing outside the build inputs (no tests, saved pages, API, scripts)', () => {
    const allowed = /^(package\.json|package-lock\.json|wxt\.config\.ts|tsconfig\.json|README\.md|extension\/.+|shared\/.+)$/;
    expect(sources.filter((name) => !allowed.test(name))).toEqual([]);
    expect(sources.filter((name) => name.startsWith('tests/') || name.startsWith('data/') || name.startsWith('.output/'))).toEqual([]);
  });

  test('the sources zip holds what a reviewer needs to rebuild the add-on', () => {
    for (const file of ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'extension/entrypoints/background.ts', 'shared/page-context.ts']) {
      expect(sources, file).toContain(file);
    }
    expect(sources.filter((name) => name.startsWith('extension/')).length).toBeGreaterThan(50);
  });

  test('the add-on rebuilds from the sources zip alone, file for file', async () => {
    const rebuild = join(work, 'rebuild');
    const zip = await JSZip.loadAsync(readFileSync(sourcesZipFile));
    for (const name of sources) {
      mkdirSync(dirname(join(rebuild, name)), { recursive: true });
      writeFileSync(join(rebuild, name), await zip.file(name)!.async('nodebuffer'));
    }
    symlinkSync(realpathSync(join(root, 'node_modules')), join(rebuild, 'node_modules'), 'dir');
    await wxt(rebuild, ['build', '-b', 'firefox', '--mv3']);
    const built = join(work, '.output', 'firefox-mv3');
    const rebuilt = join(rebuild, '.output', 'firefox-mv3');
    expect(filesUnder(rebuilt)).toEqual(filesUnder(built));
    expect(readFileSync(join(rebuilt, 'manifest.json'), 'utf8')).toBe(readFileSync(join(built, 'manifest.json'), 'utf8'));
  }, 150_000);

  test('the add-on zip holds the built extension only', () => {
    expect(extension).toContain('manifest.json');
    expect(extension).toContain('background.js');
    expect(extension.filter((name) => /\.(ts|tsx|sqlite)$|^data\/|demo-token|\.env/.test(name))).toEqual([]);
  });

  test('the Firefox manifest declares the data it transmits (no build warning, no claim of none)', () => {
    const manifest = JSON.parse(readFileSync(join(work, '.output', 'firefox-mv3', 'manifest.json'), 'utf8')) as {
      browser_specific_settings?: { gecko?: { data_collection_permissions?: { required?: string[] } } };
    };
    const required = manifest.browser_specific_settings?.gecko?.data_collection_permissions?.required ?? [];
    expect(required).toEqual(expect.arrayContaining(['personallyIdentifyingInfo', 'websiteContent']));
    expect(required).not.toContain('none');
  });
});
