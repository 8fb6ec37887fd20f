import { siteHosts } from '../hosts';
import {
  absoluteUrl,
  blockText,
  cardsIn,
  comparable,
  documentOf,
  findJsonLd,
  finishReview,
  firstOf,
  hasType,
  htmlStringToText,
  lineText,
  makeDate,
  makeRating,
  parseDayMonth,
  readCards,
  readJsonLd,
  reviewsPage,
  stringOf,
  type Business,
  type CardResult,
  type JsonLdNode,
  type ReviewDate,
  defineReviewSite,
} from '../kit';
import { sikayetvarSelectors as S } from './sikayetvar.selectors';

/** Site paths that are not brands (member pages, account, search, static pages). */
const NOT_BRANDS = new Set(['uye', 'giris', 'uye-ol', 'sikayet-yaz', 'arama', 'kategori', 'kategoriler', 'markalar', 'hakkimizda', 'iletisim', 'blog', 'sikayetlerim', 'marka', 'kvkk', 'yardim']);

function pathSegments(url: URL): string[] {
  return url.pathname.split('/').filter(Boolean);
}

function looksLikeComplaintPath(url: URL): boolean {
  const segments = pathSegments(url);
  return (segments.length === 1 || segments.length === 2) && !NOT_BRANDS.has(segments[0]!.toLowerCase());
}

/** Şikayetvar hides profile links from crawlers: the path is base64 in `data-url`. */
export function decodeDataUrl(value: string | null | undefined): string | null {
  const encoded = value?.trim();
  if (!encoded || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  try {
    const binary = atob(encoded);
    const path = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))).trim();
    return /^\/[^\s<>"']+$/.test(path) ? path : null;
  } catch {
    return null;
  }
}

interface PageData {
  business: Business;
  /** JSON-LD Review objects of the page (they carry the year and the full text). */
  jsonLd: JsonLdNode[];
}

function readPageData(doc: Document, url: URL): PageData {
  const nodes = readJsonLd(doc);
  const reviews = findJsonLd(nodes, 'Review');
  const brandEl = doc.querySelector(S.brandName);
  const brandSlug = pathSegments(url)[0] ?? null;
  const ldBusiness = findJsonLd(nodes, 'LocalBusiness', 'Organization', 'Corporation').find(({ node }) => stringOf(node.name))?.node;
  const reviewed = reviews.map(({ node, parent }) => (hasType(parent, 'LocalBusiness', 'Organization') ? parent : node.itemReviewed)).find(Boolean);
  const name =
    (brandEl ? brandEl.getAttribute('title')?.trim() || lineText(brandEl) : null) ||
    stringOf(ldBusiness?.name) ||
    stringOf(reviewed) ||
    brandSlug ||
    '';
  return {
    business: { name, url: brandSlug ? absoluteUrl(`/${brandSlug}`, url) : null },
    jsonLd: reviews.map(({ node }) => node),
  };
}

/** The JSON-LD Review for a card: same headline and same author (the cards carry no other key). */
function matchJsonLd(page: PageData, title: string | null, author: string | null): JsonLdNode | undefined {
  if (!title || !author) return undefined;
  const t = comparable(title);
  const a = comparable(author);
  return page.jsonLd.find((node) => comparable(htmlStringToText(node.headline ?? node.name)) === t && comparable(stringOf(node.author) ?? '') === a);
}

/** The card's yearless date, completed with the JSON-LD year when day and month agree. */
function completeDate(raw: string | null, ld: JsonLdNode | undefined): ReviewDate {
  const shown = makeDate(raw);
  if (shown.yearKnown) return shown;
  const published = makeDate(null, stringOf(ld?.datePublished));
  const parts = raw ? parseDayMonth(raw) : null;
  if (published.iso && parts) {
    const [, month, day] = published.iso.slice(0, 10).split('-').map(Number);
    if (month === parts.month && day === parts.day) return { iso: published.iso, raw: shown.raw, yearKnown: true };
  }
  return shown;
}

function readAuthor(root: Element, url: URL): { name: string | null; profile: string | null } {
  const el = firstOf(S.username, root, (candidate) => candidate);
  const name = el ? el.getAttribute('title')?.trim() || lineText(el) : null;
  const path = decodeDataUrl(el?.getAttribute('data-url')) ?? decodeDataUrl(root.querySelector('.profile-img[data-url]')?.getAttribute('data-url'));
  const profile = path && path.startsWith('/uye/') ? absoluteUrl(path, url) : null;
  return { name, profile };
}

