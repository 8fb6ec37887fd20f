import { describe, expect, test } from 'vitest';
import { amazonAdapter } from '../../../extension/sites/amazon/amazon.adapter';
import { expectReviewsPage, loadReviewFixture } from './review-fixture';

const US = { file: 'amazon-com-product-B0011UCPM4-2024.html', url: 'https://www.amazon.com/Whole-Truth-Shaw-Book-ebook/dp/B0011UCPM4' };
const ES = { file: 'amazon-es-product-2024.html', url: 'https://www.amazon.es/dp/B01MUGXRT9' };
const ES_TITLE =
  'Cecotec Robot Limpiacristales Windroid 880 SprayWater Smart Connected. 90 W, Pulveriza, Limpia y Seca, Control por App y Mando a Distancia, 4 Programas, Cable 5,5m, Incluye 12 Paños';

describe.each([
  { ...US, name: 'The Whole Truth (A. Shaw Book 1)', businessUrl: US.url, count: 13 },
  { ...ES, name: ES_TITLE, businessUrl: 'https://www.amazon.es/Cecotec-Excellence-Aspirador-Programable-Limpieza/dp/B01MUGXRT9', count: 7 },
])('$file', ({ file, url, name, businessUrl, count }) => {
  const page = expectReviewsPage(amazonAdapter.recognize(loadReviewFixture('amazon', file), new URL(url)));
  test(`business = #productTitle, ${count} reviews`, () => {
    // The ES canonical link names another product than #productTitle: that mismatch is in the capture.
    expect(page.business).toEqual({ name, url: businessUrl });
    expect(page.reviews).toHaveLength(count);
    expect(page.unreadable).toEqual([]);
  });
});

const usPage = expectReviewsPage(amazonAdapter.recognize(loadReviewFixture('amazon', US.file), new URL(US.url)));
const esPage = expectReviewsPage(amazonAdapter.recognize(loadReviewFixture('amazon', ES.file), new URL(ES.url)));

test.each([
  {
    page: usPage,
    index: 0,
    reviewId: 'RCDBNB3418NAE',
    reviewerName: 'lighthouse88',
    profile: 'https://www.amazon.com/gp/profile/amzn1.account.AFEJI4X7IL5GWC62TIHPQBEP3OLQ/ref=cm_cr_dp_d_gw_tr?ie=UTF8',
    rating: 5,
    raw: 'Reviewed in the United States on August 2, 2021',
    iso: '2021-08-02',
    title: 'solid story and entertaining',
    permalink: 'https://www.amazon.com/gp/customer-reviews/RCDBNB3418NAE/ref=cm_cr_dp_d_rvw_ttl?ie=UTF8&ASIN=B0011UCPM4',
    tags: ['Verified Purchase'],
  },
  {
    page: usPage,
    index: 1,
    reviewId: 'R1UGQLU2ZEZ63A',
    reviewerName: 'Amazon Customer',
    profile: 'https://www.amazon.com/gp/profile/amzn1.account.AGZP7NJC7JBBOWRA7IJSI6JFUSZQ/ref=cm_cr_dp_d_gw_tr?ie=UTF8',
    rating: 4,
    raw: 'Reviewed in the United States on July 28, 2023',
    iso: '2023-07-28',
    title: 'Great book must read',
    permalink: 'https://www.amazon.com/gp/customer-reviews/R1UGQLU2ZEZ63A/ref=cm_cr_dp_d_rvw_ttl?ie=UTF8&ASIN=B0011UCPM4',
    tags: ['Verified Purchase'],
  },
  {
    page: esPage,
    index: 0,
    reviewId: 'R3IALXQVW90895',
    reviewerName: 'Teresa P.',
    profile: 'https://www.amazon.es/gp/profile/amzn1.account.AEXTS5D3PWISWXXYD4ULTUS272VA/ref=cm_cr_dp_d_gw_tr?ie=UTF8',
    rating: 5,
    raw: 'Revisado en España el 25 de agosto de 2017',
    iso: '2017-08-25',
    title: 'Me encanta',
    permalink: 'https://www.amazon.es/gp/customer-reviews/R3IALXQVW90895/ref=cm_cr_dp_d_rvw_ttl?ie=UTF8&ASIN=B01MUGXRT9',
    tags: ['Compra verificada'],
  },
  {
    page: esPage,
    index: 1,
    reviewId: 'R1OSZHUVQOVNHA',
    reviewerName: 'Josete',
    profile: 'https://www.amazon.es/gp/profile/amzn1.account.AGZTF5DLZSVI4LVS2DHGENZAZ6FQ/ref=cm_cr_dp_d_gw_tr?ie=UTF8',
    rating: 4,
    raw: 'Revisado en España el 18 de junio de 2018',
    iso: '2018-06-18',
    title: 'Un buen producto que no es español importado por una empresa que no lo conoce bien.',
    permalink: 'https://www.amazon.es/gp/customer-reviews/R1OSZHUVQOVNHA/ref=cm_cr_dp_d_rvw_ttl?ie=UTF8&ASIN=B01MUGXRT9',
    tags: ['Compra verificada'],
  },
])('$reviewerName ($reviewId)', ({ page, index, reviewId, reviewerName, profile, rating, raw, iso, title, permalink, tags }) => {
  expect(page.reviews[index]).toMatchObject({
    site: 'amazon',
    reviewId,
    permalink,
    reviewerName,
    reviewerProfileUrl: profile,
    rating: { value: rating, best: 5, worst: 1 },
    title,
    date: { iso, raw, yearKnown: true },
    status: null,
    tags,
    language: null,
  });
});

