import { siteHosts } from '../hosts';
import {
  absoluteUrl,
  blockText,
  cardsIn,
  documentOf,
  finishReview,
  findJsonLd,
  firstOf,
  hasType,
  htmlStringToText,
  langOf,
  lastPathSegment,
  lineText,
  makeDate,
  makeRating,
  makeResolver,
  ratingFromLabel,
  readCards,
  readJsonLd,
  stringOf,
  type Business,
  type CardResult,
  type JsonLdNode,
  defineReviewSite,
} from '../kit';
import { trustpilotSelectors as S } from './trustpilot.selectors';

/** Company review page: /review/<domain> (any locale subdomain: www., it., de. …). */
const COMPANY_PATH = /^\/review\/([^/?#]+)\/?$/;
/** Single review page: /reviews/<24-hex id>. */
const SINGLE_PATH = /^\/reviews\/([0-9a-f]{12,40})\/?$/i;

interface PageData {
  business: Business;
  /** JSON-LD Review nodes by Trustpilot review id (the last segment of their @id). */
  jsonLd: Map<string, JsonLdNode>;
}

function readPageData(doc: Document, url: URL): PageData {
  const nodes = readJsonLd(doc);
  const resolve = makeResolver(nodes);
  const jsonLd = new Map<string, JsonLdNode>();
  for (const { node } of findJsonLd(nodes, 'Review')) {
    // "@id": "https://www.trustpilot.com/#/schema/Review/<domain>/<review id>" (the id is in the hash).
    const id = /([0-9a-f]{12,40})\/?$/i.exec(stringOf(node['@id']) ?? stringOf(node.url) ?? '')?.[1];
    if (id) jsonLd.set(id, node);
  }

  const company = COMPANY_PATH.exec(url.pathname);
  const companyLink = doc.querySelector(S.businessLink);
  const domain = company?.[1] ?? (companyLink ? COMPANY_PATH.exec(new URL(companyLink.getAttribute('href') ?? '', url).pathname)?.[1] : undefined);
  const businessUrl = domain ? absoluteUrl(`/review/${domain}`, url) : null;

  // The business node: the LocalBusiness/Organization the page is about, i.e. the one whose
  // url is this company page (Trustpilot's own Organization node is also in the graph).
  const businessNodes = findJsonLd(nodes, 'LocalBusiness', 'Organization').map(({ node }) => node);
  const reviewed = [...jsonLd.values()].map((review) => resolve(review.itemReviewed)).find((node) => hasType(node, 'LocalBusiness', 'Organization'));
  const aboutDomain = businessNodes.find((node) => domain && (stringOf(node.url) ?? '').endsWith(`/review/${domain}`));
  const node = aboutDomain ?? (reviewed as JsonLdNode | undefined);
  const name =
    stringOf(node?.name) ??
    firstOf(S.businessName, doc, (el) => lineText(el)) ??
    (companyLink ? lineText(companyLink) : null) ??
    (domain ? decodeURIComponent(domain) : '');
  return { business: { name: name ?? '', url: businessUrl }, jsonLd };
}

function readCard(card: Element, url: URL, page: PageData): CardResult {
  const permalink = firstOf(S.permalink, card, (el) => absoluteUrl(el.getAttribute('href'), url));
  const reviewId = permalink && /\/reviews\//.test(permalink) ? lastPathSegment(permalink) : null;
  const ld = reviewId ? page.jsonLd.get(reviewId) : undefined;
  const author = ld?.author;

  const name = firstOf(S.reviewerName, card, (el) => lineText(el)) ?? stringOf(author);
  const profile =
    firstOf(S.reviewerProfile, card, (el) => absoluteUrl(el.getAttribute('href'), url)) ??
    absoluteUrl(stringOf((author as JsonLdNode | undefined)?.url), url);
  const textEl = firstOf(S.text, card, (el) => el);
  const text = blockText(textEl) || htmlStringToText(ld?.reviewBody);

  const ratingHook = card.querySelector(S.cardRating);
  const ldRating = ld?.reviewRating as JsonLdNode | undefined;
  const rating =
    makeRating(ratingHook?.getAttribute('data-service-review-rating'), ldRating?.bestRating ?? 5, ldRating?.worstRating ?? 1) ??
    ratingFromLabel(card.querySelector(S.ratingImage)?.getAttribute('alt')) ??
    makeRating(ldRating?.ratingValue, ldRating?.bestRating ?? 5, ldRating?.worstRating ?? 1);

  const time = firstOf(S.time, card, (el) => el);
  const title = firstOf(S.title, card, (el) => lineText(el)) ?? htmlStringToText(ld?.headline);

  return finishReview({
    site: 'trustpilot',
    reviewId,
    permalink,
    reviewerName: name,
    reviewerProfileUrl: profile,
    rating,
    title: title || null,
    text,
    date: makeDate(lineText(time), time?.getAttribute('datetime') ?? stringOf(ld?.datePublished)),
    status: card.querySelector(S.businessReply) ? 'answered' : null,
    business: page.business,
    tags: [],
    language: stringOf(ld?.inLanguage) ?? langOf(textEl, card),
  });
}

function readItems(root: Document | Element, url: URL) {
  const page = readPageData(documentOf(root), url);
  const papers = cardsIn(root, S.cardPaper);
  const rated = papers.filter((card) => card.querySelector(S.cardRating));
  // Should the rating hook disappear in a redesign, cards with a review permalink still count
  // (carousel cards have none), so the carousel never doubles the list.
  const cards = rated.length ? rated : papers.filter((card) => firstOf(S.permalink, card, (el) => el));
  return { business: page.business, ...readCards(cards, (card) => readCard(card, url, page)) };
}

export const trustpilotAdapter = defineReviewSite({
  id: 'trustpilot',
  hosts: siteHosts.trustpilot.hosts,
  matchPage: (url) => SINGLE_PATH.exec(url.pathname) ?? COMPANY_PATH.test(url.pathname),
  readItems,
  focusReviewId: (match) => (match === true ? null : (match[1] ?? null)),
});
