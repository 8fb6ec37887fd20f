import type { PageContext, PageContextOf, PagePerson, Tweet } from '@shared/page-context';
import { normalizeXHandle } from '@shared/normalize';
import type { PageItem, SiteAdapter } from '../types';
import { xSelectors as S } from './x.selectors';
import { cleanName, oneLine, paragraphs, stripInvisible, truncate, visibleText } from './x.text';
import { siteHosts } from '../hosts';

// Bounds from shared/page-context.ts (tweetSchema, x*Schema).
const MAX = { id: 40, handle: 20, name: 300, text: 40_000, time: 64, url: 2048, tweets: 500 } as const;

/** First path segments that are X's own pages, never a profile handle. */
const RESERVED_PATHS = new Set([
  'home', 'explore', 'notifications', 'search', 'messages', 'i', 'settings', 'compose', 'login', 'logout',
  'signup', 'account', 'hashtag', 'intent', 'share', 'tos', 'privacy', 'jobs', 'download', 'lists',
  'bookmarks', 'communities', 'topics', 'who_to_follow', 'connect_people', 'jf', 'oauth', 'premium',
]);

/** Profile tabs that still show the profile header: `/<handle>/with_replies` etc. */
const PROFILE_TABS = new Set(['with_replies', 'media', 'likes', 'highlights', 'articles', 'superfollows']);

const HANDLE_TEXT = /^@([A-Za-z0-9_]{1,15})$/;
const PROFILE_PATH = /^\/([A-Za-z0-9_]{1,15})\/?$/;
/** `/<handle>/status/<id>`, optionally followed by `/photo/1`, `/analytics`, `/quotes` ... */
const STATUS_PATH = /^\/([A-Za-z0-9_]{1,15}|i\/web)\/status\/(\d{1,40})(\/.*)?$/;

/**
 * Notices X shows instead of a tweet (X-Ghosted samples, 2025, English UI). Order matters:
 * "deleted" and "protected" before the catch-all "unavailable".
 */
const PLACEHOLDERS: readonly [NonNullable<Tweet['placeholder']>, RegExp][] = [
  ['deleted', /deleted by the (?:post|tweet) author/i],
  ['protected', /(?:posts|tweets) are protected|limits who can view their (?:posts|tweets)/i],
  [
    'unavailable',
    /(?:post|tweet) is unavailable|unable to view this (?:post|tweet)|account that no longer exists|suspended account|violated the (?:x|twitter) rules|no longer available/i,
  ],
];

function placeholderKind(text: string): Tweet['placeholder'] {
  for (const [kind, pattern] of PLACEHOLDERS) if (pattern.test(text)) return kind;
  return null;
}

function validHandle(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const handle = stripInvisible(raw).trim().replace(/^@/, '');
  return normalizeXHandle(handle).ok ? handle : null;
}

