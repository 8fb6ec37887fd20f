import { describe, expect, test } from 'vitest';
import { pageContextSchema, tweetSchema } from '@shared/page-context';
import type { PageContext, PageContextOf, Tweet } from '@shared/page-context';
import { readTweet, tweetItems, xAdapter } from '../../../extension/sites/x/x.adapter';
import { findXReplyBox, insertXReply } from '../../../extension/sites/x/x.reply';
import { cleanName } from '../../../extension/sites/x/x.text';
import { loadFixture } from './load-fixture';

// Fixtures: tests/fixtures/pages/x/README.md (two real captures, five rebuilt pages).
const STATUS = 'x-status-with-replies.html';
const MENTIONS = 'x-notifications-mentions.html';
const PROFILE = 'x-profile-layla.html';
const HOME = 'x-home-timeline-2026.html';
const HOSTILE = 'x-hostile.html';
const ARTICLE_2026 = 'x-article-status-arscontexta-2026.html';
const HOME_2021 = 'twitter-home-timeline-2021.html';

function recognize(file: string, url: string): PageContext | undefined {
  return xAdapter.recognize(loadFixture('x', file), new URL(url));
}

function expectKind<K extends PageContext['kind']>(context: PageContext | undefined, kind: K): PageContextOf<K> {
  expect(context?.kind).toBe(kind);
  // Every context the adapter returns must survive the background's validation.
  expect(pageContextSchema.parse(context)).toEqual(context);
  return context as PageContextOf<K>;
}

const layla = { displayName: 'Layla Haddad', identities: [{ kind: 'x', value: 'layla_haddad' }] };

describe('recognize: which pages are which', () => {
  test.each([
    [STATUS, 'https://x.com/layla_haddad/status/1858000000000000001', 'x-status'],
    [STATUS, 'https://x.com/layla_haddad/status/1858000000000000001/photo/1', 'x-status'],
    [ARTICLE_2026, 'https://x.com/arscontexta/status/2013045749580259680', 'x-status'],
    [PROFILE, 'https://x.com/layla_haddad', 'x-profile'],
    [PROFILE, 'https://x.com/layla_haddad/with_replies', 'x-profile'],
    [MENTIONS, 'https://x.com/notifications/mentions', 'x-timeline'],
    [HOME, 'https://x.com/home', 'x-timeline'],
    [HOME_2021, 'https://twitter.com/home', 'x-timeline'],
    [HOME, 'https://x.com/login', 'blocked'],
  ] as const)('%s at %s is %s', (file, url, kind) => {
    expectKind(recognize(file, url), kind);
  });

  test.each([
    // The URL names a tweet that is not on the page (still loading, or deleted): no guessed customer.
    [STATUS, 'https://x.com/layla_haddad/status/1999999999999999999'],
    // A stale profile header (in-app navigation) that names somebody else.
    [PROFILE, 'https://x.com/mehmet_yilmaz'],
    // X's own pages are not profiles.
    [HOME, 'https://x.com/messages'],
    [HOME, 'https://x.com/settings/account'],
    [HOME, 'https://x.com/compose/post'],
    [HOME, 'https://x.com/i/flow/signup'],
    [HOME, 'https://x.com/'],
    // A profile URL on a page without a profile header.
    [HOME, 'https://x.com/layla_haddad'],
  ] as const)('%s at %s is not recognized', (file, url) => {
    expect(recognize(file, url)).toBeUndefined();
  });

  test.each([
    ['https://x.com/home', 'home'],
    ['https://x.com/search?q=rafiq&src=typed_query', 'search'],
    ['https://x.com/notifications', 'notifications'],
    ['https://x.com/notifications/mentions', 'notifications'],
    ['https://x.com/explore', 'other'],
    ['https://x.com/i/bookmarks', 'other'],
  ] as const)('%s is the %s timeline', (url, timeline) => {
    expect(expectKind(recognize(HOME, url), 'x-timeline').timeline).toBe(timeline);
  });
});

