import { siteHosts } from '../hosts';
import {
  absoluteUrl,
  blockText,
  cardsIn,
  documentOf,
  finishReview,
  firstOf,
  langOf,
  lineText,
  makeDate,
  makeRating,
  pageUrl,
  ratingFromLabel,
  readCards,
  type Business,
  type CardResult,
  defineReviewSite,
} from '../kit';
import { googleSelectors as S } from './google.selectors';

/** Place panels: /maps/place/<name>/… (also under /maps/@… once a place is open). */
const PLACE_PATH = /^\/maps\/place\/([^/]+)/;

function readBusiness(doc: Document, url: URL): Business {
  const slug = PLACE_PATH.exec(url.pathname)?.[1];
  const fromUrl = slug ? decodeURIComponent(slug.replace(/\+/g, ' ')) : '';
  const name = firstOf(S.placeName, doc, (el) => lineText(el)) ?? fromUrl;
  return { name, url: pageUrl(url) };
}

/** Contributor URLs come as …/maps/contrib/<id>/reviews?hl=en; the identity is the bare id URL. */
export function contributorUrl(href: string | null | undefined, base: URL): string | null {
  const absolute = absoluteUrl(href, base);
  const id = absolute ? /\/maps\/contrib\/(\d{5,30})/.exec(absolute)?.[1] : undefined;
  return id ? `https://www.google.com/maps/contrib/${id}` : null;
}

function readCard(card: Element, url: URL, business: Business): CardResult {
  const textEl = firstOf(S.text, card, (el) => (el.closest(S.ownerResponse) ? null : el));
  const starsEl = firstOf(S.stars, card, (el) => el);
  const starsLabel = starsEl?.getAttribute('aria-label') ?? lineText(starsEl);
  const hotelScore = /^(\d+(?:[.,]\d+)?)\s*\/\s*(\d+)$/.exec(starsLabel.trim());
  return finishReview({
    site: 'google',
    reviewId: card.getAttribute('data-review-id'),
    // Google has no per-review URL in the panel (sharing goes through a generated short link).
    permalink: null,
    reviewerName: firstOf(S.reviewerName, card, (el) => lineText(el)) ?? card.getAttribute('aria-label'),
    reviewerProfileUrl: firstOf(S.contributorLink, card, (el) => contributorUrl(el.getAttribute('data-href') ?? el.getAttribute('href'), url)),
    rating: hotelScore ? makeRating(hotelScore[1], hotelScore[2], 1) : ratingFromLabel(starsLabel),
    title: null,
    text: blockText(textEl),
    // Relative ("2 months ago"): kept raw, never turned into a guessed date.
    date: makeDate(firstOf(S.date, card, (el) => lineText(el))),
    status: card.querySelector(S.ownerResponse) ? 'answered' : null,
    business,
    language: langOf(textEl, card) ?? card.querySelector(`${S.textContainer}[lang]`)?.getAttribute('lang') ?? null,
  });
}

function outermost(elements: Element[]): Element[] {
  return elements.filter((el) => !elements.some((other) => other !== el && other.contains(el)));
}

function readItems(root: Document | Element, url: URL) {
  const business = readBusiness(documentOf(root), url);
  const selector = S.card.find((candidate) => cardsIn(root, candidate).length > 0);
  const cards = selector ? outermost(cardsIn(root, selector)) : [];
  return { business, ...readCards(cards, (card) => readCard(card, url, business)) };
}

export const googleAdapter = defineReviewSite({
  id: 'google',
  hosts: siteHosts.google.hosts,
  matchPage: (url) => PLACE_PATH.test(url.pathname),
  readItems,
});
