import type { PageContext, PageContextOf, Review, SiteId } from '@shared/page-context';
import type { PageItem } from './types';
import { cleanPersonName } from '@shared/text';

/**
 * Shared reading logic for review and complaint sites. Adapters stay small: they pick the cards
 * and fields with their selectors, and this module turns page text into bounded, plain values.
 * Everything here is pure over the nodes it is handed (no `window`/`document`, no zod: content
 * scripts stay light; the background validates what they send).
 */

// ---------------------------------------------------------------------------------------------
// Limits (mirror shared/page-context.ts reviewSchema / reviewsPageSchema)

export const LIMITS = {
  reviewId: 300,
  name: 300,
  title: 2000,
  text: 100_000,
  raw: 200,
  iso: 64,
  url: 2048,
  business: 500,
  tag: 200,
  tags: 50,
  language: 20,
  reason: 500,
  reviews: 1000,
} as const;

// ---------------------------------------------------------------------------------------------
// Text

/** Bidi overrides/isolates, zero-width characters and BOM: invisible, and used to spoof names. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'BUTTON']);
const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE',
  'TR', 'UL',
]);

/** Cuts to `max` UTF-16 units, ending with "…", never splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = max - 1;
  const code = value.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${value.slice(0, cut)}…`;
}

/** One line: whitespace runs (incl. NBSP and newlines) collapsed to one space, trimmed, bounded. */
export function cleanLine(value: string | null | undefined, max: number = LIMITS.text): string {
  if (!value) return '';
  return truncate(value.replace(/\s+/g, ' ').trim(), max);
}

/**
 * A person's name as an identity: the one policy of `shared/text.ts` (`cleanPersonName`: bidi
 * controls and zero-width spaces stripped, the Persian zero-width non-joiner kept), bounded.
 * Folding turns that ZWNJ into a word break, so "مهسا‌سادات" and "مهسا سادات" are one person.
 */
export function cleanName(value: string | null | undefined, max: number = LIMITS.name): string {
  return truncate(cleanPersonName(value), max);
}

/** Multi-line text: spaces collapsed inside lines, at most one blank line between paragraphs. */
export function cleanBlock(value: string | null | undefined, max: number = LIMITS.text): string {
  if (!value) return '';
  const lines = value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim());
  const text = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return truncate(text, max);
}

interface TextOptions {
  /** Selector of descendants to leave out (e.g. "Read more" buttons, site boilerplate). */
  exclude?: string;
}

/**
 * The text a reader sees in `el`, as plain text: block elements and <br> become line breaks,
 * scripts/styles/buttons are skipped. Never innerHTML: page text is attacker-controlled.
 */
export function blockText(el: Element | null | undefined, options: TextOptions = {}, max: number = LIMITS.text): string {
  if (!el) return '';
  const parts: string[] = [];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        parts.push(child.nodeValue ?? '');
      } else if (child.nodeType === 1) {
        const element = child as Element;
        const tag = element.tagName.toUpperCase();
        if (SKIP_TAGS.has(tag)) continue;
        if (options.exclude && element.matches(options.exclude)) continue;
        if (tag === 'BR') {
          parts.push('\n');
          continue;
        }
        const block = BLOCK_TAGS.has(tag);
        if (block) parts.push('\n');
        walk(element);
        if (block) parts.push('\n');
      }
    }
  };
  walk(el);
  return cleanBlock(parts.join(''), max);
}

/** `blockText` on one line (names, titles, dates). */
export function lineText(el: Element | null | undefined, options: TextOptions = {}, max: number = LIMITS.text): string {
  return cleanLine(blockText(el, options, Number.MAX_SAFE_INTEGER), max);
}

/** Plain text out of a JSON-LD string, which some sites fill with HTML (`<br>`, entities). */
export function htmlStringToText(value: unknown, max: number = LIMITS.text): string {
  if (typeof value !== 'string') return '';
  const text = value
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp|#39);/gi, (entity, code: string) => {
      const lower = code.toLowerCase();
      if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10));
      return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[lower] ?? entity;
    });
  return cleanBlock(text, max);
}