describe('status pages', () => {
  test('rebuilt status with replies: focal tweet, customer, conversation in page order', () => {
    const context = expectKind(recognize(STATUS, 'https://x.com/layla_haddad/status/1858000000000000001'), 'x-status');
    expect(context.tweet).toEqual({
      id: '1858000000000000001',
      authorHandle: 'layla_haddad',
      authorName: 'Layla Haddad',
      text: '@RafiqShop my order R-10042 arrived damaged and nobody answers my emails 😡',
      time: '2024-11-17T09:14:03.000Z',
      url: 'https://x.com/layla_haddad/status/1858000000000000001',
      quoted: null,
      placeholder: null,
    } satisfies Tweet);
    expect(context.customer).toEqual(layla);
    // No ancestors above the focal tweet: the conversation is its own.
    expect(context.conversationId).toBe('1858000000000000001');
    expect(context.conversation.map((tweet) => [tweet.id, tweet.authorHandle, tweet.authorName, tweet.quoted])).toEqual([
      ['1858000000000000002', 'mehmet_yilmaz', 'Mehmet Yılmaz', null],
      ['1858000000000000003', 'RafiqShop', 'Rafiq Shop', null],
      // The quoted author is recorded, never taken as the reply's author.
      ['1858000000000000004', 'ayse_demir', 'Ayşe Demir', { id: '1857990000000000009', authorHandle: 'someone_else' }],
    ]);
    expect(context.conversation[0]?.text).toBe('Same here, my order from @RafiqShop came with a broken lid. Two weeks and no reply.');
    expect(context.conversation[2]?.text).toBe('This keeps happening, see 👇');
  });

  test('a reply URL on the same thread: ancestors come first and name the conversation', () => {
    const context = expectKind(recognize(STATUS, 'https://x.com/mehmet_yilmaz/status/1858000000000000002'), 'x-status');
    expect(context.tweet.authorHandle).toBe('mehmet_yilmaz');
    expect(context.conversationId).toBe('1858000000000000001');
    expect(context.conversation.map((tweet) => tweet.id)).toEqual([
      '1858000000000000001',
      '1858000000000000003',
      '1858000000000000004',
    ]);
    expect(context.customer).toEqual({ displayName: 'Mehmet Yılmaz', identities: [{ kind: 'x', value: 'mehmet_yilmaz' }] });
  });

  test('real 2026 X Article capture (arscontexta): title + long-form body, no tweetText', () => {
    const context = expectKind(recognize(ARTICLE_2026, 'https://x.com/arscontexta/status/2013045749580259680'), 'x-status');
    expect(context.tweet).toMatchObject({
      id: '2013045749580259680',
      authorHandle: 'arscontexta',
      authorName: 'Heinrich',
      time: '2026-01-19T00:28:01.000Z',
      url: 'https://x.com/arscontexta/status/2013045749580259680',
      quoted: null,
      placeholder: null,
    });
    expect(context.tweet.text.startsWith('obsidian + claude code 101\n\nive spent the last year building an operating system for thinking with ai.')).toBe(true);
    expect(context.tweet.text.endsWith('heinrich')).toBe(true);
    // The injected #plasmo-buttons (Mute/Block) beside the name are not part of it.
    expect(context.customer).toEqual({ displayName: 'Heinrich', identities: [{ kind: 'x', value: 'arscontexta' }] });
    expect(context.conversationId).toBe('2013045749580259680');
    expect(context.conversation).toEqual([]);
  });
});

describe('profile page', () => {
  test('rebuilt profile of @layla_haddad: header and her three posts', () => {
    const context = expectKind(recognize(PROFILE, 'https://x.com/layla_haddad'), 'x-profile');
    expect(context.handle).toBe('layla_haddad');
    expect(context.displayName).toBe('Layla Haddad');
    expect(context.customer).toEqual(layla);
    expect(context.tweets.map((tweet) => [tweet.id, tweet.authorHandle, tweet.time])).toEqual([
      ['1790000000000000001', 'layla_haddad', '2024-05-13T16:20:00.000Z'], // pinned
      ['1858000000000000001', 'layla_haddad', '2024-11-17T09:14:03.000Z'],
      ['1857000000000000001', 'layla_haddad', '2024-11-14T19:02:40.000Z'],
    ]);
    expect(context.tweets[0]?.text).toBe('New portfolio is up! Three years of small houses in Jordan 🏡');
  });

  test('the URL may differ in case from the handle X shows', () => {
    const context = expectKind(recognize(PROFILE, 'https://x.com/Layla_Haddad'), 'x-profile');
    expect(context.handle).toBe('layla_haddad');
  });
});

