import { describe, expect, test } from 'vitest';
import {
  absoluteUrl,
  blockText,
  cleanName,
  findJsonLd,
  isBlockedPage,
  makeDate,
  makeRating,
  microdata,
  ratingFromLabel,
  readJsonLd,
  truncate,
} from '../../../extension/sites/kit';
import { loadReviewFixture, parseHtml } from './review-fixture';

describe('isBlockedPage', () => {
  test.each([
    ['trustpilot', 'trustpilot-it-studiosamo-2025.html'],
    ['trustpilot', 'trustpilot-it-studiosamo-single-review-derived-2025.html'],
    ['yelp', 'yelp-biz-rosinas-italian-oceanside-2016.html'],
    ['g2', 'g2-getemail-reviews-2023.html'],
    ['amazon', 'amazon-com-product-B0011UCPM4-2024.html'],
    ['amazon', 'amazon-es-product-2024.html'],
    ['sikayetvar', 'sikayetvar-brand-turkcell-2024.html'],
    ['sikayetvar', 'sikayetvar-complaint-detail-rebuilt.html'],
    ['google', 'google-maps-place-reviews-rebuilt.html'],
    ['generic', 'shop-product-jsonld.html'],
    ['eshtki', 'eshtki-synthetic-list.html'],
  ])('%s/%s is a real page (null)', (site, file) => {
    expect(isBlockedPage(loadReviewFixture(site, file))).toBeNull();
  });

  test.each([
    ['cloudflare-just-a-moment-rebuilt.html', 'bot-challenge'],
    ['amazon-robot-check-rebuilt.html', 'bot-challenge'],
    ['error-404-rebuilt.html', 'error-page'],
  ])('blocked/%s → %s', (file, reason) => {
    expect(isBlockedPage(loadReviewFixture('blocked', file))).toBe(reason);
  });

  test.each([
    ['<title>Attention Required! | Cloudflare</title><body><div class="cf-browser-verification">…</div></body>', 'bot-challenge'],
    ['<title>yelp.com</title><body><div id="px-captcha"></div><p>Press &amp; Hold to confirm you are a human</p></body>', 'bot-challenge'],
    ['<title>g2.com</title><body><iframe src="https://geo.captcha-delivery.com/captcha/?initialCid=x"></iframe></body>', 'bot-challenge'],
    ['<title>Sorry...</title><body><p>Our systems have detected unusual traffic from your computer network.</p></body>', 'bot-challenge'],
    ['<title>Sayfa Bulunamadı</title><body><h1>404</h1></body>', 'error-page'],
    // A review that talks about captchas is still a review page.
    [`<title>Shop</title><body><p>${'The captcha on checkout is awful, just a moment of rage. '.repeat(60)}</p></body>`, null],
    // Cloudflare's bot-detection script is also on normal pages: alone it is not a challenge.
    [`<title>Shop</title><body><script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script><p>${'Real content. '.repeat(200)}</p></body>`, null],
  ])('%s → %s', (html, reason) => {
    expect(isBlockedPage(parseHtml(`<!DOCTYPE html><html><head>${html.split('<body>')[0]}</head><body>${html.split('<body>')[1] ?? ''}`))).toBe(reason);
  });
});

test.each([
  ['5.0 out of 5 stars', { value: 5, best: 5, worst: 1 }],
  ['5,0 de 5 estrellas', { value: 5, best: 5, worst: 1 }],
  ['Valutata 4 stelle su 5', { value: 4, best: 5, worst: 1 }],
  ['2 stars', { value: 2, best: 5, worst: 1 }],
  ['٣ نجوم', { value: 3, best: 5, worst: 1 }],
  ['4.5 star rating', { value: 4.5, best: 5, worst: 1 }],
  ['no stars here', null],
  ['7 stars', null],
])('ratingFromLabel(%j)', (label, rating) => {
  expect(ratingFromLabel(label)).toEqual(rating);
});

test.each([
  [['5.0', '5', '0'], { value: 5, best: 5, worst: 0 }],
  [['0', 5, 1], null],
  [['6', 5, 1], null],
  [['abc', 5, 1], null],
  [[22, 100, 0], { value: 22, best: 100, worst: 0 }],
])('makeRating(%j)', (args, rating) => {
  expect(makeRating(...(args as [unknown, unknown, unknown]))).toEqual(rating);
});