function safeCodePoint(code: number): string {
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** The same text for comparisons: one line, lower case, without a trailing ellipsis. */
export function comparable(value: string): string {
  return cleanLine(value.replace(INVISIBLE, ''))
    .replace(/(\.\.\.|…)$/, '')
    .trim()
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// URLs

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

// ---------------------------------------------------------------------------------------------
// Numbers and ratings

/** Arabic-Indic and Persian digits to ASCII, Arabic decimal separator to a dot. */
export function asciiDigits(value: string): string {
  return value
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, '.');
}

/** "4,5" / "4.5" / 4.5 → 4.5; anything else → null. */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /-?\d+(?:[.,]\d+)?/.exec(asciiDigits(value));
  if (!match) return null;
  const number = Number(match[0].replace(',', '.'));
  return Number.isFinite(number) ? number : null;
}

export type Rating = NonNullable<Review['rating']>;

/** A rating when value, best and worst make sense together (worst ≤ value ≤ best), else null. */
export function makeRating(value: unknown, best: unknown = 5, worst: unknown = 1): Rating | null {
  const v = parseNumber(value);
  const b = parseNumber(best) ?? 5;
  const w = parseNumber(worst) ?? 1;
  // Below the scale (e.g. 0 stars meaning "not rated") or above it: not a rating we can trust.
  if (v === null || v < w || v > b || b <= w) return null;
  return { value: v, best: b, worst: w };
}

/**
 * Reads a star rating out of a label: "5.0 out of 5 stars", "5,0 de 5 estrellas",
 * "Valutata 5 stelle su 5", "5 stars", "٥ نجوم". The first number is the value; a second
 * number is the scale, otherwise the scale is 5 (every site here rates out of five).
 */
export function ratingFromLabel(label: string | null | undefined): Rating | null {
  if (!label) return null;
  const numbers = [...asciiDigits(label).matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => Number(m[0].replace(',', '.')));
  if (numbers.length === 0) return null;
  const [value, scale] = numbers;
  if (value === undefined) return null;
  const best = scale !== undefined && scale >= value && scale <= 10 ? scale : 5;
  return makeRating(value, best, 1);
}

// ---------------------------------------------------------------------------------------------
// Dates

export type ReviewDate = Review['date'];

const MONTHS: Record<string, number> = {};
const MONTH_NAMES: string[][] = [
  // en, es, it, fr, de, pt, tr, nl, ar (Egyptian/Gulf month names)
  ['january', 'jan', 'enero', 'ene', 'gennaio', 'gen', 'janvier', 'janv', 'januar', 'janeiro', 'ocak', 'oca', 'januari', 'يناير'],
  ['february', 'feb', 'febrero', 'febbraio', 'février', 'fevrier', 'févr', 'februar', 'fevereiro', 'fev', 'şubat', 'şub', 'subat', 'februari', 'فبراير'],
  ['march', 'mar', 'marzo', 'mars', 'märz', 'marz', 'mär', 'março', 'marco', 'mart', 'maart', 'mrt', 'مارس'],
  ['april', 'apr', 'abril', 'abr', 'aprile', 'avril', 'avr', 'nisan', 'nis', 'أبريل', 'ابريل', 'إبريل'],
  ['may', 'mayo', 'maggio', 'mag', 'mai', 'maio', 'mayıs', 'mayis', 'mei', 'مايو'],
  ['june', 'jun', 'junio', 'giugno', 'giu', 'juin', 'juni', 'junho', 'haziran', 'haz', 'يونيو'],
  ['july', 'jul', 'julio', 'luglio', 'lug', 'juillet', 'juil', 'juli', 'julho', 'temmuz', 'tem', 'يوليو'],
  ['august', 'aug', 'agosto', 'ago', 'août', 'aout', 'ağustos', 'agustos', 'ağu', 'augustus', 'أغسطس', 'اغسطس'],
  ['september', 'sep', 'sept', 'septiembre', 'set', 'settembre', 'septembre', 'setembro', 'eylül', 'eylul', 'eyl', 'سبتمبر'],
  ['october', 'oct', 'octubre', 'ottobre', 'ott', 'octobre', 'oktober', 'okt', 'outubro', 'out', 'ekim', 'eki', 'أكتوبر', 'اكتوبر'],
  ['november', 'nov', 'noviembre', 'novembre', 'novembro', 'kasım', 'kasim', 'kas', 'نوفمبر'],
  ['december', 'dec', 'diciembre', 'dic', 'dicembre', 'décembre', 'decembre', 'déc', 'dezember', 'dez', 'dezembro', 'aralık', 'aralik', 'ara', 'ديسمبر'],
];
MONTH_NAMES.forEach((names, index) => names.forEach((name) => (MONTHS[name] = index + 1)));