describe('timelines', () => {
  test('rebuilt mentions: six mentions, RTL Arabic and Persian kept as written', () => {
    const context = expectKind(recognize(MENTIONS, 'https://x.com/notifications/mentions'), 'x-timeline');
    expect(context.timeline).toBe('notifications');
    expect(context.tweets.map((tweet) => [tweet.id, tweet.authorHandle, tweet.authorName])).toEqual([
      ['1858100000000000001', 'layla_haddad', 'Layla Haddad'],
      ['1858100000000000002', 'mehmet_yilmaz', 'Mehmet Yılmaz'],
      ['1858100000000000003', 'nour_alsayed', 'نور السيد'],
      ['1858100000000000004', 'reza_karimi', 'رضا کریمی'],
      ['1858100000000000005', 'ayse_demir', 'Ayşe Demir'],
      ['1858100000000000006', 'someone_else', 'Someone Else'],
    ]);
    // "Replying to @RafiqShop" links sit outside User-Name: they never become the author.
    expect(context.tweets.some((tweet) => tweet.authorHandle === 'RafiqShop')).toBe(false);
    expect(context.tweets[2]?.text).toBe('@RafiqShop طلبي رقم R-10090 وصل ناقصاً، أرجو الرد');
    // Persian keeps its zero-width non-joiner inside words (می‌خواهم) in tweet text.
    expect(context.tweets[3]?.text).toBe('@RafiqShop سفارش من هنوز نرسیده است، می\u200cخواهم بدانم کجاست');
    expect(context.tweets[0]?.time).toBe('2024-11-18T08:05:00.000Z');
  });

  test('rebuilt 2026 home: 24 tweets and 2 placeholders from 15 authors, in page order', () => {
    const context = expectKind(recognize(HOME, 'https://x.com/home'), 'x-timeline');
    expect(context.timeline).toBe('home');
    expect(context.tweets).toHaveLength(26);
    const real = context.tweets.filter((tweet) => tweet.placeholder === null);
    expect(real).toHaveLength(24);
    expect(new Set(real.map((tweet) => tweet.authorHandle)).size).toBe(15);
    expect(context.tweets[0]).toMatchObject({ id: '1858200000000000001', authorHandle: 'layla_haddad', time: '2024-11-18T09:00:00.000Z' });
    expect(context.tweets[23]).toMatchObject({ id: '1858200000000000022', authorHandle: 'layla_haddad', text: 'Day 3 of waiting. 📦?' });
  });

  test.each([
    // Repost: "Mehmet Yılmaz reposted" above; the author is the original poster.
    [2, { id: '1858200000000000003', authorHandle: 'sofia_marquez', authorName: 'Sofía Márquez', quoted: null }],
    // Quote: the quoted someone_else is recorded with the id from the quote's photo link.
    [4, { id: '1858200000000000005', authorHandle: 'olu_adeyemi', quoted: { id: '1857990000000000009', authorHandle: 'someone_else' } }],
    // ZWJ emoji sequences survive in text; the name keeps its emoji (X renders both as <img alt>).
    [6, { authorHandle: 'emoji_fan', authorName: 'Emoji Fan 🎉', text: '👨‍👩‍👧‍👦 weekend mode 👩🏽‍💻 shipping code 🏳️‍🌈 🎉🎉 ❤️‍🔥' }],
    [8, { id: '', authorHandle: '', authorName: '', time: null, url: '', placeholder: 'deleted', text: 'This Post was deleted by the Post author. Learn more' }],
    [9, { authorHandle: 'nour_alsayed', text: 'صباح الخير من القاهرة ☀️' }],
    [12, { id: '', authorHandle: '', placeholder: 'protected' }],
    // Quoting a post that is gone: the tweet is fine, its quote has neither id nor author.
    [16, { id: '1858200000000000015', authorHandle: 'karim_benali', quoted: { id: null, authorHandle: null }, placeholder: null }],
    // Quote without comment: no text of its own, and the quote's author, time and text stay the quote's.
    [24, { id: '1858200000000000023', authorHandle: 'priya_raman', authorName: 'Priya Raman', text: '', time: '2024-11-18T00:50:00.000Z',
           quoted: { id: null, authorHandle: 'someone_else' } }],
    // A quoted tombstone ("account that no longer exists") is a quote without id or author, not a tweet of its own.
    [25, { id: '1858200000000000024', authorHandle: 'jonas_weber', text: 'Schade, der Thread war gut.', quoted: { id: null, authorHandle: null } }],
  ] as const)('home tweet #%i', (index, expected) => {
    const context = expectKind(recognize(HOME, 'https://x.com/home'), 'x-timeline');
    expect(context.tweets[index]).toMatchObject(expected);
  });

  test('the 4,000+ character post is read whole, paragraphs kept', () => {
    const context = expectKind(recognize(HOME, 'https://x.com/home'), 'x-timeline');
    const long = context.tweets[10]!;
    expect(long.authorHandle).toBe('longform_lena');
    expect(long.text.length).toBeGreaterThan(4000);
    expect(long.text.startsWith('Long post, part 1: we tested delivery times')).toBe(true);
    expect(long.text.split('\n')).toHaveLength(18);
  });

  test('real 2021 twitter.com home: div[data-testid=tweet], div[lang] text, retweets, quotes', () => {
    const context = expectKind(recognize(HOME_2021, 'https://twitter.com/home'), 'x-timeline');
    // Six tweet blocks; the promoted Valheim ad has no permalink and is skipped.
    expect(context.tweets.map((tweet) => [tweet.id, tweet.authorHandle, tweet.authorName, tweet.time])).toEqual([
      ['1409413034334842881', 'wangzhian8848', '王局志安', '2021-06-28T07:27:07.000Z'],
      ['1409411285435944960', 'radiosweden', 'Radio Sweden', '2021-06-28T07:20:10.000Z'],
      ['1409248061096968197', 'NataliaAntonova', 'Natalia Antonova', '2021-06-27T20:31:34.000Z'],
      ['1409410720740130818', 'marklittlenews', 'Mark Little', '2021-06-28T07:17:56.000Z'],
      ['1409407298976370689', 'mranti', 'Michael Anti', '2021-06-28T07:04:20.000Z'],
    ]);
    const [first, second, third] = context.tweets;
    expect(first?.text.startsWith('评论区的傻帽们有没有看到新英格兰医学杂志')).toBe(true);
    expect(first?.url).toBe('https://twitter.com/wangzhian8848/status/1409413034334842881');
    // The 2021 quote card has no permalink: the author is known, the id is not.
    expect(first?.quoted).toEqual({ id: null, authorHandle: 'wangzhian8848' });
    // "Michael Anti Retweeted": the author is Radio Sweden, not the retweeter.
    expect(second?.text.startsWith('The prime minister has announced a press conference at 10:15.')).toBe(true);
    expect(third?.quoted).toEqual({ id: null, authorHandle: 'asatarbair' });
  });
});