function readRating(root: Element, ld: JsonLdNode | undefined) {
  const shown = root.querySelector(S.ratingNumber);
  if (shown) return makeRating(lineText(shown), 5, 1);
  const rating = ld?.reviewRating as JsonLdNode | undefined;
  return rating ? makeRating(rating.ratingValue, rating.bestRating ?? 5, rating.worstRating ?? 1) : null;
}

/** Brand/category list card (verified on the 2024 capture). */
function readCard(card: Element, url: URL, page: PageData): CardResult {
  const link = firstOf(S.titleLink, card, (el) => el);
  const title = link ? link.getAttribute('title')?.trim() || lineText(link) : null;
  const { name, profile } = readAuthor(card, url);
  const ld = matchJsonLd(page, title, name);
  const timeEl = firstOf(S.time, card, (el) => el);
  const raw = timeEl ? timeEl.getAttribute('title') || lineText(timeEl) : null;
  const teaser = blockText(firstOf(S.teaser, card, (el) => el), { exclude: '.ellipsis-text' });
  const full = htmlStringToText(ld?.reviewBody);
  // The card shows a teaser; the JSON-LD body is used only when it really continues that teaser.
  const text = full && comparable(full).startsWith(comparable(teaser).slice(0, 60)) ? full : teaser;
  return finishReview({
    site: 'sikayetvar',
    reviewId: card.getAttribute('data-id'),
    permalink: absoluteUrl(link?.getAttribute('href'), url),
    reviewerName: name,
    reviewerProfileUrl: profile,
    rating: readRating(card, ld),
    title,
    text,
    date: completeDate(raw, ld),
    // A list card does not say whether the brand answered: unknown, not "waiting".
    status: card.querySelector(S.brandAnswer) ? 'answered' : null,
    business: page.business,
    tags: [...card.querySelectorAll(S.tags)].map((tag) => lineText(tag)),
    language: null,
  });
}

/** Single complaint page (unverified selectors; see README). */
function readDetail(doc: Document, url: URL, page: PageData): CardResult {
  const titleEl = doc.querySelector(S.detailTitle)!;
  const container = titleEl.closest('article, main, [data-id]') ?? doc.body ?? doc.documentElement;
  const title = lineText(titleEl);
  const { name, profile } = readAuthor(container, url);
  const ld = matchJsonLd(page, title, name);
  const timeEl = firstOf(S.time, container, (el) => el);
  const raw = timeEl ? timeEl.getAttribute('title') || timeEl.getAttribute('datetime') || lineText(timeEl) : null;
  const idEl = container.querySelector(S.detailId) ?? doc.querySelector(S.detailId);
  const id = idEl?.getAttribute('data-complaint-id') ?? idEl?.getAttribute('data-id') ?? null;
  const text = blockText(firstOf(S.detailText, container, (el) => el)) || htmlStringToText(ld?.reviewBody);
  return finishReview({
    site: 'sikayetvar',
    // Without the numeric id, the permalink path identifies the complaint.
    reviewId: id ?? url.pathname.replace(/\/+$/, ''),
    permalink: absoluteUrl(url.pathname, url),
    reviewerName: name,
    reviewerProfileUrl: profile,
    rating: readRating(container, ld),
    title,
    text,
    date: completeDate(raw, ld),
    status: doc.querySelector(S.brandAnswer) ? 'answered' : 'waiting',
    business: page.business,
    tags: [...container.querySelectorAll(S.tags)].map((tag) => lineText(tag)),
    language: null,
  });
}

function readItems(root: Document | Element, url: URL) {
  const doc = documentOf(root);
  const page = readPageData(doc, url);
  const detailTitle = root.querySelector(S.detailTitle) ?? ('matches' in root && root.matches(S.detailTitle) ? root : null);
  if (detailTitle) {
    const container = detailTitle.closest('article, main, [data-id]') ?? detailTitle;
    return { business: page.business, detail: true, ...readCards([container], () => readDetail(doc, url, page)) };
  }
  const selector = S.card.find((candidate) => cardsIn(root, candidate).length > 0);
  const cards = selector ? cardsIn(root, selector) : [];
  return { business: page.business, detail: false, ...readCards(cards, (card) => readCard(card, url, page)) };
}

export const sikayetvarAdapter = defineReviewSite({
  id: 'sikayetvar',
  hosts: siteHosts.sikayetvar.hosts,
  matchPage: looksLikeComplaintPath,
  readItems,
  focusReviewId: (_match, read) => (read.detail ? (read.items[0]?.item.reviewId ?? null) : null),
  // A one- or two-segment path is not always a brand: say nothing unless the page has complaints.
  whenEmpty: (doc, url, read) =>
    read.detail || doc.querySelector(S.brandName) ? reviewsPage('sikayetvar', url, read.business, read) : undefined,
});
