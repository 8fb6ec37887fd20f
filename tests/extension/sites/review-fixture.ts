import nodeConsole from 'node:console';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { pageContextSchema, type PageContext, type PageContextOf } from '@shared/page-context';

/**
 * Like `loadFixture`, with two happy-dom 21 workarounds (real browsers need neither):
 * - an inline `<style>` directly inside `<svg>` makes happy-dom's HTML parser drop everything
 *   after it (the G2 page has such icons: happy-dom would see 1,248 of its ~8,100 elements).
 *   Only those SVG-internal `<style>` elements are removed; the fixture trimming had already
 *   replaced their bodies with a comment, so no review markup is touched;
 * - stylesheets and iframes log a DOMException each because loading is disabled (see parseHtml).
 */
export function loadReviewFixture(site: string, file: string): Document {
  const html = readFileSync(resolve(import.meta.dirname, '../../fixtures/pages', site, file), 'utf8');
  const safe = html.replace(/(<svg\b[^>]*>)\s*<style\b[^>]*>[\s\S]*?<\/style>/gi, '$1');
  return parseHtml(safe);
}

/**
 * Parses HTML like the content script sees it. happy-dom reports every stylesheet and iframe it
 * may not load ("loading is disabled") on console.error while parsing; those reports are muted
 * for the parse only (saved pages have dozens: ads, CSS), nothing else is.
 */
export function parseHtml(html: string): Document {
  // vitest hands happy-dom the Node console (not the test's `console`), so that one is muted.
  const original = nodeConsole.error;
  nodeConsole.error = (...args: unknown[]) => {
    if (/loading is disabled/.test(String(args[0]))) return;
    original.apply(nodeConsole, args);
  };
  try {
    return new DOMParser().parseFromString(html, 'text/html');
  } finally {
    nodeConsole.error = original;
  }
}

/** Asserts the context passes the shared schema and is a reviews page; returns it typed. */
export function expectReviewsPage(context: PageContext | undefined): PageContextOf<'reviews'> {
  expect(context).toBeDefined();
  const parsed = pageContextSchema.parse(context);
  expect(parsed).toEqual(context);
  if (parsed.kind !== 'reviews') throw new Error(`expected a reviews page, got ${parsed.kind}`);
  return parsed;
}
