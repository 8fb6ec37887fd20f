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
  pageUrl,
  readCards,
  reviewsPage,
  schemaReviews,
  type Business,
  type CardResult,
  defineReviewSite,
} from '../kit';
import { eshtkiSelectors as S } from './eshtki.selectors';

/** UNVERIFIED adapter (see README and selectors): guessed markup first, schema.org second. */

const ANSWERED_TEXT = /تم الرد|رد الشركة|تم الحل/;
const WAITING_TEXT = /بانتظار الرد|في انتظار الرد|قيد الانتظار|لم يتم الرد/;

function readBusiness(doc: Document, url: URL): Business {
  const el = firstOf(S.company, doc, (candidate) => (lineText(candidate) ? candidate : null));
  const href = el?.getAttribute('href');
  return { name: el ? lineText(el) : lineText(doc.querySelector('h1')) || url.hostname, url: absoluteUrl(href, url) ?? pageUrl(url) };
}

function readStatus(card: Element): 'answered' | 'waiting' | null {
  if (card.querySelector(S.answered)) return 'answered';
  if (card.querySelector(S.waiting)) return 'waiting';
  const text = lineText(card, {}, 5000);
  if (ANSWERED_TEXT.test(text)) return 'answered';
  if (WAITING_TEXT.test(text)) return 'waiting';
  return null;
}

function readCard(card: Element, url: URL, pageBusiness: Business): CardResult {
  const titleEl = firstOf(S.title, card, (el) => (lineText(el) ? el : null));
  const permalink = titleEl?.tagName === 'A' ? absoluteUrl(titleEl.getAttribute('href'), url) : null;
  const companyEl = firstOf(S.company, card, (el) => (lineText(el) ? el : null));
  const business = companyEl ? { name: lineText(companyEl), url: absoluteUrl(companyEl.getAttribute('href'), url) } : pageBusiness;
  const timeEl = firstOf(S.time, card, (el) => el);
  return finishReview({
    site: 'eshtki',
    reviewId: card.getAttribute('data-complaint-id') ?? (permalink ? new URL(permalink).pathname.replace(/\/+$/, '') : null),
    permalink,
    reviewerName: firstOf(S.author, card, (el) => lineText(el)),
    reviewerProfileUrl: firstOf(S.profileLink, card, (el) => absoluteUrl(el.getAttribute('href'), url)),
    // Complaints carry no stars.
    rating: null,
    title: titleEl ? lineText(titleEl) : null,
    text: blockText(firstOf(S.text, card, (el) => el)),
    date: makeDate(lineText(timeEl), timeEl?.getAttribute('datetime')),
    status: readStatus(card),
    business,
    language: card.closest('[lang]')?.getAttribute('lang') ?? null,
  });
}

function readItems(root: Document | Element, url: URL) {
  const doc = documentOf(root);
  const business = readBusiness(doc, url);
  const selector = S.card.find((candidate) => cardsIn(root, candidate).length > 0);
  const cards = selector ? cardsIn(root, selector) : [];
  return { business, ...readCards(cards, (card) => readCard(card, url, business)) };
}

export const eshtkiAdapter = defineReviewSite({
  id: 'eshtki',
  hosts: siteHosts.eshtki.hosts,
  readItems,
  // Fallback: schema.org Reviews, which complaint sites often print for search engines.
  whenEmpty(doc, url, { business }) {
    const schema = schemaReviews(doc, url, 'eshtki', business);
    const items = schema.flatMap(({ result, element }) => ('review' in result ? [{ element: element ?? doc.documentElement, item: result.review }] : []));
    if (items.length === 0) return undefined;
    const unreadable = schema.flatMap(({ result }, index) =>
      'unreadable' in result ? [{ position: index + 1, reviewerName: result.unreadable.reviewerName, reason: result.unreadable.reason }] : [],
    );
    return reviewsPage('eshtki', url, items[0]?.item.business ?? business, { items, unreadable });
  },
});