function statusFromHref(href: string | null): { handle: string; id: string } | null {
  if (!href) return null;
  let path = href;
  if (/^https?:/i.test(href)) {
    try {
      const parsed = new URL(href);
      if (!/(^|\.)(x|twitter)\.com$/i.test(parsed.hostname)) return null;
      path = parsed.pathname;
    } catch {
      return null;
    }
  }
  const match = STATUS_PATH.exec(path.split(/[?#]/)[0]!);
  return match ? { handle: match[1]!, id: match[2]! } : null;
}

const TWEET_SELECTOR = S.tweet.join(', ');

function isTweetRoot(element: Element): boolean {
  return element.matches(TWEET_SELECTOR);
}

/** True when `node` sits inside a quoted-tweet block of `root` (not counting `root` itself). */
function insideQuote(node: Element, root: Element): boolean {
  for (let current = node.parentElement; current && current !== root; current = current.parentElement) {
    if (current.matches(S.quoteBlock)) return true;
  }
  return false;
}

/** Elements under `root` matching `selector` that belong to the tweet itself, not to a quote. */
function own(root: Element, selector: string): Element[] {
  return [...root.querySelectorAll(selector)].filter((element) => !insideQuote(element, root));
}

function firstOwn(root: Element, selector: string): Element | null {
  for (const element of root.querySelectorAll(selector)) if (!insideQuote(element, root)) return element;
  return null;
}

/** Tweet bodies: `@mentions` in them are links to other people, never the author. */
const BODY = `${S.tweetText}, ${S.legacyTweetText}`;

/**
 * The `@handle` of an author block. X shows the display name first and the handle after it, and
 * the display name is free text the author controls ("@RafiqShop" is a valid display name), so
 * the name element is skipped and the LAST handle-shaped text wins.
 */
function handleFromBlock(block: Element, nameElement: Element | null): string | null {
  let handle: string | null = null;
  for (const text of block.querySelectorAll('span, div[dir]')) {
    if (nameElement?.contains(text) || text.closest(BODY)) continue;
    const match = HANDLE_TEXT.exec(stripInvisible(text.textContent ?? '').trim());
    if (match) handle = validHandle(match[1]) ?? handle;
  }
  return handle;
}

interface Author {
  handle: string;
  name: string;
}

/** The display name: the first text block of an author header (X puts it before the @handle). */
function nameElementOf(block: Element): Element | null {
  for (const candidate of block.querySelectorAll('div[dir]')) {
    if (candidate.closest(BODY)) continue;
    if (stripInvisible(visibleText(candidate)).trim()) return candidate;
  }
  return null;
}

function nameOf(nameElement: Element | null): string {
  return nameElement ? cleanName(visibleText(nameElement), MAX.name) : '';
}

function profileHandleOf(link: Element): string | null {
  return validHandle(PROFILE_PATH.exec(link.getAttribute('href') ?? '')?.[1]);
}

/** 2022+: `[data-testid=User-Name]`. The profile link's href is X's own, so it wins over text. */
function authorFromUserName(block: Element): Author | null {
  const nameElement = nameElementOf(block);
  let handle: string | null = null;
  for (const link of block.querySelectorAll('a[href^="/"]')) {
    handle = profileHandleOf(link);
    if (handle) break;
  }
  handle ??= handleFromBlock(block, nameElement);
  return handle ? { handle, name: nameOf(nameElement) } : null;
}

/** 2021: no User-Name; the author is the first profile link that shows text (name, then @handle). */
function authorFromLegacyLinks(root: Element): Author | null {
  for (const link of own(root, S.legacyProfileLink)) {
    // "X Retweeted" links to the retweeter; @mentions in the text link to other people.
    if (link.querySelector(S.socialContext) || link.closest(BODY)) continue;
    const handle = profileHandleOf(link);
    if (!handle || !stripInvisible(link.textContent ?? '').trim()) continue;
    return { handle, name: nameOf(nameElementOf(link)) };
  }
  return null;
}

function avatarHandle(block: Element | null | undefined): string | null {
  const testId = block?.getAttribute('data-testid') ?? '';
  return validHandle(testId.slice('UserAvatar-Container-'.length));
}

function readAuthor(root: Element): Author | null {
  const block = firstOwn(root, S.userName);
  const author = (block && authorFromUserName(block)) ?? authorFromLegacyLinks(root);
  if (author) return author;
  const handle = avatarHandle(firstOwn(root, S.avatarContainer));
  return handle ? { handle, name: '' } : null;
}

/** The tweet's own permalink: the link around its time first, then any status link of its author. */
function readStatus(root: Element, authorHandle: string | null): { handle: string; id: string } | null {
  const time = firstOwn(root, S.time);
  const timeLink = time?.closest('a');
  if (timeLink && root.contains(timeLink)) {
    const status = statusFromHref(timeLink.getAttribute('href'));
    if (status) return status;
  }
  let fallback: { handle: string; id: string } | null = null;
  for (const link of own(root, S.statusLink)) {
    const status = statusFromHref(link.getAttribute('href'));
    if (!status) continue;
    if (authorHandle && status.handle.toLowerCase() === authorHandle.toLowerCase()) return status;
    fallback ??= status;
  }
  // A status link of somebody else (a link in the text) is not this tweet's id.
  return authorHandle ? null : fallback;
}

function readText(root: Element): string {
  const text = firstOwn(root, S.tweetText);
  if (text) return paragraphs(visibleText(text), MAX.text);
  const title = firstOwn(root, S.articleTitle);
  const body = firstOwn(root, S.articleBody);
  if (title || body) {
    const parts = [title ? oneLine(visibleText(title), MAX.text) : ''];
    if (body) {
      const blocks = [...body.querySelectorAll(S.articleBlock)];
      parts.push(
        blocks.length
          ? blocks.map((block) => oneLine(visibleText(block), MAX.text)).filter(Boolean).join('\n')
          : paragraphs(visibleText(body, true), MAX.text),
      );
    }
    return truncate(parts.filter(Boolean).join('\n\n'), MAX.text);
  }
  const legacy = firstOwn(root, S.legacyTweetText);
  return legacy ? paragraphs(visibleText(legacy), MAX.text) : '';
}

/** The outermost quote block: a `div[role=link]`/nested article that shows an author or a notice. */
function readQuoted(root: Element): Tweet['quoted'] {
  for (const block of root.querySelectorAll(S.quoteBlock)) {
    if (block === root || insideQuote(block, root)) continue;
    const userName = block.querySelector(S.userName);
    const handle =
      (userName && handleFromBlock(userName, nameElementOf(userName))) ??
      avatarHandle(block.querySelector(S.avatarContainer)) ??
      handleFromBlock(block, nameElementOf(block));
    const notice = placeholderKind(oneLine(block.textContent ?? '', 2000));
    if (!handle && !notice) continue;
    let id: string | null = null;
    for (const link of block.querySelectorAll(S.statusLink)) {
      const status = statusFromHref(link.getAttribute('href'));
      if (status && (!handle || status.handle.toLowerCase() === handle.toLowerCase())) {
        id = status.id;
        break;
      }
    }
    return { id, authorHandle: handle };
  }
  return null;
}

function absoluteStatusUrl(base: URL, handle: string, id: string): string {
  // `handle` and `id` come out of STATUS_PATH (letters, digits, `_`, `i/web`; digits): nothing in
  // them a URL parser would change, so joining strings gives what `new URL()` gave, for less.
  return truncate(`${base.origin}/${handle}/status/${id}`, MAX.url);
}

function placeholderTweet(element: Element, url: URL, kind: NonNullable<Tweet['placeholder']>): Tweet {
  const status = own(element, S.statusLink)
    .map((link) => statusFromHref(link.getAttribute('href')))
    .find((value) => value !== null);
  return {
    id: status?.id ?? '',
    authorHandle: '',
    authorName: '',
    text: oneLine(visibleText(element), MAX.text),
    time: null,
    url: status ? absoluteStatusUrl(url, status.handle, status.id) : '',
    quoted: null,
    placeholder: kind,
  };
}

/**
 * Reads one tweet element (an item of `tweetItems`). Pure and cheap, with no cache: X recycles
 * cells while scrolling, so a node that showed one tweet may show another a moment later.
 * Returns a placeholder tweet (no author) for deleted/protected/unavailable notices, and null
 * for anything that is not a readable tweet (e.g. a 2021 promoted tweet with no permalink).
 */
export function readTweet(element: Element, url: URL, parts: { text: boolean } = { text: true }): Tweet | null {
  if (!isTweetRoot(element)) {
    const kind = placeholderKind(oneLine(element.textContent ?? '', 2000));
    return kind ? placeholderTweet(element, url, kind) : null;
  }
  const author = readAuthor(element);
  if (!author) {
    const kind = placeholderKind(oneLine(element.textContent ?? '', 2000));
    return kind ? placeholderTweet(element, url, kind) : null;
  }
  const status = readStatus(element, author.handle);
  if (!status) return null;
  const time = firstOwn(element, S.time)?.getAttribute('datetime') ?? null;
  return {
    id: truncate(status.id, MAX.id),
    authorHandle: author.handle,
    authorName: author.name,
    text: parts.text ? readText(element) : '',
    time: time ? truncate(time, MAX.time) : null,
    url: absoluteStatusUrl(url, status.handle, status.id),
    quoted: parts.text ? readQuoted(element) : null,
    placeholder: null,
  };
}

/**
 * Tweet elements under `root`, in page order: tweet roots that are not inside another tweet
 * (quotes are part of their tweet), then placeholder articles, tombstones and notice-only cells.
 */
function tweetElements(root: Document | Element): Element[] {
  const found: Element[] = [];
  // Issue 20: the enclosing tweets of each element come from a stack kept in document order, not
  // from two `closest()` walks to the document root per element (X nests ~30 levels deep): those
  // walks were half of a timeline read. querySelectorAll lists an ancestor before its
  // descendants, so after popping the entries that do not contain `element`, the stack holds
  // exactly its enclosing tweets and placeholder articles (innermost last). `contains` only
  // follows parent pointers; `closest` matched a selector list at every level.
  const open: { element: Element; tweet: boolean }[] = [];
  let openTweets = 0;
  for (const element of root.querySelectorAll(TWEET_ELEMENTS)) {
    while (open.length && !open[open.length - 1]!.element.contains(element)) if (open.pop()!.tweet) openTweets--;
    const parentTweet = open.length > 0; // inside a tweet root or a placeholder article
    const tweet = isTweetRoot(element);
    if (tweet || element.matches(S.placeholderArticle)) {
      open.push({ element, tweet });
      if (tweet) openTweets++;
    }
    if (tweet) {
      if (openTweets === 1) found.push(element); // only itself: not inside another tweet
      continue;
    }
    if (parentTweet) continue; // a quoted placeholder, or part of a 2021 tweet wrapper
    if (element.querySelector(CELL_CONTENT)) continue;
    if (placeholderKind(oneLine(element.textContent ?? '', 2000))) found.push(element);
  }
  return found;
}

const TWEET_ELEMENTS = [TWEET_SELECTOR, S.placeholderArticle, S.tombstone, S.timelineCell].join(', ');
/** A cell holding any of these is a tweet's cell, not a notice-only cell. */
const CELL_CONTENT = `${TWEET_SELECTOR}, ${S.placeholderArticle}, ${S.tombstone}, ${S.userName}`;

/**
 * What was read off each tweet element, so a re-read of a timeline reads only the cells that were
 * added or changed (issue 20: X inserts tweets ten at a time while scrolling; re-reading every
 * tweet on every burst cost ~100 ms per 100 tweets). An entry is reused while nothing marked its
 * element changed (`changed()`, called by the content script for every DOM change inside a
 * tweet), its permalink and the page URL are what they were: X recycles cells, and a recycled
 * cell changes (and shows another link). Held weakly: a cell X drops is forgotten with it. The
 * adapter stays pure; the content script owns the cache.
 */
export class TweetCache {
  private entries = new WeakMap<Element, { href: string; link: Element | null; linkHref: string | null; tweet: Tweet | null }>();
  private memo: { root: Document | Element; href: string; items: PageItem<Tweet>[] } | null = null;
  /** Elements read (not reused) since the counter was last reset: for tests and benchmarks. */
  reads = 0;

  /** Something inside `element` changed: its tweet(s) are read again next time. */
  changed(element: Element): void {
    this.memo = null;
    // The tweet, and the cell around it (a quote is part of its tweet, so no deeper entry exists).
    for (let current = element.closest(CACHED_ROOTS); current; current = current.parentElement?.closest(CACHED_ROOTS) ?? null) {
      this.entries.delete(current);
    }
  }

  /** Cells were added or removed (or the page moved): the list is walked again. */
  listChanged(): void {
    this.memo = null;
  }

  read(element: Element, url: URL): Tweet | null {
    const cached = this.entries.get(element);
    // The entry still holds while the page URL is the same and the permalink it was read with is
    // still in the element with the same href. Checking that link (a few parent hops) instead of
    // searching the element for its first status link again keeps an unchanged cell nearly free
    // (issue 20); any other change inside the cell went through `changed()` and dropped the entry.
    if (cached && cached.href === url.href && (cached.link === null ? element.querySelector(S.statusLink) === null : cached.link.getAttribute('href') === cached.linkHref && element.contains(cached.link))) {
      return cached.tweet;
    }
    this.reads++;
    // On timelines nothing reads a tweet's text (badges need the author and id; a clicked badge
    // reads its article in full): only status and profile pages read text and quotes.
    const tweet = readTweet(element, url, { text: !isTimelineUrl(url) });
    const link = element.querySelector(S.statusLink);
    this.entries.set(element, { href: url.href, link, linkHref: link?.getAttribute('href') ?? null, tweet });
    return tweet;
  }

  /** @internal tweetItems' memo: the same root and URL with nothing changed since. */
  recall(root: Document | Element, url: URL): PageItem<Tweet>[] | null {
    const memo = this.memo;
    return memo && memo.root === root && memo.href === url.href && (root as Node).isConnected !== false ? memo.items : null;
  }

  /** @internal */
  remember(root: Document | Element, url: URL, items: PageItem<Tweet>[]): void {
    this.memo = { root, href: url.href, items };
  }
}

/** The elements a TweetCache keeps entries for (tweet roots and notice cells). */
const CACHED_ROOTS = [TWEET_SELECTOR, S.placeholderArticle, S.tombstone, S.timelineCell].join(', ');

export function tweetItems(root: Document | Element, url: URL, cache?: TweetCache): PageItem<Tweet>[] {
  const recalled = cache?.recall(root, url);
  if (recalled) return recalled;
  const items: PageItem<Tweet>[] = [];
  for (const element of tweetElements(root)) {
    const item = cache ? cache.read(element, url) : readTweet(element, url);
    if (item) items.push({ element, item });
    if (items.length >= MAX.tweets) break;
  }
  cache?.remember(root, url, items);
  return items;
}

/** The column X shows tweets in (the whole document on layouts without one). */
export function tweetColumn(doc: Document): Document | Element {
  return mainColumn(doc);
}

function mainColumn(doc: Document): Document | Element {
  return doc.querySelector(S.primaryColumn) ?? doc;
}

function person(handle: string, name: string): PagePerson {
  return { displayName: name || handle, identities: [{ kind: 'x', value: handle }] };
}

function recognizeStatus(doc: Document, url: URL, statusId: string, cache?: TweetCache): PageContextOf<'x-status'> | undefined {
  const tweets = tweetItems(mainColumn(doc), url, cache).map(({ item }) => item);
  const focalIndex = tweets.findIndex((tweet) => tweet.id === statusId && tweet.placeholder === null);
  const focal = tweets[focalIndex];
  // Not rendered yet, or deleted/protected: no author we can vouch for, so no customer at all.
  if (!focal) return undefined;
  const root = tweets.slice(0, focalIndex).find((tweet) => tweet.id !== '');
  return {
    kind: 'x-status',
    site: 'x',
    url: truncate(url.href, MAX.url),
    tweet: focal,
    conversationId: root?.id ?? focal.id,
    conversation: tweets.filter((_, index) => index !== focalIndex),
    customer: person(focal.authorHandle, focal.authorName),
  };
}

function recognizeProfile(doc: Document, url: URL, urlHandle: string, cache?: TweetCache): PageContextOf<'x-profile'> | undefined {
  const header = doc.querySelector(S.profileUserName);
  if (!header) return undefined; // still loading, or "This account doesn't exist"
  const headerHandle = handleFromBlock(header, nameElementOf(header));
  // After an in-app navigation the old header can linger for a moment: only trust a matching one.
  if (!headerHandle || headerHandle.toLowerCase() !== urlHandle.toLowerCase()) return undefined;
  const displayName = nameOf(nameElementOf(header)) || null;
  return {
    kind: 'x-profile',
    site: 'x',
    url: truncate(url.href, MAX.url),
    handle: headerHandle,
    displayName,
    tweets: tweetItems(mainColumn(doc), url, cache).map(({ item }) => item),
    customer: person(headerHandle, displayName ?? ''),
  };
}

function timelineKind(first: string, second: string | undefined): PageContextOf<'x-timeline'>['timeline'] | null {
  if (first === 'home') return 'home';
  if (first === 'search') return 'search';
  if (first === 'notifications') return 'notifications';
  if (first === 'explore' || (first === 'i' && (second === 'bookmarks' || second === 'lists'))) return 'other';
  return null;
}

function isTimelineUrl(url: URL): boolean {
  const [first, second] = url.pathname.split('/').filter(Boolean);
  return first !== undefined && timelineKind(first, second) !== null;
}

function recognize(doc: Document, url: URL, cache?: TweetCache): PageContext | undefined {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const segments = path.split('/').filter(Boolean);
  const [first, second] = segments;
  if (!first) return undefined;

  if (/^\/(?:i\/flow\/)?login$/.test(path)) return { kind: 'blocked', site: 'x', url: truncate(url.href, MAX.url), reason: 'signed-out' };

  const status = STATUS_PATH.exec(path);
  if (status) return recognizeStatus(doc, url, status[2]!, cache);

  const timeline = timelineKind(first, second);
  if (timeline) {
    return {
      kind: 'x-timeline',
      site: 'x',
      url: truncate(url.href, MAX.url),
      timeline,
      tweets: tweetItems(mainColumn(doc), url, cache).map(({ item }) => item),
    };
  }

  if (RESERVED_PATHS.has(first.toLowerCase())) return undefined;
  if (segments.length > 2 || (second !== undefined && !PROFILE_TABS.has(second))) return undefined;
  const handle = validHandle(first);
  return handle ? recognizeProfile(doc, url, handle, cache) : undefined;
}

/**
 * `recognize` reading tweets through a cache (the live content script; see TweetCache). On a
 * timeline its tweets carry no text (nothing on a timeline reads it); `recognize` has it all.
 */
export function recognizeX(doc: Document, url: URL, cache: TweetCache): PageContext | undefined {
  return recognize(doc, url, cache);
}

export const xAdapter: SiteAdapter = {
  id: 'x',
  hosts: siteHosts.x.hosts,
  recognize: (doc, url) => recognize(doc, url),
  tweetItems: (root, url) => tweetItems(root, url),
};
