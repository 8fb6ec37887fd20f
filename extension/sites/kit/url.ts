import { LIMITS } from '@shared/limits';
import { truncate } from './text';

/** An absolute http(s) URL for `href` against the page URL, or null (javascript:, data:, too long). */
export function absoluteUrl(href: string | null | undefined, base: URL): string | null {
  const value = href?.trim();
  if (!value) return null;
  let resolved: URL;
  try {
    resolved = new URL(value, base);
  } catch {
    return null;
  }
  if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') return null;
  const out = resolved.href;
  return out.length <= LIMITS.url ? out : null;
}

/** The page URL as the schema stores it (bounded; the hash is the page's own business). */
export function pageUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return truncate(copy.href, LIMITS.url);
}

/** The href of the first element matching `selector` under `root`, made absolute. */
export function hrefOf(root: ParentNode, selector: string, base: URL): string | null {
  const el = root.querySelector(selector);
  return el ? absoluteUrl(el.getAttribute('href') ?? el.getAttribute('data-href'), base) : null;
}

/** The last segment of a URL path (review ids in permalinks such as /reviews/<id>). */
export function lastPathSegment(href: string | null): string | null {
  if (!href) return null;
  try {
    const segments = new URL(href).pathname.split('/').filter(Boolean);
    return segments.at(-1) ?? null;
  } catch {
    return null;
  }
}
