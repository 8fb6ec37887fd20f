import { siteHosts } from '../hosts';
import {
  absoluteUrl,
  blockText,
  cardsIn,
  documentOf,
  finishReview,
  firstOf,
  lineText,
  makeDate,
  ratingFromLabel,
  readCards,
  type Business,
  type CardResult,
  defineReviewSite,
} from '../kit';
import { amazonSelectors as S } from './amazon.selectors';

/** Product pages (/dp/<ASIN>, /<slug>/dp/<ASIN>, /gp/product/<ASIN>) and all-reviews pages. */
const PRODUCT_PATH = /\/(?:dp|gp\/product|product-reviews|gp\/aw\/d)\/([A-Z0-9]{10})(?:[/?]|$)/i;
/** A single review: /gp/customer-reviews/<review id>. */
const REVIEW_PATH = /\/gp\/customer-reviews\/([A-Z0-9]{8,20})(?:[/?]|$)/i;

function readBusiness(doc: Document, url: URL): Business {
  const name = firstOf(S.productTitle, doc, (el) => lineText(el)) ?? '';
  const canonical = absoluteUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), url);
  const asin = PRODUCT_PATH.exec(url.pathname)?.[1];
  return { name, url: canonical ?? (asin ? absoluteUrl(`/dp/${asin}`, url) : null) };
}

/** The title is the last plain <span> of the title element (the stars sit inside it too). */
function readTitle(card: Element): string | null {
  const titleEl = card.querySelector(S.title);
  if (!titleEl) return null;
  const plain = [...titleEl.children].filter((el) => el.tagName === 'SPAN' && !el.className && lineText(el));
  const last = plain.at(-1);
  if (last) return lineText(last);
  return lineText(titleEl, { exclude: '.a-icon-alt, i, .a-letter-space' }) || null;
}

function readCard(card: Element, url: URL, business: Business): CardResult {
  const reviewId = card.getAttribute('data-hook') === 'review' ? card.id : card.id.replace(/^customer_review-/, '');
  const titleEl = card.querySelector(S.title);
  // "Top reviews from other countries" cards (customer_review_foreign-<id>) live on another
  // marketplace and carry no link: a URL built on this host could be wrong, so none is given.
  const foreign = Boolean(card.querySelector(S.foreignMarker)) || card.matches(S.foreignMarker);
  const permalink =
    absoluteUrl(titleEl?.getAttribute('href'), url) ??
    (reviewId && !foreign ? absoluteUrl(`/gp/customer-reviews/${reviewId}`, url) : null);
  return finishReview({
    site: 'amazon',
    reviewId: reviewId || null,
    permalink,
    reviewerName: firstOf(S.reviewerName, card, (el) => lineText(el)),
    reviewerProfileUrl: firstOf(S.profileLink, card, (el) => absoluteUrl(el.getAttribute('href'), url)),
    rating: ratingFromLabel(firstOf(S.starLabel, card, (el) => lineText(el))),
    title: readTitle(card),
    text: blockText(card.querySelector(S.body), { exclude: S.bodyNoise }),
    date: makeDate(lineText(card.querySelector(S.date))),
    business,
    tags: [...card.querySelectorAll(S.badges)].map((badge) => lineText(badge)),
    // Amazon shows no per-review language (the page `lang` is the shop's, not the reviewer's).
    language: null,
  });
}

function readItems(root: Document | Element, url: URL) {
  const business = readBusiness(documentOf(root), url);
  const selector = S.card.find((candidate) => cardsIn(root, candidate).length > 0);
  const cards = selector ? cardsIn(root, selector) : [];
  return { business, ...readCards(cards, (card) => readCard(card, url, business)) };
}

export const amazonAdapter = defineReviewSite({
  id: 'amazon',
  hosts: siteHosts.amazon.hosts,
  matchPage: (url) => REVIEW_PATH.exec(url.pathname) ?? PRODUCT_PATH.test(url.pathname),
  readItems,
  focusReviewId: (match) => (match === true ? null : (match[1] ?? null)),
});
