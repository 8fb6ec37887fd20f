import { siteHosts } from '../hosts';
import {
  absoluteUrl,
  blockText,
  cardsIn,
  documentOf,
  findJsonLd,
  finishReview,
  firstOf,
  langOf,
  lineText,
  makeDate,
  makeRating,
  microdata,
  microItem,
  microText,
  ratingFromLabel,
  readCards,
  readJsonLd,
  stringOf,
  type Business,
  type CardResult,
  defineReviewSite,
} from '../kit';
import { yelpSelectors as S } from './yelp.selectors';

/** Business pages: /biz/<slug> (other paths, e.g. /biz_photos or /search, are not review pages). */
const BIZ_PATH = /^\/biz\/([^/?#]+)\/?$/;

function readBusiness(doc: Document, url: URL): Business {
  const slug = BIZ_PATH.exec(url.pathname)?.[1] ?? null;
  const ldBusiness = findJsonLd(readJsonLd(doc), 'LocalBusiness', 'Restaurant', 'FoodEstablishment', 'Organization')[0]?.node;
  const name = stringOf(ldBusiness?.name) ?? firstOf(S.businessName, doc, (el) => lineText(el)) ?? (slug ? decodeURIComponent(slug) : '');
  return { name, url: slug ? absoluteUrl(`/biz/${slug}`, url) : null };
}

/** The review permalink Yelp itself links to: /biz/<slug>?hrid=<review id>. */
function permalinkFor(reviewId: string, business: Business): string | null {
  if (!business.url) return null;
  const link = new URL(business.url);
  link.searchParams.set('hrid', reviewId);
  return link.href;
}

/** 2016 markup: the card is a schema.org Review in microdata. */
function readCard2016(card: Element, url: URL, business: Business): CardResult {
  const props = microdata(card);
  const reviewId = card.getAttribute('data-review-id');
  const rating = microItem(props, 'reviewRating');
  const textEl = [...card.querySelectorAll('[itemprop~="description"], [itemprop~="reviewBody"]')][0] ?? null;
  return finishReview({
    site: 'yelp',
    reviewId,
    permalink: reviewId ? permalinkFor(reviewId, business) : null,
    reviewerName: microText(props, 'author') ?? firstOf(S.userLink, card, (el) => lineText(el)),
    reviewerProfileUrl: firstOf(S.userLink, card, (el) => absoluteUrl(el.getAttribute('href'), url)),
    rating: rating
      ? makeRating(microText(rating, 'ratingValue'), microText(rating, 'bestRating') ?? 5, microText(rating, 'worstRating') ?? 1)
      : null,
    title: null,
    text: blockText(textEl),
    date: makeDate(lineText(card.querySelector(S.visibleDate2016)), microText(props, 'datePublished')),
    business,
    language: langOf(textEl, card),
  });
}

/** React markup (unverified, see README): user link, star label, text span with lang, hrid link. */
function readCardReact(card: Element, url: URL, business: Business): CardResult {
  const userLinks = [...card.querySelectorAll('a[href*="/user_details?userid="]')];
  const nameLink = userLinks.find((link) => lineText(link)) ?? null;
  const hrid = card.querySelector(S.hridLink)?.getAttribute('href');
  const reviewId =
    card.getAttribute('data-review-id') ??
    card.querySelector('[data-review-id]')?.getAttribute('data-review-id') ??
    (hrid ? new URL(hrid, url).searchParams.get('hrid') : null);
  const textEl = firstOf(S.textReact, card, (el) => (lineText(el) ? el : null));
  // The date is a short span such as "Mar 24, 2023"; the first one that parses with a year wins.
  const dateText = [...card.querySelectorAll('span')]
    .map((span) => lineText(span, {}, 60))
    .find((text) => text.length < 40 && makeDate(text).yearKnown);
  return finishReview({
    site: 'yelp',
    reviewId,
    permalink: reviewId ? permalinkFor(reviewId, business) : null,
    reviewerName: nameLink ? lineText(nameLink) : null,
    reviewerProfileUrl: absoluteUrl(nameLink?.getAttribute('href') ?? userLinks[0]?.getAttribute('href'), url),
    rating: ratingFromLabel(card.querySelector(S.starLabel)?.getAttribute('aria-label')),
    title: null,
    text: blockText(textEl),
    date: makeDate(dateText ?? null),
    business,
    language: langOf(textEl, card),
  });
}

function reactCards(root: Document | Element): Element[] {
  const candidates = cardsIn(root, S.cardReact).filter(
    (li) => li.querySelector('a[href*="/user_details?userid="]') && li.querySelector(S.starLabel),
  );
  // Innermost list items only: a wrapper <li> around the whole list is not a review.
  return candidates.filter((li) => !candidates.some((other) => other !== li && li.contains(other)));
}

function readItems(root: Document | Element, url: URL) {
  const business = readBusiness(documentOf(root), url);
  const old = cardsIn(root, S.card2016);
  if (old.length) return { business, ...readCards(old, (card) => readCard2016(card, url, business)) };
  return { business, ...readCards(reactCards(root), (card) => readCardReact(card, url, business)) };
}

export const yelpAdapter = defineReviewSite({
  id: 'yelp',
  hosts: siteHosts.yelp.hosts,
  matchPage: (url) => BIZ_PATH.test(url.pathname),
  readItems,
});