const pad = (n: number) => String(n).padStart(2, '0');

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Day and month (and year when shown) out of a localized date text, e.g. "21 Mayıs 20:46". */
export function parseDayMonth(raw: string): { day: number; month: number; year: number | null } | null {
  const text = asciiDigits(raw).toLocaleLowerCase('tr').replace(/\./g, ' ');
  const words = text.match(/[\p{L}]+/gu) ?? [];
  let month: number | undefined;
  for (const word of words) {
    const found = MONTHS[word] ?? MONTHS[word.normalize('NFD').replace(/[\u0300-\u036f]/g, '')];
    if (found) {
      month = found;
      break;
    }
  }
  if (!month) return null;
  // Times ("20:46") are not days or years.
  const numbers = [...text.replace(/\d{1,2}:\d{2}(:\d{2})?/g, ' ').matchAll(/\d+/g)].map((m) => Number(m[0]));
  const year = numbers.find((n) => n >= 1990 && n <= 2100) ?? null;
  const day = numbers.find((n) => n >= 1 && n <= 31);
  if (day === undefined) return null;
  return { day, month, year };
}

/**
 * A date as the schema wants it. ISO strings pass through; localized month-name dates with a
 * year become YYYY-MM-DD; a date without a year keeps `iso: null, yearKnown: false`; relative
 * dates ("2 months ago") are kept raw only.
 */
export function makeDate(raw: string | null | undefined, iso?: string | null): ReviewDate {
  const rawText = raw ? cleanLine(raw, LIMITS.raw) || null : null;
  const isoValue = iso ? normalizeIso(iso) : null;
  if (isoValue) return { iso: isoValue, raw: rawText, yearKnown: true };
  if (!rawText) return { iso: null, raw: null, yearKnown: false };
  const asIso = normalizeIso(rawText);
  if (asIso) return { iso: asIso, raw: rawText, yearKnown: true };
  const parts = parseDayMonth(rawText);
  if (parts?.year && validDay(parts.year, parts.month, parts.day)) {
    return { iso: `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`, raw: rawText, yearKnown: true };
  }
  return { iso: null, raw: rawText, yearKnown: false };
}

/** A bounded ISO date or date-time, or null when `value` is not one. */
export function normalizeIso(value: string): string | null {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (!validDay(y, m, d)) return null;
  return truncate(text.replace(' ', 'T'), LIMITS.iso);
}

// ---------------------------------------------------------------------------------------------
// JSON-LD

export type JsonLdNode = Record<string, unknown>;

/** Every JSON-LD object of the page, with `@graph` and top-level arrays flattened. */
export function readJsonLd(doc: Document): JsonLdNode[] {
  const nodes: JsonLdNode[] = [];
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    const parsed = parseJsonLoose(script.textContent ?? '');
    const queue: unknown[] = Array.isArray(parsed) ? [...parsed] : [parsed];
    while (queue.length) {
      const item = queue.shift();
      if (Array.isArray(item)) {
        queue.push(...item);
      } else if (isObject(item)) {
        nodes.push(item);
        const graph = item['@graph'];
        if (graph !== undefined) queue.push(...(Array.isArray(graph) ? graph : [graph]));
      }
    }
  }
  return nodes;
}

function parseJsonLoose(text: string): unknown {
  const cleaned = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\/\*<!\[CDATA\[\*\/|\/\*\]\]>\*\/$/g, '')
    .trim();
  if (!cleaned) return null;
  try {
    return JSON.parse(cleaned);
  } catch {
    // Some CMSs leave raw newlines inside strings; JSON forbids them.
    try {
      return JSON.parse(cleaned.replace(/[\n\r\t]+/g, ' '));
    } catch {
      return null;
    }
  }
}

export function isObject(value: unknown): value is JsonLdNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `@type` as bare names ("http://schema.org/Review" → "Review"). */
export function typesOf(node: unknown): string[] {
  if (!isObject(node)) return [];
  const raw = node['@type'];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^https?:\/\/schema\.org\//i, ''));
}

export function hasType(node: unknown, ...types: string[]): boolean {
  return typesOf(node).some((t) => types.includes(t));
}

/** Values of a property as an array (schema.org allows one value or many). */
export function valuesOf(node: unknown, key: string): unknown[] {
  if (!isObject(node)) return [];
  const value = node[key];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A string out of a property that may be a string, a number, or {name}/{@value}. */
export function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return stringOf(value[0]);
  if (isObject(value)) return stringOf(value['@value'] ?? value.name);
  return null;
}

