import { siteHosts } from '../hosts';
import {
  absoluteUrl,
  blockText,
  cardsIn,
  documentOf,
  finishReview,
  firstOf,
  itemTypeIs,
  lineText,
  makeDate,
  makeRating,
  microdata,
  microItem,
  microText,
  readCards,
  type Business,
  type CardResult,
  defineReviewSite,
} from '../kit';
import { g2Selectors as S } from './g2.selectors';

/** /products/<slug>/reviews, its pages and single reviews /products/<slug>/reviews/<slug>-review-<id>. */
const PRODUCT_PATH = /^\/products\/([^/?#]+)\/reviews(?:\/([^/?#]+))?\/?$/;
/** Older single-review links: /survey_responses/<slug>-review-<id>. */
const SURVEY_PATH = /^\/survey_responses\/([^/?#]+)\/?$/;

function reviewIdFromSlug(slug: string | undefined): string | null {
  return slug ? (/-review-(\d+)$/.exec(slug)?.[1] ?? null) : null;
}

/** "\"Great tool\"" → "Great tool": G2 wraps every title in literal quotes; we strip one pair. */
export function stripTitleQuotes(title: string): string {
  const match = /^\s*["“”„«]([\s\S]*)["“”»]\s*$/.exec(title);
  return (match ? match[1]! : title).trim();
}

function readBusiness(doc: Document, url: URL): Business {
  const slug = PRODUCT_PATH.exec(url.pathname)?.[1] ?? null;
  const product = [...doc.querySelectorAll('[itemscope][itemtype]')].find((el) => itemTypeIs(el, 'SoftwareApplication', 'Product'));
  const fromMicrodata = product ? microText(microdata(product), 'name') : null;
  const reviewed = doc.querySelector('[itemprop="aggregateRating"] meta[itemprop="itemReviewed"]')?.getAttribute('content') ?? null;
  const heading = lineText(doc.querySelector(S.heading)).replace(/\s+Reviews(\s*&\s*Product Details)?$/i, '');
  const name = fromMicrodata || reviewed || heading || (slug ? decodeURIComponent(slug) : '');
  return { name, url: slug ? absoluteUrl(`/products/${slug}/reviews`, url) : null };
}

function readCard(card: Element, url: URL, business: Business): CardResult {
  const props = microdata(card);
  const author = microItem(props, 'author');
  const rating = microItem(props, 'reviewRating');
  const reviewId = /^survey-response-(\d+)$/.exec(card.id)?.[1] ?? null;
  const permalink = firstOf(S.permalink, card, (el) =>
    absoluteUrl(el.getAttribute('data-clipboard-text') ?? el.getAttribute('href'), url),
  );
  const bodyEl = card.querySelector('[itemprop~="reviewBody"]');
  const title = microText(props, 'name');
  const dateEl = firstOf(S.visibleDate, card, (el) => el);
  return finishReview({
    site: 'g2',
    reviewId: reviewId ?? reviewIdFromSlug(permalink ? new URL(permalink).pathname.split('/').at(-1) : undefined),
    permalink,
    reviewerName: (author && microText(author, 'name')) ?? microText(props, 'author'),
    reviewerProfileUrl:
      absoluteUrl(author ? microText(author, 'url') : null, url) ?? absoluteUrl(card.querySelector(S.profileLink)?.getAttribute('href'), url),
    rating: rating ? makeRating(microText(rating, 'ratingValue'), microText(rating, 'bestRating') ?? 5, microText(rating, 'worstRating') ?? 0) : null,
    title: title ? stripTitleQuotes(title) : null,
    text: blockText(bodyEl, { exclude: S.boilerplate }),
    date: makeDate(lineText(dateEl), microText(props, 'datePublished') ?? dateEl?.getAttribute('datetime')),
    business,
    tags: [...card.querySelectorAll(S.tags)].map((tag) => lineText(tag)),
    language: null,
  });
}

function readItems(root: Document | Element, url: URL) {
  const business = readBusiness(documentOf(root), url);
  const selector = S.card.find((candidate) => cardsIn(root, candidate).length > 0);
  const cards = selector ? cardsIn(root, selector) : [];
  return { business, ...readCards(cards, (card) => readCard(card, url, business)) };
}

export const g2Adapter = defineReviewSite({
  id: 'g2',
  hosts: siteHosts.g2.hosts,
  // A product's reviews page names a review by its slug; so does a survey response page.
  matchPage: (url) => {
    const product = PRODUCT_PATH.exec(url.pathname);
    const survey = SURVEY_PATH.exec(url.pathname);
    return product || survey ? { slug: product?.[2] ?? survey?.[1] } : null;
  },
  readItems,
  focusReviewId: (match) => reviewIdFromSlug(match.slug),
});
