import type { SiteId } from '@shared/page-context';
import { LIMITS } from '@shared/limits';
import { makeDate } from './date';
import { findJsonLd, hasType, isObject, makeResolver, readJsonLd, stringOf, valuesOf, type JsonLdNode } from './json-ld';
import { itemTypeIs, microdata, microItem, microText } from './microdata';
import { makeRating } from './rating';
import { finishReview, langOf, type Business, type CardResult } from './review';
import { blockText, cleanLine, cleanName, comparable, htmlStringToText } from './text';
import { absoluteUrl } from './url';

/** A short stable id for reviews that carry none: FNV-1a over what identifies them. */
export function derivedId(...parts: (string | null | undefined)[]): string {
  let hash = 0x811c9dc5;
  for (const char of parts.map((part) => part ?? '').join('\u0000')) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `h${hash.toString(36)}`;
}

export interface SchemaReview {
  result: CardResult;
  /** The element the review was read from (microdata), or found by its text (JSON-LD), or null. */
  element: Element | null;
}

const REVIEWED_TYPES = ['Product', 'LocalBusiness', 'Organization', 'Restaurant', 'Hotel', 'Store', 'SoftwareApplication', 'Service', 'Place', 'Book', 'Movie', 'Course', 'Event', 'CreativeWork', 'Thing'];

/**
 * The visible card of a JSON-LD review, found by the start of its text (to hang a button on).
 * Only each element's own text nodes are compared, so the cost stays linear in the page size.
 */
function elementForText(doc: Document, snippet: string): Element | null {
  const needle = comparable(snippet).slice(0, 24);
  if (needle.length < 12 || !doc.body) return null;
  for (const el of doc.body.querySelectorAll('p, div, span, blockquote, li, article, section, q')) {
    let own = '';
    for (let child = el.firstChild; child; child = child.nextSibling) if (child.nodeType === 3) own += child.nodeValue ?? '';
    if (own.length < needle.length || !comparable(own).includes(needle)) continue;
    if (el.closest('script, style, template')) continue;
    // Lift from the text to its card (the nearest article/li/review-ish container).
    return el.closest('article, li, [itemtype*="Review"], [class*="review" i], [id*="review" i]') ?? el;
  }
  return null;
}

function businessOf(node: unknown, resolve: (value: unknown) => unknown, base: URL): Business | null {
  const item = resolve(node);
  const name = stringOf(item);
  if (!name) return null;
  const url = isObject(item) ? absoluteUrl(stringOf(item.url) ?? stringOf(item['@id']), base) : null;
  // Names are literal text (a name that looks like HTML is shown as typed, never interpreted).
  return { name: cleanLine(name, LIMITS.business), url };
}

/**
 * Every schema.org Review of the page: JSON-LD (Product.review[], standalone Review, @graph,
 * arrays) and microdata. `business` is what each review is about (itemReviewed, the enclosing
 * item, or `fallbackBusiness`).
 */
export function schemaReviews(doc: Document, url: URL, site: SiteId, fallbackBusiness: Business): SchemaReview[] {
  const out: SchemaReview[] = [];
  const nodes = readJsonLd(doc);
  const resolve = makeResolver(nodes);

  for (const { node, parent } of findJsonLd(nodes, 'Review', 'Comment', 'UserReview', 'CriticReview', 'EmployerReview')) {
    const business =
      businessOf(node.itemReviewed, resolve, url) ??
      (parent && hasType(parent, ...REVIEWED_TYPES) ? businessOf(parent, resolve, url) : null) ??
      fallbackBusiness;
    const author = resolve(valuesOf(node, 'author')[0]);
    const rating = resolve(node.reviewRating) as JsonLdNode | undefined;
    const body = htmlStringToText(node.reviewBody ?? node.text ?? node.description);
    const permalink = absoluteUrl(stringOf(node.url), url);
    const ownId = stringOf(node['@id']) ?? stringOf(node.identifier);
    const date = makeDate(null, stringOf(node.datePublished) ?? stringOf(node.dateCreated));
    const reviewerName = cleanName(stringOf(author));
    out.push({
      element: body ? elementForText(doc, body) : null,
      result: finishReview({
        site,
        reviewId: ownId ?? permalink ?? derivedId(reviewerName, date.iso, body.slice(0, 200)),
        permalink,
        reviewerName,
        reviewerProfileUrl: isObject(author) ? absoluteUrl(stringOf(author.url) ?? stringOf(author.sameAs), url) : null,
        rating: rating ? makeRating(rating.ratingValue, rating.bestRating ?? 5, rating.worstRating ?? 1) : null,
        title: htmlStringToText(node.headline ?? node.name, LIMITS.title) || null,
        text: body,
        date,
        business,
        tags: [],
        language: stringOf(node.inLanguage),
      }),
    });
  }

  for (const el of doc.querySelectorAll('[itemscope][itemtype]')) {
    if (!itemTypeIs(el, 'Review', 'UserReview', 'CriticReview')) continue;
    const props = microdata(el);
    const author = microItem(props, 'author');
    const rating = microItem(props, 'reviewRating');
    const reviewedProps = microItem(props, 'itemReviewed');
    const owner = el.parentElement?.closest('[itemscope][itemtype]');
    const ownerName = owner ? microText(microdata(owner), 'name') : null;
    const reviewedName = microText(props, 'itemReviewed');
    const business: Business =
      reviewedProps && microText(reviewedProps, 'name')
        ? { name: microText(reviewedProps, 'name')!, url: absoluteUrl(microText(reviewedProps, 'url'), url) }
        : reviewedName
          ? { name: reviewedName, url: null }
          : ownerName
            ? { name: ownerName, url: absoluteUrl(microText(microdata(owner!), 'url'), url) }
            : fallbackBusiness;
    const bodyEl = el.querySelector('[itemprop~="reviewBody"], [itemprop~="description"], [itemprop~="text"]');
    const body = bodyEl ? blockText(bodyEl) : '';
    const reviewerName = (author && microText(author, 'name')) ?? microText(props, 'author');
    const permalink = absoluteUrl(microText(props, 'url'), url);
    const date = makeDate(null, microText(props, 'datePublished'));
    out.push({
      element: el,
      result: finishReview({
        site,
        reviewId: el.getAttribute('itemid') || el.id || permalink || derivedId(reviewerName, date.iso, body.slice(0, 200)),
        permalink,
        reviewerName,
        reviewerProfileUrl: author ? absoluteUrl(microText(author, 'url'), url) : null,
        rating: rating ? makeRating(microText(rating, 'ratingValue'), microText(rating, 'bestRating') ?? 5, microText(rating, 'worstRating') ?? 1) : null,
        title: microText(props, 'name') ?? microText(props, 'headline'),
        text: body,
        date,
        business,
        tags: [],
        language: microText(props, 'inLanguage') ?? langOf(bodyEl, el),
      }),
    });
  }
  return out;
}