/** Resolves `{ "@id": … }` references against the other nodes of the page. */
export function makeResolver(nodes: JsonLdNode[]): (value: unknown) => unknown {
  const byId = new Map<string, JsonLdNode>();
  const index = (node: unknown): void => {
    if (!isObject(node)) return;
    const id = node['@id'];
    if (typeof id === 'string' && Object.keys(node).length > 1 && !byId.has(id)) byId.set(id, node);
  };
  nodes.forEach(index);
  return (value) => {
    if (isObject(value) && typeof value['@id'] === 'string' && Object.keys(value).length === 1) {
      return byId.get(value['@id']) ?? value;
    }
    return value;
  };
}

/**
 * Every node of one of `types`, searched through nested properties too (Product.review[],
 * LocalBusiness.review[]); each comes with the nearest enclosing item (what the review is about).
 */
export function findJsonLd(nodes: JsonLdNode[], ...types: string[]): { node: JsonLdNode; parent: JsonLdNode | null }[] {
  const found: { node: JsonLdNode; parent: JsonLdNode | null }[] = [];
  const seen = new Set<JsonLdNode>();
  const walk = (value: unknown, parent: JsonLdNode | null, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, parent, depth + 1));
      return;
    }
    if (!isObject(value) || seen.has(value)) return;
    seen.add(value);
    if (hasType(value, ...types)) found.push({ node: value, parent });
    for (const [key, child] of Object.entries(value)) {
      if (key === '@graph' || key === '@context') continue;
      walk(child, value, depth + 1);
    }
  };
  nodes.forEach((node) => walk(node, null, 0));
  return found;
}

// ---------------------------------------------------------------------------------------------
// Microdata

export type MicrodataValue = string | Element;