describe('hostile page', () => {
  const url = 'https://x.com/spoof_account/status/1859000000000000001';

  test('markup is escaped text: nothing to execute in the parsed page', () => {
    const doc = loadFixture('x', HOSTILE);
    expect(doc.querySelectorAll('script, img[onerror], b').length).toBe(0);
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  test('names are inert strings, identities are clean handles', () => {
    const context = expectKind(recognize(HOSTILE, url), 'x-status');
    // RLO/PDF and a zero-width space around the display name are gone; the handle is X's.
    expect(context.customer).toEqual({ displayName: 'Rafiq Shop Official', identities: [{ kind: 'x', value: 'spoof_account' }] });
    expect(context.tweet.text).toBe('<script>window.__pwned=1</script> refund me now or else');
    expect(context.conversation.map((tweet) => [tweet.authorHandle, tweet.authorName])).toEqual([
      ['img_onerror', '<img src=x onerror="window.__pwned=1">'],
      // A display name shaped like somebody else's handle does not make it the author.
      ['not_layla', '@layla_haddad'],
      ['quote_poster', 'Quote Poster'],
      // The one policy (shared/text.ts): ZWSP, word joiner, BOM, LRM/RLM go; the ZWNJ stays (folded as a word break).
      ['zero_width', 'No\u200cur Ally'],
      ['quote_spoofer', 'Quote Spoofer'],
    ]);
    expect(context.conversation[2]?.quoted).toEqual({ id: '1858000000000000001', authorHandle: 'layla_haddad' });
    // The quoted card shows "@RafiqShop" as a display name before the real handle: the handle wins.
    expect(context.conversation[4]?.quoted).toEqual({ id: '1859000000000000099', authorHandle: 'fake_rafiq' });
    // Entities are decoded once, by the parser, never twice.
    // The one text policy (shared/text.ts) strips the RLO/PDF pair: the sidebar isolates text itself.
    expect(context.conversation[3]?.text).toBe('esrever ni si txet siht and <b>bold</b> &amp; entities');
    for (const tweet of [context.tweet, ...context.conversation]) {
      expect(tweet.authorHandle).toMatch(/^[A-Za-z0-9_]{1,15}$/);
      expect(tweet.authorName).not.toMatch(/[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/);
    }
  });
});

describe('names used as identities', () => {
  test.each([
    ['\u202eRafiq Shop\u202c', 'Rafiq Shop'],
    ['\u2067Layla\u2069 \u200eHaddad\u200f', 'Layla Haddad'],
    // The one policy of shared/text.ts: ZWNJ and ZWJ are kept (folding makes ZWNJ a word break, drops ZWJ).
    ['N\u200bo\u200cu\u2060r\ufeff', 'No\u200cur'],
    ['A\u200dB', 'A\u200dB'],
    ['Dev 👩🏽\u200d💻 🏳️\u200d🌈', 'Dev 👩🏽\u200d💻 🏳️\u200d🌈'],
    ['می\u200cخواهم', 'می\u200cخواهم'],
    ['  Mehmet \n\t Yılmaz  ', 'Mehmet Yılmaz'],
  ])('cleanName(%j) is %j', (raw, clean) => {
    expect(cleanName(raw, 300)).toBe(clean);
  });

  test('names are bounded without splitting an emoji', () => {
    const name = cleanName(`${'a'.repeat(298)}😡😡`, 300);
    expect(name.length).toBeLessThanOrEqual(300);
    expect(name).toBe(`${'a'.repeat(298)}…`);
  });
});

describe('tweetItems and readTweet', () => {
  test.each([
    [STATUS, 'https://x.com/layla_haddad/status/1858000000000000001', 4],
    [MENTIONS, 'https://x.com/notifications/mentions', 6],
    [PROFILE, 'https://x.com/layla_haddad', 3],
    [HOME, 'https://x.com/home', 26],
    [HOSTILE, 'https://x.com/spoof_account/status/1859000000000000001', 6],
    [ARTICLE_2026, 'https://x.com/arscontexta/status/2013045749580259680', 1],
    [HOME_2021, 'https://twitter.com/home', 5],
  ] as const)('%s: %i items, each valid and each element re-readable', (file, url, count) => {
    const doc = loadFixture('x', file);
    const items = tweetItems(doc, new URL(url));
    expect(items).toHaveLength(count);
    for (const { element, item } of items) {
      expect(tweetSchema.parse(item)).toEqual(item);
      expect(readTweet(element, new URL(url))).toEqual(item);
    }
  });

  test('the element of a tweet is the article (2026) or div[data-testid=tweet] (2021)', () => {
    const items2026 = tweetItems(loadFixture('x', HOME), new URL('https://x.com/home'));
    expect(items2026[0]?.element.matches('article[data-testid="tweet"][role="article"]')).toBe(true);
    expect(items2026[8]?.element.matches('article[role="article"]:not([data-testid])')).toBe(true);
    const items2021 = tweetItems(loadFixture('x', HOME_2021), new URL('https://twitter.com/home'));
    expect(items2021[0]?.element.matches('div[data-testid="tweet"]')).toBe(true);
  });

  test('a recycled, detached node is read for what it shows now', () => {
    const doc = loadFixture('x', HOME);
    const url = new URL('https://x.com/home');
    const items = tweetItems(doc, url);
    const recycled = items[0]!.element;
    expect(readTweet(recycled, url)?.authorHandle).toBe('layla_haddad');
    // X reuses the cell for another tweet while scrolling: move the Japanese tweet's content in.
    recycled.replaceChildren(...items[3]!.element.childNodes);
    recycled.remove();
    expect(recycled.isConnected).toBe(false);
    expect(readTweet(recycled, url)).toEqual(items[3]!.item);
    expect(readTweet(recycled, url)).toMatchObject({ id: '1858200000000000004', authorHandle: 'tanaka_yui', text: '今日の東京は快晴。散歩日和です。' });
  });

  test('a node that is not a tweet reads as null', () => {
    const doc = loadFixture('x', STATUS);
    const url = new URL('https://x.com/layla_haddad/status/1858000000000000001');
    expect(readTweet(doc.querySelector('[data-testid="sidebarColumn"]')!, url)).toBeNull();
    expect(readTweet(doc.querySelector('[data-testid="inline_reply_offscreen"]')!, url)).toBeNull();
  });
});

describe('reply box', () => {
  test.each([
    [STATUS, 'Post your reply'],
    [HOSTILE, 'Post your reply'],
    [ARTICLE_2026, 'Post your reply'],
  ] as const)('%s: the inline reply composer', (file, placeholder) => {
    const doc = loadFixture('x', file);
    const box = findXReplyBox(doc);
    expect(box?.getAttribute('data-testid')).toBe('tweetTextarea_0');
    expect(box?.getAttribute('role')).toBe('textbox');
    expect(box?.closest('[data-testid="inline_reply_offscreen"]')).not.toBeNull();
    expect(doc.getElementById(box!.getAttribute('aria-describedby')!)?.textContent).toBe(placeholder);
  });

  test.each([[HOME], [HOME_2021], [PROFILE]])('%s: only a new-post composer (or none), so no reply box', (file) => {
    expect(findXReplyBox(loadFixture('x', file))).toBeNull();
  });

  test('insertXReply puts the text in the box', () => {
    const doc = loadFixture('x', STATUS);
    document.body.replaceChildren(document.importNode(doc.body, true));
    const box = findXReplyBox(document)!;
    expect(insertXReply(box, 'Hi Layla, we are on it: order R-10042.')).toBe(true);
    expect(box.textContent).toContain('Hi Layla, we are on it: order R-10042.');
    document.body.replaceChildren();
  });

  test("insertXReply via 'paste' hands Draft.js a ClipboardEvent with the text", () => {
    const doc = loadFixture('x', STATUS);
    document.body.replaceChildren(document.importNode(doc.body, true));
    const box = findXReplyBox(document)!;
    const pasted: string[] = [];
    // Stand-in for Draft.js's onPaste: reads text/plain and cancels the browser's own paste.
    box.addEventListener('paste', (event) => {
      pasted.push((event as ClipboardEvent).clipboardData?.getData('text/plain') ?? '');
      event.preventDefault();
    });
    expect(insertXReply(box, 'Line one\nLine two', { via: 'paste' })).toBe(true);
    expect(pasted).toEqual(['Line one\nLine two']);
    document.body.replaceChildren();
  });

  test('insertXReply refuses a detached box', () => {
    const box = findXReplyBox(loadFixture('x', STATUS))!;
    box.remove();
    expect(insertXReply(box, 'hello')).toBe(false);
  });
});