test.each([
  [['Reviewed in the United States on August 2, 2021'], { iso: '2021-08-02', yearKnown: true }],
  [['Revisado en España el 25 de agosto de 2017'], { iso: '2017-08-25', yearKnown: true }],
  [['25 maggio 2025'], { iso: '2025-05-25', yearKnown: true }],
  [['Dec 07, 2022'], { iso: '2022-12-07', yearKnown: true }],
  [['21 Mayıs 20:46'], { iso: null, yearKnown: false }],
  [['2 months ago'], { iso: null, yearKnown: false }],
  [['٢ مارس ٢٠٢٥'], { iso: '2025-03-02', yearKnown: true }],
  [['31 février 2024'], { iso: null, yearKnown: false }],
  [['27 mag 2025', '2025-05-27T20:32:43.000Z'], { iso: '2025-05-27T20:32:43.000Z', yearKnown: true }],
  [[null, '2025-13-01'], { iso: null, yearKnown: false }],
])('makeDate(%j)', (args, expected) => {
  expect(makeDate(...(args as [string | null, string | undefined]))).toMatchObject(expected);
});

test('readJsonLd flattens arrays and @graph (object or array), findJsonLd walks nested review[]', () => {
  const doc = parseHtml(`<html><head>
    <script type="application/ld+json">[{"@type":"WebSite"},{"@graph":{"@type":"Organization","name":"A"}}]</script>
    <script type="application/ld+json">{"@graph":[{"@type":"Product","name":"P","review":[{"@type":"Review","author":"x"},{"@type":"http://schema.org/Review","author":"y"}]}]}</script>
    <script type="application/ld+json">not json</script></head></html>`);
  const nodes = readJsonLd(doc);
  expect(nodes.map((n) => n['@type'] ?? 'graph')).toEqual(['WebSite', 'graph', 'Organization', 'graph', 'Product']);
  expect(findJsonLd(nodes, 'Review').map(({ node, parent }) => [node.author, parent?.name])).toEqual([
    ['x', 'P'],
    ['y', 'P'],
  ]);
});

test('microdata reads only the item’s own properties, nested items as elements', () => {
  const doc = parseHtml(`<div itemscope itemtype="https://schema.org/Review" id="r"><meta itemprop="datePublished" content="2024-01-02">
    <span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ann</span></span>
    <div itemprop="reviewBody">Good</div></div>`);
  const props = microdata(doc.getElementById('r')!);
  expect([...props.keys()]).toEqual(['datePublished', 'author', 'reviewBody']);
  expect(props.get('datePublished')).toEqual(['2024-01-02']);
  expect(props.get('name')).toBeUndefined();
});

test.each([
  ['/users/1', 'https://www.trustpilot.com/users/1'],
  ['//cdn.example/x', 'https://cdn.example/x'],
  ['javascript:alert(1)', null],
  ['data:text/html,hi', null],
  ['', null],
  [`/${'a'.repeat(3000)}`, null],
])('absoluteUrl(%j)', (href, expected) => {
  expect(absoluteUrl(href, new URL('https://www.trustpilot.com/review/x'))).toBe(expected);
});

test('truncate never splits a surrogate pair', () => {
  const value = `${'a'.repeat(8)}😀😀`;
  expect(truncate(value, 10)).toBe(`${'a'.repeat(8)}…`);
  expect(truncate('short', 10)).toBe('short');
});

test('cleanName strips bidi and zero-width characters', () => {
  expect(cleanName('\u202eevil\u202c \u200bname\ufeff')).toBe('evil name');
});

test('blockText: paragraphs and <br> become line breaks; scripts, styles and buttons are skipped', () => {
  const doc = parseHtml('<div id="t"><p>One <b>two</b></p><p>Three<br>four</p><script>bad()</script><style>.x{}</style><button>More</button></div>');
  expect(blockText(doc.getElementById('t'))).toBe('One two\n\nThree\nfour');
});