test('review text is the body without the "Read more" expander', () => {
  const text = usPage.reviews[0]!.text;
  expect(text.startsWith('The main character in the series is a man whose life depends on his abilities')).toBe(true);
  expect(text).toContain('the character’s family history as well as his hopes for a less lonely future.\nThroughout the book');
  expect(text).not.toMatch(/Read more/);
});

test('"from other countries" cards: no profile link, and no permalink built on the wrong marketplace', () => {
  const klaus = esPage.reviews.find((r) => r.reviewId === 'R2QFLL0HMOOQND')!;
  expect(klaus).toMatchObject({
    reviewerName: 'Klaus',
    reviewerProfileUrl: null,
    permalink: null,
    title: 'Gut und günstig',
    rating: { value: 5, best: 5, worst: 1 },
    date: { iso: '2020-01-27', raw: 'Revisado en Alemania el 27 de enero de 2020', yearKnown: true },
  });
});

test('reviewItems elements are the data-hook="review" cards', () => {
  const items = amazonAdapter.reviewItems!(loadReviewFixture('amazon', US.file), new URL(US.url));
  expect(items).toHaveLength(13);
  for (const { element, item } of items) {
    expect(element.getAttribute('data-hook')).toBe('review');
    expect(element.id).toBe(item.reviewId);
  }
});

test('single review URL sets focusReviewId', () => {
  const url = new URL('https://www.amazon.com/gp/customer-reviews/RCDBNB3418NAE/ref=cm_cr_dp_d_rvw_ttl?ie=UTF8&ASIN=B0011UCPM4');
  expect(expectReviewsPage(amazonAdapter.recognize(loadReviewFixture('amazon', US.file), url)).focusReviewId).toBe('RCDBNB3418NAE');
});

test('Robot Check page → blocked', () => {
  const url = new URL(US.url);
  expect(amazonAdapter.recognize(loadReviewFixture('blocked', 'amazon-robot-check-rebuilt.html'), url)).toEqual({
    kind: 'blocked',
    site: 'amazon',
    url: url.href,
    reason: 'bot-challenge',
  });
});

test.each(['/', '/s?k=baldacci', '/gp/cart/view.html'])('%s is not a product page', (path) => {
  expect(amazonAdapter.recognize(loadReviewFixture('amazon', US.file), new URL(`https://www.amazon.com${path}`))).toBeUndefined();
});