/** The properties of one microdata item (`itemscope` element), nested items left as elements. */
export function microdata(item: Element): Map<string, MicrodataValue[]> {
  const props = new Map<string, MicrodataValue[]>();
  for (const el of item.querySelectorAll('[itemprop]')) {
    // Only this item's own properties: the nearest itemscope above `el` must be `item`.
    const owner = el.parentElement?.closest('[itemscope]');
    if (owner !== item) continue;
    const value: MicrodataValue = el.hasAttribute('itemscope') ? el : microdataValue(el);
    for (const name of (el.getAttribute('itemprop') ?? '').split(/\s+/).filter(Boolean)) {
      const key = name.replace(/^https?:\/\/schema\.org\//i, '');
      const list = props.get(key) ?? [];
      list.push(value);
      props.set(key, list);
    }
  }
  return props;
}

function microdataValue(el: Element): string {
  const tag = el.tagName.toUpperCase();
  if (tag === 'META') return el.getAttribute('content') ?? '';
  if (tag === 'A' || tag === 'LINK' || tag === 'AREA') return el.getAttribute('href') ?? '';
  if (['IMG', 'AUDIO', 'VIDEO', 'SOURCE', 'IFRAME', 'EMBED'].includes(tag)) return el.getAttribute('src') ?? '';
  if (tag === 'TIME') return el.getAttribute('datetime') ?? el.textContent ?? '';
  if (tag === 'DATA' || tag === 'METER') return el.getAttribute('value') ?? '';
  if (el.hasAttribute('content')) return el.getAttribute('content') ?? '';
  return blockText(el);
}

/** First value of a microdata property as text (a nested item gives its `name`, else its text). */
export function microText(props: Map<string, MicrodataValue[]>, key: string): string | null {
  const value = props.get(key)?.[0];
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  const nested = microdata(value);
  return microText(nested, 'name') ?? blockText(value);
}

/** First nested item of a microdata property. */
export function microItem(props: Map<string, MicrodataValue[]>, key: string): Map<string, MicrodataValue[]> | null {
  const value = props.get(key)?.find((v): v is Element => typeof v !== 'string');
  return value ? microdata(value) : null;
}

export function itemTypeIs(el: Element, ...types: string[]): boolean {
  const list = (el.getAttribute('itemtype') ?? '').split(/\s+/).map((t) => t.replace(/^https?:\/\/schema\.org\//i, ''));
  return list.some((t) => types.includes(t));
}

// ---------------------------------------------------------------------------------------------
// Blocked pages

const CHALLENGE_TITLES =
  /^(just a moment\.*|attention required!?( \| cloudflare)?|one more step|checking your browser.*|robot check|are you a robot\??|access to this page has been denied\.?|pardon our interruption\.*|verify you are human|security check|bir dakika\.*|لحظة\.*)$/i;
const CHALLENGE_SELECTORS = [
  // Cloudflare interstitial and managed challenge (2019–2025 markup)
  '#cf-challenge-running',
  '#challenge-form',
  '#challenge-stage',
  '#challenge-running',
  '.cf-challenge',
  '.cf-browser-verification',
  '#cf-please-wait',
  // Amazon "Robot Check" / "Enter the characters you see below"
  'form[action*="validateCaptcha"]',
  '#captchacharacters',
  // PerimeterX (Yelp, G2 at times) and DataDome (G2) block pages
  '#px-captcha',
  'iframe[src*="captcha-delivery.com"]',
  'script[src*="captcha-delivery.com"]',
  // Google "unusual traffic" page
  'form[action*="/sorry/index"]',
  '#captcha-form',
];
const CHALLENGE_TEXT =
  /(checking if the site connection is secure|verify you are human by completing|enable javascript and cookies to continue|enter the characters you see below|sorry, we just need to make sure you're not a robot|our systems have detected unusual traffic|you have been blocked|why have i been blocked|access to this page has been denied|please verify you are a human|press (&|and) hold)/i;
const ERROR_TITLES =
  /(^|\b)(404|410|500|502|503)(\b|$)|page not found|not found|service unavailable|internal server error|bad gateway|sayfa bulunamad[ıi]|p[aá]gina no encontrada|pagina non trovata|seite nicht gefunden|الصفحة غير موجودة|خطأ/i;
const ERROR_TEXT =
  /(sorry! we couldn'?t find that page|looking for something\? we'?re sorry\. the web address you entered is not a functioning page|this page isn'?t available|the page you requested could not be found|we can'?t find the page|page you were looking for (doesn'?t|does not) exist|sayfa bulunamad[ıi])/i;

function visibleText(doc: Document): string {
  return lineText(doc.body, {}, 5000);
}

/**
 * Whether the site answered with a bot challenge or an error page instead of content.
 * Conservative: title and well-known challenge hooks decide; page text is only read when the
 * page is short (a review that mentions "captcha" must not hide a real page). Cloudflare adds
 * `/cdn-cgi/challenge-platform/` scripts to normal pages too, so that alone is not a challenge.
 */
export function isBlockedPage(doc: Document): 'bot-challenge' | 'error-page' | null {
  const title = cleanLine(doc.title, 300);
  const bodyText = visibleText(doc);
  const short = bodyText.length < 1500;
  if (CHALLENGE_TITLES.test(title)) return 'bot-challenge';
  if (CHALLENGE_SELECTORS.some((selector) => doc.querySelector(selector))) return 'bot-challenge';
  const challengeScript = doc.querySelector(
    'script[src*="/cdn-cgi/challenge-platform/"], iframe[src*="challenges.cloudflare.com"], script[src*="challenges.cloudflare.com"]',
  );
  if (challengeScript && short) return 'bot-challenge';
  if (short && CHALLENGE_TEXT.test(bodyText)) return 'bot-challenge';
  if (short && (ERROR_TITLES.test(title) || ERROR_TEXT.test(bodyText))) return 'error-page';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Building reviews and pages

export interface Business {
  name: string;
  url: string | null;
}

export type Unreadable = PageContextOf<'reviews'>['unreadable'][number];

/** What an adapter read off one card: a review, or why it could not be read. */
export type CardResult = { review: Review } | { unreadable: { reviewerName: string | null; reason: string } };

export interface ReviewDraft {
  site: SiteId;
  reviewId: string | null;
  permalink: string | null;
  reviewerName: string | null;
  reviewerProfileUrl: string | null;
  rating: Rating | null;
  title: string | null;
  text: string | null;
  date: ReviewDate;
  status?: Review['status'];
  business: Business;
  tags?: string[];
  language?: string | null;
}

/**
 * A Review from what a card gave, bounded to the schema, or the reason it is unreadable: no
 * name, no text, or no id. A wrong review is worse than none, so nothing is guessed here.
 */
export function finishReview(draft: ReviewDraft): CardResult {
  const reviewerName = cleanName(draft.reviewerName);
  const text = cleanBlock(draft.text, LIMITS.text);
  const reviewId = cleanLine(draft.reviewId?.replace(INVISIBLE, ''), LIMITS.reviewId);
  if (!reviewerName) return { unreadable: { reviewerName: null, reason: 'no reviewer name (the markup may have changed)' } };
  if (!text) return { unreadable: { reviewerName, reason: 'no review text (a rating-only review, or the markup changed)' } };
  if (!reviewId) return { unreadable: { reviewerName, reason: 'no review id or permalink' } };
  const title = draft.title ? cleanLine(draft.title, LIMITS.title) || null : null;
  const tags = (draft.tags ?? [])
    .map((tag) => cleanLine(tag, LIMITS.tag))
    .filter(Boolean)
    .slice(0, LIMITS.tags);
  const language = draft.language ? cleanLine(draft.language, LIMITS.language) || null : null;
  const permalink = draft.permalink && draft.permalink.length <= LIMITS.url ? draft.permalink : null;
  const profile = draft.reviewerProfileUrl && draft.reviewerProfileUrl.length <= LIMITS.url ? draft.reviewerProfileUrl : null;
  return {
    review: {
      site: draft.site,
      reviewId,
      permalink,
      reviewerName,
      reviewerProfileUrl: profile,
      rating: draft.rating,
      title,
      text,
      date: draft.date,
      status: draft.status ?? null,
      business: boundBusiness(draft.business),
      tags: [...new Set(tags)],
      language,
    },
  };
}

export function boundBusiness(business: Business): Business {
  return {
    name: cleanLine(business.name, LIMITS.business),
    url: business.url && business.url.length <= LIMITS.url ? business.url : null,
  };
}

/**
 * Reads every card with `read`; readable ones become items (deduplicated by review id, first
 * wins), the others unreadable entries with their 1-based position among the cards.
 */
export function readCards(
  cards: Element[],
  read: (card: Element, index: number) => CardResult,
): { items: PageItem<Review>[]; unreadable: Unreadable[] } {
  const items: PageItem<Review>[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  cards.forEach((card, index) => {
    let result: CardResult;
    try {
      result = read(card, index);
    } catch (error) {
      result = { unreadable: { reviewerName: null, reason: cleanLine(`could not read the card: ${String(error)}`, LIMITS.reason) } };
    }
    if ('review' in result) {
      if (seen.has(result.review.reviewId)) return;
      seen.add(result.review.reviewId);
      if (items.length < LIMITS.reviews) items.push({ element: card, item: result.review });
    } else if (unreadable.length < LIMITS.reviews) {
      unreadable.push({
        position: index + 1,
        reviewerName: result.unreadable.reviewerName ? cleanName(result.unreadable.reviewerName) || null : null,
        reason: cleanLine(result.unreadable.reason, LIMITS.reason),
      });
    }
  });
  return { items, unreadable };
}

/** Cards under `root`, including `root` itself when it is one (reviewItems gets subtrees). */
export function cardsIn(root: Document | Element, selector: string): Element[] {
  const found = [...root.querySelectorAll(selector)];
  if ('matches' in root && root.matches(selector)) found.unshift(root);
  return found;
}

export function documentOf(root: Document | Element): Document {
  return 'documentElement' in root ? root : (root.ownerDocument ?? (root as unknown as Document));
}

export function reviewsPage(
  site: SiteId,
  url: URL,
  business: Business,
  read: { items: PageItem<Review>[]; unreadable: Unreadable[] },
  focusReviewId: string | null = null,
): PageContext {
  return {
    kind: 'reviews',
    site,
    url: pageUrl(url),
    business: boundBusiness(business),
    reviews: read.items.map((item) => item.item),
    unreadable: read.unreadable,
    focusReviewId: focusReviewId ? cleanLine(focusReviewId, LIMITS.reviewId) || null : null,
  };
}

export function blockedPage(site: SiteId, url: URL, reason: 'bot-challenge' | 'error-page' | 'signed-out'): PageContext {
  return { kind: 'blocked', site, url: pageUrl(url), reason };
}

/** First non-empty result of `pick` over the selectors, in order (newest markup first). */
export function firstOf<T>(selectors: readonly string[], root: ParentNode, pick: (el: Element) => T | null | undefined): T | null {
  for (const selector of selectors) {
    for (const el of root.querySelectorAll(selector)) {
      const value = pick(el);
      if (value !== null && value !== undefined && value !== '') return value;
    }
  }
  return null;
}

/** The element's `lang`, or its nearest ancestor's up to (and including) `stop`. */
export function langOf(el: Element | null, stop: Element): string | null {
  for (let node: Element | null = el; node; node = node.parentElement) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    if (node === stop) break;
  }
  return null;
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

// ---------------------------------------------------------------------------------------------
// schema.org reviews (JSON-LD and microdata): the generic adapter, and a fallback for others

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
